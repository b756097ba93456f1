/// Something wrong in the syntax of one record.
public struct CSVIssue: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A quoted field opened on `line` and never closed before the end of input.
    case unterminatedQuote
    /// The field was longer than the limit; only its start was kept.
    case fieldTooLong(limit: Int)
    /// A `"` in the middle of an unquoted field (kept as a literal quote).
    case quoteInUnquotedField
    /// Characters after the closing quote of a quoted field (kept, appended).
    case textAfterClosingQuote
    /// The record was longer than the limit; only its start was kept.
    case recordTooLong(limit: Int)
    /// More fields than the limit; the extra ones were dropped.
    case tooManyFields(limit: Int)
  }
  public let kind: Kind
  /// 0-based index of the field, in file order.
  public let field: Int
  /// The physical line where the problem is.
  public let line: Int
}
