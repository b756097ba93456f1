import Foundation

/// A few rows held back by `StreamingPlanner` so that their accounts are
/// looked up together: a million lookups at random places in the directory
/// each wait on memory, and asking for a batch's cache lines first lets
/// those waits overlap. Validation hands over values it reuses for the next
/// row, so the batch keeps its own copy of their bytes. Its storage is
/// allocated once and reused batch after batch: the copy runs for every
/// row, and array appends cost more than the `memcpy`s themselves.
final class RowBatch {
  let capacity: Int
  private var bytes: UnsafeMutablePointer<UInt8>
  private var byteCapacity: Int
  private var byteCount = 0
  /// Each value's end in `bytes`, row after row; `valueCount` in use.
  private var valueEnds: UnsafeMutablePointer<Int>
  private var valueCapacity: Int
  private var valueCount = 0
  /// Where each row's values start in `valueEnds`, and the row's line and
  /// whether validation found an error in it.
  private let rowStarts: UnsafeMutablePointer<Int>
  private let lines: UnsafeMutablePointer<Int>
  private let errors: UnsafeMutablePointer<Bool>
  private(set) var count = 0

  init(capacity: Int) {
    self.capacity = capacity
    byteCapacity = capacity * 256
    bytes = .allocate(capacity: byteCapacity)
    valueCapacity = capacity * 16
    valueEnds = .allocate(capacity: valueCapacity)
    rowStarts = .allocate(capacity: capacity)
    lines = .allocate(capacity: capacity)
    errors = .allocate(capacity: capacity)
  }

  deinit {
    bytes.deallocate()
    valueEnds.deallocate()
    rowStarts.deallocate()
    lines.deallocate()
    errors.deallocate()
  }

  var isFull: Bool { count >= capacity }

  /// Copies a row in; call only when the batch is not full.
  func append(line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool) {
    precondition(count < capacity, "a full batch is planned before another row is added")
    var needed = byteCount
    for value in values { needed += value.count }
    if needed > byteCapacity { growBytes(to: needed) }
    if valueCount + values.count > valueCapacity { growValueEnds(to: valueCount + values.count) }
    rowStarts[count] = valueCount
    lines[count] = line
    errors[count] = hasError
    count += 1
    for value in values {
      if let source = value.baseAddress, value.count > 0 {
        memcpy(bytes + byteCount, source, value.count)
        byteCount += value.count
      }
      valueEnds[valueCount] = byteCount
      valueCount += 1
    }
  }

  private func growBytes(to needed: Int) {
    bytes = Self.moved(bytes, count: byteCount, capacity: &byteCapacity, toHold: needed)
  }

  private func growValueEnds(to needed: Int) {
    valueEnds = Self.moved(valueEnds, count: valueCount, capacity: &valueCapacity, toHold: needed)
  }

  /// `storage`'s first `count` elements moved to one twice as large (or
  /// more, until `needed` fit), the old storage freed.
  private static func moved<Element>(
    _ storage: UnsafeMutablePointer<Element>, count: Int, capacity: inout Int, toHold needed: Int
  ) -> UnsafeMutablePointer<Element> {
    var larger = capacity * 2
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutablePointer<Element>.allocate(capacity: larger)
    moved.initialize(from: storage, count: count)
    storage.deallocate()
    capacity = larger
    return moved
  }

  func line(ofRow row: Int) -> Int { lines[row] }
  func hasError(row: Int) -> Bool { errors[row] }

  /// Calls `body` with each row's values by pointer (valid only inside).
  func withValues(_ body: (UnsafeBufferPointer<UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>>) -> Void) {
    withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: max(valueCount, 1)) { pointers in
      var start = 0
      for index in 0..<valueCount {
        let end = valueEnds[index]
        pointers[index] = UnsafeBufferPointer(start: bytes + start, count: end - start)
        start = end
      }
      withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>.self, capacity: max(count, 1)) {
        rows in
        for row in 0..<count {
          let rowEnd = row + 1 < count ? rowStarts[row + 1] : valueCount
          rows[row] = UnsafeBufferPointer(rebasing: pointers[rowStarts[row]..<rowEnd])
        }
        body(UnsafeBufferPointer(rebasing: rows[0..<count]))
      }
    }
  }

  func removeAll() {
    byteCount = 0
    valueCount = 0
    count = 0
  }
}
