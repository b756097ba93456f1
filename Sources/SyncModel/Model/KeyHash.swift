/// A fast 32-bit hash of a key, eight bytes at a time, optionally folding
/// ASCII letters to lower case (emails compare without regard to case).
@usableFromInline
package enum KeyHash {
  @inlinable
  package static func hash(_ key: UnsafeBufferPointer<UInt8>, foldingCase: Bool) -> UInt32 {
    guard let base = key.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var index = 0
    while index + 8 <= key.count {
      var word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      if foldingCase { word = lowercasedASCII(word) }
      hash = mix(hash ^ word)
      index += 8
    }
    if index < key.count {
      var word: UInt64 = 0
      var shift: UInt64 = 0
      while index < key.count {
        word |= UInt64(foldingCase ? asciiLowercase(base[index]) : base[index]) << shift
        shift += 8
        index += 1
      }
      hash = mix(hash ^ word)
    }
    return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
  }

  @inlinable @inline(__always)
  static func mix(_ value: UInt64) -> UInt64 {
    var x = value &* 0xBF58_476D_1CE4_E5B9
    x ^= x >> 31
    return x &* 0x94D0_49BB_1331_11EB
  }

  /// Lowercases the ASCII capitals of eight bytes at once; other bytes,
  /// including UTF-8 ones, are left alone.
  @inlinable @inline(__always)
  static func lowercasedASCII(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let heptets = word & (0x7F * ones)
    let aboveZ = heptets &+ ((0x7F - 0x5A) * ones)  // high bit set where byte > 'Z'
    let atLeastA = heptets &+ ((0x80 - 0x41) * ones)  // high bit set where byte >= 'A'
    let isUpper = (atLeastA & ~aboveZ) & ~word & (0x80 * ones)
    return word | (isUpper >> 2)
  }
}

/// Stable LSD radix sort on the high 32 bits, a byte per pass; the low bits
/// (entries, already ascending) keep their order within equal hashes.
/// In place, with one scratch buffer of the same size (a million keys cost
/// 16 MB at the peak, not 24).
package func radixSortByHash(_ values: inout [UInt64]) {
  var target = [UInt64](repeating: 0, count: values.count)
  for shift in stride(from: 32, to: 64, by: 8) {
    var counts = [Int](repeating: 0, count: 257)
    for value in values { counts[Int((value >> UInt64(shift)) & 0xFF) + 1] += 1 }
    for bucket in 1...256 { counts[bucket] += counts[bucket - 1] }
    for value in values {
      let bucket = Int((value >> UInt64(shift)) & 0xFF)
      target[counts[bucket]] = value
      counts[bucket] += 1
    }
    swap(&values, &target)
  }
}
