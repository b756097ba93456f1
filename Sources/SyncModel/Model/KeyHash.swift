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
      // The last 1–7 bytes, little-endian, zero above. A key of eight bytes
      // or more loads the word that ends with it and shifts the bytes
      // already hashed out (one load, not a loop).
      var word: UInt64 = 0
      let rest = key.count - index
      if key.count >= 8 {
        word = raw.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self) >> UInt64((8 - rest) * 8)
      } else {
        var shift: UInt64 = 0
        while index < key.count {
          word |= UInt64(base[index]) << shift
          shift += 8
          index += 1
        }
      }
      if foldingCase { word = lowercasedASCII(word) }
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
/// 16 MB at the peak, not 24). One read counts the buckets of all four
/// passes; a pass whose byte is the same in every value is skipped.
package func radixSortByHash(_ values: inout [UInt64]) {
  let count = values.count
  guard count > 1 else { return }
  var target = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  var counts = [Int](repeating: 0, count: 4 * 256)
  counts.withUnsafeMutableBufferPointer { counts in
    values.withUnsafeBufferPointer { source in
      for value in source {
        counts[Int(truncatingIfNeeded: (value >> 32) & 0xFF)] += 1
        counts[256 + Int(truncatingIfNeeded: (value >> 40) & 0xFF)] += 1
        counts[512 + Int(truncatingIfNeeded: (value >> 48) & 0xFF)] += 1
        counts[768 + Int(truncatingIfNeeded: value >> 56)] += 1
      }
    }
    for pass in 0..<4 {
      let buckets = UnsafeMutableBufferPointer(rebasing: counts[(pass * 256)..<(pass * 256 + 256)])
      if buckets.contains(count) { continue }
      // Each bucket's first slot.
      var start = 0
      for bucket in 0..<256 {
        let size = buckets[bucket]
        buckets[bucket] = start
        start += size
      }
      let shift = UInt64(32 + pass * 8)
      values.withUnsafeBufferPointer { source in
        target.withUnsafeMutableBufferPointer { target in
          for value in source {
            let bucket = Int(truncatingIfNeeded: (value >> shift) & 0xFF)
            target[buckets[bucket]] = value
            buckets[bucket] += 1
          }
        }
      }
      swap(&values, &target)
    }
  }
}
