/// Bounds that keep memory flat whatever the input: a field or a record that
/// exceeds them is reported, and the reader skips ahead instead of growing.
public struct CSVLimits: Sendable, Equatable {
  /// Longest field kept, in bytes; longer ones are cut and reported.
  public var maxFieldBytes: Int
  /// Most fields kept per record; further ones are counted, not stored.
  public var maxFields: Int
  /// Most bytes kept per record (a file with no line breaks is one record):
  /// the rest of the record is skipped and reported.
  public var maxRecordBytes: Int
  /// Most rows read; a longer file is refused (memory grows with rows).
  public var maxRows: Int

  public init(
    maxFieldBytes: Int = 1 << 20, maxFields: Int = 1_024, maxRecordBytes: Int = 8 << 20, maxRows: Int = 2_500_000
  ) {
    self.maxFieldBytes = maxFieldBytes
    self.maxFields = maxFields
    self.maxRecordBytes = maxRecordBytes
    self.maxRows = maxRows
  }

  public static let standard = CSVLimits()
}
