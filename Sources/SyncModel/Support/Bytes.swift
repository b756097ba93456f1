import CPrefetch

/// Byte helpers for the hot paths (no Foundation, no strings).
@inlinable @inline(__always)
package func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  let left = UnsafeRawPointer(lhs)
  let right = UnsafeRawPointer(rhs)
  // Eight bytes at a time: planning compares every field of a million
  // rows with its account's. The last bytes are one load that overlaps
  // bytes already compared (most values are short, and a byte-by-byte
  // tail was most of the compare).
  if count >= 8 {
    var index = 0
    while index + 8 < count {
      if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      {
        return false
      }
      index += 8
    }
    return left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
  }
  if count >= 4 {
    return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
      && left.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        == right.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
  }
  if count >= 2 {
    return left.loadUnaligned(as: UInt16.self) == right.loadUnaligned(as: UInt16.self)
      && left.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)
        == right.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)
  }
  return count == 0 || lhs[0] == rhs[0]
}

/// Asks for the cache line at `address` ahead of reading it.
@inlinable @inline(__always)
package func prefetch(_ address: UnsafeRawPointer) {
  sis_prefetch(address)
}
