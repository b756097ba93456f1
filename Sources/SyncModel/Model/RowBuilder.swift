/// One row's ten values joined in a buffer that is reused row after row, so
/// that a `RowStore` grows once a row (`RowStore.append(_:)`) rather than
/// once a value: reading a million accounts value by value spent a third
/// of its time outside the database in the arena's growth checks.
package final class RowBuilder {
  private let bytes = ByteBuffer(capacity: 1024)
  /// Each value's end in `bytes`.
  private let ends = UnsafeMutablePointer<UInt32>.allocate(capacity: ExportColumn.count)
  private var valueCount = 0

  package init() {}

  deinit { ends.deallocate() }

  /// The row's next value, in column order.
  package func add(_ value: UnsafeBufferPointer<UInt8>) {
    precondition(valueCount < ExportColumn.count, "a row has \(ExportColumn.count) values")
    bytes.append(value)
    ends[valueCount] = UInt32(bytes.count)
    valueCount += 1
  }

  /// Lends the whole row (its bytes, and each value's end in them), then
  /// starts the next one.
  package func takeRow(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) -> Void) {
    precondition(valueCount == ExportColumn.count, "a row has \(ExportColumn.count) values")
    body(bytes.bytes, UnsafeBufferPointer(start: ends, count: valueCount))
    bytes.removeAll()
    valueCount = 0
  }
}
