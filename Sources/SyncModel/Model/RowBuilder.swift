/// One row's ten values joined in a buffer that is reused row after row, so
/// that a `RowStore` grows once a row (`RowStore.append(_:)`) rather than
/// once a value: reading a million accounts value by value spent a third
/// of its time outside the database in the arena's growth checks.
package final class RowBuilder {
  private var bytes: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var count = 0
  /// Each value's end in `bytes`.
  private let ends = UnsafeMutablePointer<UInt32>.allocate(capacity: ExportColumn.count)
  private var valueCount = 0

  package init() {
    capacity = 1024
    bytes = .allocate(capacity: capacity)
  }

  deinit {
    bytes.deallocate()
    ends.deallocate()
  }

  /// The row's next value, in column order.
  package func add(_ value: UnsafeBufferPointer<UInt8>) {
    precondition(valueCount < ExportColumn.count, "a row has \(ExportColumn.count) values")
    if count + value.count > capacity { grow(toHold: count + value.count) }
    if let source = value.baseAddress { (bytes + count).update(from: source, count: value.count) }
    count += value.count
    ends[valueCount] = UInt32(count)
    valueCount += 1
  }

  /// Lends the whole row (its bytes, and each value's end in them), then
  /// starts the next one.
  package func takeRow(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) -> Void) {
    precondition(valueCount == ExportColumn.count, "a row has \(ExportColumn.count) values")
    body(UnsafeBufferPointer(start: bytes, count: count), UnsafeBufferPointer(start: ends, count: valueCount))
    count = 0
    valueCount = 0
  }

  private func grow(toHold needed: Int) {
    var larger = capacity * 2
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
    moved.initialize(from: bytes, count: count)
    bytes.deallocate()
    bytes = moved
    capacity = larger
  }
}
