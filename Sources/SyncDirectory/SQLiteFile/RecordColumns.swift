/// The first columns of one record in SQLite's record format: a header of
/// serial types (each value's kind and size), then the values. Values come
/// out as SQLite's `sqlite3_column_text` and `sqlite3_column_int64` give
/// those kinds; a kind they would convert (a number in a text column, text
/// in a number column) is a `SQLiteFileSurprise`, so the caller can leave
/// such a file to SQLite rather than convert it differently.
final class RecordColumns {
  let count: Int
  private let serialTypes: UnsafeMutablePointer<UInt64>
  private let starts: UnsafeMutablePointer<Int>
  /// Whether each column is read as text (`read` checks it holds text).
  private let isText: UnsafeMutablePointer<Bool>
  private var record = UnsafeRawBufferPointer(start: nil, count: 0)

  /// A reader of a record's first `count` columns, of which `textColumns`
  /// are read as text.
  init(count: Int, textColumns: some Sequence<Int> = []) {
    self.count = count
    serialTypes = .allocate(capacity: count)
    starts = .allocate(capacity: count)
    isText = .allocate(capacity: count)
    isText.initialize(repeating: false, count: count)
    for column in textColumns where column >= 0 && column < count { isText[column] = true }
  }

  deinit {
    serialTypes.deallocate()
    starts.deallocate()
    isText.deallocate()
  }

  /// Reads `record`'s header, up to the first `count` columns; the record
  /// must hold them all (one that lacks a column added later has its
  /// default, which only SQLite knows).
  @inline(__always)
  func read(_ record: UnsafeRawBufferPointer) throws(SQLiteFileSurprise) {
    self.record = record
    var offset = 0
    let headerSize = try SQLiteVarint.read(record, at: &offset, end: record.count)
    guard headerSize <= UInt64(record.count) else { throw SQLiteFileSurprise("a record's header runs past it") }
    let headerEnd = Int(headerSize)
    var valueStart = headerEnd
    for column in 0..<count {
      guard offset < headerEnd else { throw SQLiteFileSurprise("a record has \(column) columns, not \(count)") }
      let serialType = try SQLiteVarint.read(record, at: &offset, end: headerEnd)
      let size = try Self.size(ofSerialType: serialType)
      guard size <= record.count - valueStart else { throw SQLiteFileSurprise("a record's value runs past it") }
      guard !isText[column] || serialType == 0 || serialType >= 12 else {
        throw SQLiteFileSurprise("a number in a text column")
      }
      serialTypes[column] = serialType
      starts[column] = valueStart
      valueStart += size
    }
  }

  /// Whether the column is NULL.
  @inline(__always)
  func isNull(_ column: Int) -> Bool { serialTypes[column] == 0 }

  /// A text column's bytes (one of `textColumns`, so `read` checked it
  /// holds no number): text or a blob as stored, nothing for NULL.
  @inline(__always)
  func text(_ column: Int) -> UnsafeBufferPointer<UInt8> {
    precondition(isText[column], "column \(column) is not read as text")
    let serialType = serialTypes[column]
    guard serialType >= 12 else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(
      start: (record.baseAddress! + starts[column]).assumingMemoryBound(to: UInt8.self),
      count: Int((serialType - 12) / 2))
  }

  /// An integer column's value: 0 for NULL, as SQLite gives it.
  @inline(__always)
  func integer(_ column: Int) throws(SQLiteFileSurprise) -> Int64 {
    let start = starts[column]
    switch serialTypes[column] {
    case 0, 8: return 0
    case 9: return 1
    case 1: return Int64(Int8(bitPattern: record[start]))
    case 2: return bigEndianInteger(at: start, bytes: 2)
    case 3: return bigEndianInteger(at: start, bytes: 3)
    case 4: return bigEndianInteger(at: start, bytes: 4)
    case 5: return bigEndianInteger(at: start, bytes: 6)
    case 6: return bigEndianInteger(at: start, bytes: 8)
    default: throw SQLiteFileSurprise("text, a blob or a real number in an integer column")
    }
  }

  /// A two's-complement integer of `bytes` bytes, sign-extended.
  @inline(__always)
  private func bigEndianInteger(at start: Int, bytes: Int) -> Int64 {
    var value: UInt64 = 0
    for index in 0..<bytes { value = value << 8 | UInt64(record[start + index]) }
    let unused = UInt64(64 - 8 * bytes)
    return Int64(bitPattern: value << unused) >> unused
  }

  /// The bytes of a value of this serial type.
  @inline(__always)
  private static func size(ofSerialType serialType: UInt64) throws(SQLiteFileSurprise) -> Int {
    switch serialType {
    case 0, 8, 9: return 0
    case 1, 2, 3, 4: return Int(serialType)
    case 5: return 6
    case 6, 7: return 8
    case 10, 11: throw SQLiteFileSurprise("a record with a reserved serial type")
    default:
      guard serialType <= UInt64(Int32.max) else { throw SQLiteFileSurprise("a record's value is too long") }
      return Int((serialType - 12) / 2)
    }
  }
}
