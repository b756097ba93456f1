import Foundation

/// The days the rollover profile applies by itself (setting
/// `rollover.window`): one or more `FROM..TO` ranges of `YYYY-MM-DD` days,
/// both ends included, comma separated.
public struct RolloverWindows: Sendable, Equatable, CustomStringConvertible {
  public var ranges: [(from: String, to: String)]

  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.description == rhs.description }

  /// Parses `2026-08-01..2026-08-31,2027-08-01..2027-08-31`, or `none`.
  public init?(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    ranges = []
    if trimmed.isEmpty || trimmed == "none" { return }
    for part in trimmed.split(separator: ",") {
      let ends = part.trimmingCharacters(in: .whitespaces).components(separatedBy: "..")
      guard ends.count == 2, let from = Self.day(ends[0]), let to = Self.day(ends[1]), from <= to else { return nil }
      ranges.append((from, to))
    }
  }

  /// The range that holds `today` (`YYYY-MM-DD`), as written; nil outside them all.
  public func range(holding today: String) -> String? {
    ranges.first { $0.from <= today && today <= $0.to }.map { "\($0.from)..\($0.to)" }
  }

  public var description: String {
    ranges.isEmpty ? "none" : ranges.map { "\($0.from)..\($0.to)" }.joined(separator: ",")
  }

  /// A real day written `YYYY-MM-DD` (so that text order is day order).
  private static func day(_ text: String) -> String? {
    let text = text.trimmingCharacters(in: .whitespaces)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    guard text.count == 10, let date = formatter.date(from: text), formatter.string(from: date) == text else {
      return nil
    }
    return text
  }
}
