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

  /// A time as runs record it: ISO 8601 in UTC, to the second
  /// (`2026-12-03T06:10:35Z`, as `ISO8601DateFormatter` writes it). Written
  /// here: the formatter's first use sets up CF and ICU, about 1 ms on one
  /// core at the start of every run (the directory lock records the time
  /// it was taken).
  package static func string(_ date: Date) -> String {
    // The formatter rounds to the millisecond, then drops the fraction.
    let seconds = ((date.timeIntervalSince1970 * 1000).rounded() / 1000).rounded(.down)
    // Gregorian years of four digits (before 1583 the formatter's calendar
    // is the Julian one): the formatter's beyond.
    guard seconds >= -12_212_553_600, seconds < 253_402_300_800 else { return formatted(date) }
    let (days, second) = Int(seconds).quotientAndRemainder(dividingBy: 86_400)
    let (day, secondOfDay) = second < 0 ? (days - 1, second + 86_400) : (days, second)
    let (year, month, dayOfMonth) = civilDate(daysSince1970: day)
    var text = ""
    text.reserveCapacity(20)
    func append(_ value: Int, digits: Int) {
      var digit = 1
      for _ in 1..<digits { digit *= 10 }
      while digit > 0 {
        text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / digit % 10)))
        digit /= 10
      }
    }
    append(year, digits: 4)
    text += "-"
    append(month, digits: 2)
    text += "-"
    append(dayOfMonth, digits: 2)
    text += "T"
    append(secondOfDay / 3600, digits: 2)
    text += ":"
    append(secondOfDay / 60 % 60, digits: 2)
    text += ":"
    append(secondOfDay % 60, digits: 2)
    text += "Z"
    return text
  }

  /// The proleptic Gregorian date `days` after 1970-01-01 (Howard
  /// Hinnant's `civil_from_days`).
  private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// `string` by the formatter itself.
  static func formatted(_ date: Date) -> String {
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
