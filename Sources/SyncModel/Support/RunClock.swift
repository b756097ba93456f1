import Foundation

/// When and by whom: the stamps of runs, plans and sessions.
package enum RunClock {
  package static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
  }

  /// Today (UTC) as `YYYY-MM-DD`: the day protections' expiry is judged by.
  /// For tests only, `SIS_SYNC_TEST_TODAY=YYYY-MM-DD` sets it.
  package static func today() -> String {
    if let day = ProcessInfo.processInfo.environment["SIS_SYNC_TEST_TODAY"], isDay(day) { return day }
    return String(now().prefix(10))
  }

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
