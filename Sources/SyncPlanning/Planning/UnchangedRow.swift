import SyncModel

extension UnsafeRows {
  /// Whether `row` holds exactly `values` (one per column, in column
  /// order): the unchanged row of a routine sync, most of a million, told
  /// apart without the general decision's closures and strings.
  @inline(__always)
  func holds(_ values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, row: Int) -> Bool {
    for rawValue in values.indices {
      guard let column = ExportColumn(rawValue: rawValue), bytesEqual(values[rawValue], bytes(row, column)) else {
        return false
      }
    }
    return true
  }
}
