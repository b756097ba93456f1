import SyncModel

/// Every row of an export, normalised (trimmed, translated, canonical
/// spellings), with the line each starts on and whether it has an error.
public final class ExportTable: @unchecked Sendable {
  public private(set) var rows: RowStore
  private var lines: [UInt32] = []
  private var errorFlags: [Bool] = []

  public init(expectedRows: Int = 0, expectedBytes: Int = 0) {
    rows = RowStore(expectedRows: expectedRows, expectedBytes: expectedBytes)
    lines.reserveCapacity(expectedRows)
    errorFlags.reserveCapacity(expectedRows)
  }

  public var rowCount: Int { lines.count }

  /// The line on which row `row` starts in the export.
  public func line(ofRow row: Int) -> Int { Int(lines[row]) }

  /// Whether validation found an error in the row (it is never applied).
  public func hasError(row: Int) -> Bool { errorFlags[row] }

  public func value(row: Int, column: ExportColumn) -> String { rows.value(row: row, column: column) }

  public func withBytes<Result>(
    row: Int, column: ExportColumn, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    try rows.withBytes(row: row, column: column, body)
  }

  /// Appends a row of ten values, in column order.
  func append(line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>) {
    rows.append(values)
    lines.append(UInt32(line))
    errorFlags.append(false)
  }

  package func markError(row: Int) { errorFlags[row] = true }

  func shiftLines(by delta: Int) {
    lines = lines.map { UInt32(Int($0) + delta) }
  }

  /// Appends all rows of another table (a later part of the same export).
  func append(contentsOf other: ExportTable) {
    rows.append(contentsOf: other.rows)
    lines += other.lines
    errorFlags += other.errorFlags
  }
}
