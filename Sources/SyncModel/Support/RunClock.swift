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

  package static var user: String {
    ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
      ?? NSUserName()
  }

  package static var host: String { ProcessInfo.processInfo.hostName }
}
