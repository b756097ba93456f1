/// Byte helpers for the hot paths (no Foundation, no strings).
@inlinable @inline(__always)
package func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var index = 0
  while index < count {
    if lhs[index] != rhs[index] { return false }
    index += 1
  }
  return true
}
