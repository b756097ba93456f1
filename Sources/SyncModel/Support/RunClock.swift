import Foundation

/// When and by whom: the stamps of runs, plans and sessions, and the one
/// clock the engine reads the time through (the grace before disable
/// counts days on it).
package enum RunClock {
  /// For tests only (man page, ENVIRONMENT): an ISO 8601 time the clock
  /// reads instead of the system's, so tests can move time across days.
  package static let testNowVariable = "SIS_SYNC_TEST_NOW"

  /// The current time: the system's, or the tests' `SIS_SYNC_TEST_NOW`.
  package static func date() -> Date {
    if let text = ProcessInfo.processInfo.environment[testNowVariable], let date = parse(text) { return date }
    return Date()
  }

  package static func now() -> String { string(date()) }

  /// A time as runs record it: ISO 8601 in UTC, to the second.
  package static func string(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }

  /// A time as `string` writes it (or with another offset); nil when it is not one.
  package static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }

  /// Today (UTC) as `YYYY-MM-DD`, on the same clock: the day protections'
  /// expiry is judged by.
  package static func today() -> String { String(now().prefix(10)) }

  /// Whether `text` is a calendar date written `YYYY-MM-DD`.
  package static func isDay(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
    else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return (1...days).contains(day)
  }

  package static var user: String {
    ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
      ?? NSUserName()
  }

  package static var host: String { ProcessInfo.processInfo.hostName }
}
