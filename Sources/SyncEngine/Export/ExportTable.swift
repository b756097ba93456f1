/// Every row of an export, normalised (trimmed, translated, canonical
/// spellings), kept column by column in one byte arena.
///
/// A million rows cost about the file's size plus 44 bytes a row, and no
/// string is made until a value is asked for: what planning and the review
/// screen need to stay fast at the size of the largest districts.
public final class ExportTable: @unchecked Sendable {
  private var arena: [UInt8] = []
  /// End offset in `arena` of each value, ten per row.
  private var ends: [UInt32] = []
  private var lines: [UInt32] = []
  private var errorFlags: [Bool] = []

  public init(expectedRows: Int = 0) {
    ends.reserveCapacity(expectedRows * ExportColumn.count)
    lines.reserveCapacity(expectedRows)
  }

  public var rowCount: Int { lines.count }

  /// The line on which row `row` starts in the export.
  public func line(ofRow row: Int) -> Int { Int(lines[row]) }

  /// Whether validation found an error in the row (it is never applied).
  public func hasError(row: Int) -> Bool { errorFlags[row] }

  public func value(row: Int, column: ExportColumn) -> String {
    withBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
  }

  public func withBytes<Result>(
    row: Int, column: ExportColumn, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    let index = row * ExportColumn.count + column.rawValue
    let start = index == 0 ? 0 : Int(ends[index - 1])
    let end = Int(ends[index])
    return try arena.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
  }

  /// Appends a row of ten values, in column order.
  func append(line: Int, values: [UnsafeBufferPointer<UInt8>]) {
    for value in values {
      arena.append(contentsOf: value)
      precondition(arena.count <= UInt32.max, "an export table holds at most 4 GiB of values")
      ends.append(UInt32(arena.count))
    }
    lines.append(UInt32(line))
    errorFlags.append(false)
  }

  func markError(row: Int) { errorFlags[row] = true }

  func shiftLines(by delta: Int) {
    lines = lines.map { UInt32(Int($0) + delta) }
  }

  /// Appends all rows of another table (a later part of the same export).
  func append(contentsOf other: ExportTable) {
    let offset = UInt32(arena.count)
    precondition(arena.count + other.arena.count <= UInt32.max, "an export table holds at most 4 GiB of values")
    arena += other.arena
    ends += other.ends.map { $0 + offset }
    lines += other.lines
    errorFlags += other.errorFlags
  }
}
