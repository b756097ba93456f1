import ExportReading

/// A few rows held back by `StreamingPlanner` so that their accounts are
/// looked up together: a million lookups at random places in the directory
/// each wait on memory, and asking for a batch's cache lines first lets
/// those waits overlap. Validation lends the values of plain lines where
/// the reader read them (its chunk, valid until the planner is told it will
/// be reused): those are kept by pointer. Any other value (a quoted or
/// decoded one) is reused for the next row, so the batch copies its bytes.
/// Its storage is allocated once and reused batch after batch: the rows
/// pass through it one by one, and array appends cost more than the
/// `memcpy`s themselves.
final class RowBatch {
  let capacity: Int
  private var bytes: UnsafeMutablePointer<UInt8>
  private var byteCapacity: Int
  private var byteCount = 0
  /// Each value, row after row (lent, or in `bytes`); `valueCount` in use.
  private var values: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
  private var valueCapacity: Int
  private var valueCount = 0
  /// Where each row's values start in `values`, the row's line, whether
  /// validation found an error in it, and what it looked up for it.
  private let rowStarts: UnsafeMutablePointer<Int>
  private let lines: UnsafeMutablePointer<Int>
  private let errors: UnsafeMutablePointer<Bool>
  private let lookups: UnsafeMutablePointer<RowLookups>
  private(set) var count = 0

  init(capacity: Int) {
    self.capacity = capacity
    byteCapacity = capacity * 256
    bytes = .allocate(capacity: byteCapacity)
    valueCapacity = capacity * 16
    values = .allocate(capacity: valueCapacity)
    rowStarts = .allocate(capacity: capacity)
    lines = .allocate(capacity: capacity)
    errors = .allocate(capacity: capacity)
    lookups = .allocate(capacity: capacity)
  }

  deinit {
    bytes.deallocate()
    values.deallocate()
    rowStarts.deallocate()
    lines.deallocate()
    errors.deallocate()
    lookups.deallocate()
  }

  var isFull: Bool { count >= capacity }

  /// Takes a row in; call only when the batch is not full. Values inside
  /// `lent` are kept by pointer, the others copied.
  func append(
    line: Int, values rowValues: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool,
    lent: UnsafeRawBufferPointer, lookups rowLookups: RowLookups = RowLookups()
  ) {
    precondition(count < capacity, "a full batch is planned before another row is added")
    if valueCount + rowValues.count > valueCapacity { growValues(to: valueCount + rowValues.count) }
    rowStarts[count] = valueCount
    lines[count] = line
    errors[count] = hasError
    (lookups + count).initialize(to: rowLookups)
    count += 1
    // One pass: a lent value is kept as it is (nearly every value), any
    // other copied in as it comes.
    // (Into locals: the loop's stores would otherwise make it reload the
    // batch's own properties each time.)
    let lentStart = UInt(bitPattern: lent.baseAddress)
    let lentEnd = lentStart + UInt(lent.count)
    let first = valueCount
    valueCount += rowValues.count
    for index in rowValues.indices {
      let value = rowValues[index]
      if value.isEmpty || Self.lies(value, from: lentStart, to: lentEnd) {
        values[first + index] = value
      } else {
        values[first + index] = copyIn(value, valuesInUse: first + index)
      }
    }
  }

  /// A copy of `value` in `bytes` (grown first when it has no room; the
  /// first `valuesInUse` values move with it).
  @inline(never)
  private func copyIn(_ value: UnsafeBufferPointer<UInt8>, valuesInUse: Int) -> UnsafeBufferPointer<UInt8> {
    if byteCount + value.count > byteCapacity { growBytes(to: byteCount + value.count, valuesInUse: valuesInUse) }
    let copy = bytes + byteCount
    copy.initialize(from: value.baseAddress!, count: value.count)
    byteCount += value.count
    return UnsafeBufferPointer(start: copy, count: value.count)
  }

  /// Whether `value` lies within the addresses `start..<end`.
  @inline(__always)
  private static func lies(_ value: UnsafeBufferPointer<UInt8>, from start: UInt, to end: UInt) -> Bool {
    let address = UInt(bitPattern: value.baseAddress)
    return address >= start && address + UInt(value.count) <= end
  }

  /// Moves the copied bytes to a larger buffer, and the values that point
  /// at them with them.
  private func growBytes(to needed: Int, valuesInUse: Int) {
    let oldStart = UInt(bitPattern: bytes)
    let oldEnd = oldStart + UInt(byteCount)
    var larger = byteCapacity * 2
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
    moved.initialize(from: bytes, count: byteCount)
    for index in 0..<valuesInUse where !values[index].isEmpty && Self.lies(values[index], from: oldStart, to: oldEnd) {
      let offset = bytes.distance(to: UnsafeMutablePointer(mutating: values[index].baseAddress!))
      values[index] = UnsafeBufferPointer(start: moved + offset, count: values[index].count)
    }
    bytes.deallocate()
    bytes = moved
    byteCapacity = larger
  }

  private func growValues(to needed: Int) {
    var larger = valueCapacity * 2
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: larger)
    moved.initialize(from: values, count: valueCount)
    values.deallocate()
    values = moved
    valueCapacity = larger
  }

  func line(ofRow row: Int) -> Int { lines[row] }
  func hasError(row: Int) -> Bool { errors[row] }
  /// What validation looked up for the row.
  func lookups(ofRow row: Int) -> RowLookups { lookups[row] }

  /// Calls `body` with each row's values by pointer (valid only inside).
  func withValues(_ body: (UnsafeBufferPointer<UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>>) -> Void) {
    withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>.self, capacity: max(count, 1)) {
      rows in
      for row in 0..<count {
        let rowEnd = row + 1 < count ? rowStarts[row + 1] : valueCount
        rows[row] = UnsafeBufferPointer(start: values + rowStarts[row], count: rowEnd - rowStarts[row])
      }
      body(UnsafeBufferPointer(rebasing: rows[0..<count]))
    }
  }

  func removeAll() {
    byteCount = 0
    valueCount = 0
    count = 0
  }
}
