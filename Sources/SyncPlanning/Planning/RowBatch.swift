import Foundation

/// A few rows held back by `StreamingPlanner` so that their accounts are
/// looked up together: a million lookups at random places in the directory
/// each wait on memory, and asking for a batch's cache lines first lets
/// those waits overlap. Validation hands over values it reuses for the next
/// row, so the batch keeps its own copy of their bytes (copied with
/// `memcpy`: a generic append cost more than the lookups it saved).
final class RowBatch {
  let capacity: Int
  private var bytes: UnsafeMutablePointer<UInt8>
  private var byteCapacity: Int
  private var byteCount = 0
  /// The end of each value in `bytes`, row after row.
  private var valueEnds: [Int] = []
  /// Where each row's values start in `valueEnds`.
  private var rowStarts: [Int] = []
  private var lines: [Int] = []
  private var errors: [Bool] = []

  init(capacity: Int) {
    self.capacity = capacity
    byteCapacity = capacity * 256
    bytes = .allocate(capacity: byteCapacity)
    valueEnds.reserveCapacity(capacity * 16)
    rowStarts.reserveCapacity(capacity)
    lines.reserveCapacity(capacity)
    errors.reserveCapacity(capacity)
  }

  deinit { bytes.deallocate() }

  var count: Int { lines.count }
  var isFull: Bool { lines.count >= capacity }

  func append(line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool) {
    var needed = byteCount
    for value in values { needed += value.count }
    if needed > byteCapacity { grow(to: needed) }
    rowStarts.append(valueEnds.count)
    for value in values {
      if let source = value.baseAddress, value.count > 0 {
        memcpy(bytes + byteCount, source, value.count)
        byteCount += value.count
      }
      valueEnds.append(byteCount)
    }
    lines.append(line)
    errors.append(hasError)
  }

  private func grow(to needed: Int) {
    var capacity = byteCapacity * 2
    while capacity < needed { capacity *= 2 }
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    larger.update(from: bytes, count: byteCount)
    bytes.deallocate()
    bytes = larger
    byteCapacity = capacity
  }

  func line(ofRow row: Int) -> Int { lines[row] }
  func hasError(row: Int) -> Bool { errors[row] }

  /// Calls `body` with each row's values by pointer (valid only inside).
  func withValues(_ body: ([UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>]) -> Void) {
    var pointers: [UnsafeBufferPointer<UInt8>] = []
    pointers.reserveCapacity(valueEnds.count)
    var start = 0
    for end in valueEnds {
      pointers.append(UnsafeBufferPointer(start: bytes + start, count: end - start))
      start = end
    }
    pointers.withUnsafeBufferPointer { pointers in
      body(
        rowStarts.indices.map { row in
          let rowEnd = row + 1 < rowStarts.count ? rowStarts[row + 1] : pointers.count
          return UnsafeBufferPointer(rebasing: pointers[rowStarts[row]..<rowEnd])
        })
    }
  }

  func removeAll() {
    byteCount = 0
    valueEnds.removeAll(keepingCapacity: true)
    rowStarts.removeAll(keepingCapacity: true)
    lines.removeAll(keepingCapacity: true)
    errors.removeAll(keepingCapacity: true)
  }
}
