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

/// Entries numbered in order, each as its hash in the high 32 bits and its
/// number in the low, sorted by hash; entries with one hash keep their
/// order. A stable LSD radix sort in three passes of 11, 11 and 10 bits
/// (four of a byte cost a fourth pass over a million entries; 2,048
/// buckets still fit the cache). One read of the hashes counts the buckets
/// of all three passes, the first pass builds the entries as it places
/// them, and a pass whose digit is the same in every hash is skipped. Two
/// buffers of the entries' size at the peak.
package func entriesSortedByHash(_ hashes: UnsafeBufferPointer<UInt32>) -> [UInt64] {
  let count = hashes.count
  guard count > 0 else { return [] }
  let digits: [(shift: UInt32, mask: UInt32)] = [(0, 0x7FF), (11, 0x7FF), (22, 0x3FF)]
  var counts = [Int](repeating: 0, count: 3 * 2048)
  var sorted = uninitializedEntries(count)
  var scratch = uninitializedEntries(count)
  counts.withUnsafeMutableBufferPointer { counts in
    for hash in hashes {
      counts[Int(hash & 0x7FF)] += 1
      counts[2048 + Int((hash >> 11) & 0x7FF)] += 1
      counts[4096 + Int(hash >> 22)] += 1
    }
    var built = false
    for (pass, digit) in digits.enumerated() {
      let buckets = UnsafeMutableBufferPointer(rebasing: counts[(pass * 2048)..<(pass * 2048 + 2048)])
      if buckets.contains(count) { continue }
      // Each bucket's first slot.
      var start = 0
      for bucket in 0..<2048 {
        let size = buckets[bucket]
        buckets[bucket] = start
        start += size
      }
      scratch.withUnsafeMutableBufferPointer { target in
        if built {
          sorted.withUnsafeBufferPointer { source in
            for entry in source {
              let bucket = Int(UInt32(truncatingIfNeeded: entry >> 32) >> digit.shift & digit.mask)
              target[buckets[bucket]] = entry
              buckets[bucket] += 1
            }
          }
        } else {
          for (number, hash) in hashes.enumerated() {
            let bucket = Int(hash >> digit.shift & digit.mask)
            target[buckets[bucket]] = UInt64(hash) << 32 | UInt64(number)
            buckets[bucket] += 1
          }
        }
      }
      swap(&sorted, &scratch)
      built = true
    }
    if !built {
      // Every hash the same: the entries in their own order.
      sorted.withUnsafeMutableBufferPointer { target in
        for (number, hash) in hashes.enumerated() { target[number] = UInt64(hash) << 32 | UInt64(number) }
      }
    }
  }
  return sorted
}

/// Room for `count` entries that the sort writes, in huge pages where it
/// can (`Array.reserveCapacityInHugePages`).
private func uninitializedEntries(_ count: Int) -> [UInt64] {
  [UInt64](unsafeUninitializedCapacity: count) { room, initialized in
    HugePages.advise(room.baseAddress, byteCount: count * 8)
    initialized = count
  }
}
