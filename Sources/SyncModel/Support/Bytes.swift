import CPrefetch

/// Byte helpers for the hot paths (no Foundation, no strings).
@inlinable @inline(__always)
package func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var index = 0
  // Eight bytes at a time: planning compares every field of a million
  // rows with its account's.
  while index + 8 <= count {
    let left = UnsafeRawPointer(lhs + index).loadUnaligned(as: UInt64.self)
    let right = UnsafeRawPointer(rhs + index).loadUnaligned(as: UInt64.self)
    if left != right { return false }
    index += 8
  }
  while index < count {
    if lhs[index] != rhs[index] { return false }
    index += 1
  }
  return true
}

/// Asks for the cache line at `address` ahead of reading it.
@inlinable @inline(__always)
package func prefetch(_ address: UnsafeRawPointer) {
  sis_prefetch(address)
}
