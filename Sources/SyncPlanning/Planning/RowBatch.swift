/// A few rows held back by `StreamingPlanner` so that their accounts are
/// looked up together: a million lookups at random places in the directory
/// each wait on memory, and asking for a batch's cache lines first lets
/// those waits overlap. Validation hands over values it reuses for the next
/// row, so the batch keeps its own copy of their bytes.
struct RowBatch {
  let capacity: Int
  private var bytes: [UInt8] = []
  /// The end of each value in `bytes`, row after row.
  private var valueEnds: [Int] = []
  /// Where each row's values start in `valueEnds`.
  private var rowStarts: [Int] = []
  private var lines: [Int] = []
  private var errors: [Bool] = []

  init(capacity: Int) {
    self.capacity = capacity
    bytes.reserveCapacity(capacity * 128)
    valueEnds.reserveCapacity(capacity * 10)
  }

  var count: Int { lines.count }
  var isFull: Bool { lines.count >= capacity }

  mutating func append(line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool) {
    rowStarts.append(valueEnds.count)
    for value in values {
      bytes.append(contentsOf: value)
      valueEnds.append(bytes.count)
    }
    lines.append(line)
    errors.append(hasError)
  }

  func line(ofRow row: Int) -> Int { lines[row] }
  func hasError(row: Int) -> Bool { errors[row] }

  /// Calls `body` with each row's values by pointer (valid only inside).
  func withValues(_ body: ([UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>]) -> Void) {
    bytes.withUnsafeBufferPointer { bytes in
      var pointers: [UnsafeBufferPointer<UInt8>] = []
      pointers.reserveCapacity(valueEnds.count)
      var start = 0
      for end in valueEnds {
        pointers.append(UnsafeBufferPointer(rebasing: bytes[start..<end]))
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
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    valueEnds.removeAll(keepingCapacity: true)
    rowStarts.removeAll(keepingCapacity: true)
    lines.removeAll(keepingCapacity: true)
    errors.removeAll(keepingCapacity: true)
  }
}
