/// Finds repeated keys (custom_id, email) among a million rows.
///
/// Keys are appended to one byte arena with a 32-bit hash each, in row
/// order; nothing is looked up while reading. At the end the (hash, entry)
/// pairs of every part (the halves read on two cores) are radix-sorted
/// together and only neighbours with equal hashes have their keys compared.
/// Sequential writes and four linear passes cost far less than a hash-table
/// probe per row, which misses the cache at this size.
struct DuplicateFinder {
  /// Compare ASCII letters without regard to case (emails).
  let foldsCase: Bool
  private var arena: [UInt8] = []
  private var keyEnds: [UInt32] = []
  private var hashes: [UInt32] = []
  private(set) var rows: [UInt32] = []

  init(foldsCase: Bool, expectedKeys: Int = 0) {
    self.foldsCase = foldsCase
    hashes.reserveCapacity(expectedKeys)
    rows.reserveCapacity(expectedKeys)
    keyEnds.reserveCapacity(expectedKeys)
  }

  var count: Int { rows.count }

  /// Remembers `key` for `row`.
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, row: Int) {
    hashes.append(KeyHash.hash(key, foldingCase: foldsCase))
    arena.append(contentsOf: key)
    precondition(arena.count <= UInt32.max, "duplicate keys exceed 4 GiB")
    keyEnds.append(UInt32(arena.count))
    rows.append(UInt32(row))
  }

  /// The key of an entry as it was given.
  func key(_ entry: Int) -> String {
    String(decoding: arena[keyRange(entry)], as: UTF8.self)
  }

  private func keyRange(_ entry: Int) -> Range<Int> {
    (entry == 0 ? 0 : Int(keyEnds[entry - 1]))..<Int(keyEnds[entry])
  }

  /// A key occurrence: which part it was read in, and its entry there.
  struct Occurrence: Equatable {
    let part: Int
    let entry: Int
  }

  /// Occurrences sharing a key across `parts` (in file order), each group
  /// in file order, groups ordered by their first occurrence.
  static func duplicateGroups(_ parts: [DuplicateFinder]) -> [[Occurrence]] {
    precondition(parts.count <= 2, "entries carry their part in one bit")
    var tagged: [UInt64] = []
    tagged.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for (part, finder) in parts.enumerated() {
      let partBit = UInt64(part) << 31
      for (entry, hash) in finder.hashes.enumerated() { tagged.append(UInt64(hash) << 32 | partBit | UInt64(entry)) }
    }
    let sorted = radixSortedByHash(tagged)
    var groups: [[Occurrence]] = []
    var start = 0
    while start < sorted.count {
      var end = start + 1
      while end < sorted.count && sorted[end] >> 32 == sorted[start] >> 32 { end += 1 }
      if end - start > 1 {
        let occurrences = sorted[start..<end].map {
          Occurrence(part: Int(($0 >> 31) & 1), entry: Int($0 & 0x7FFF_FFFF))
        }
        groups += splitByKey(occurrences, parts)
      }
      start = end
    }
    return groups.sorted { ($0[0].part, $0[0].entry) < ($1[0].part, $1[0].entry) }
  }

  /// Occurrences with one hash, split into groups of truly equal keys (hash
  /// collisions between different keys are rare but possible).
  private static func splitByKey(_ occurrences: [Occurrence], _ parts: [DuplicateFinder]) -> [[Occurrence]] {
    var remaining = occurrences
    var groups: [[Occurrence]] = []
    while let first = remaining.first {
      let same = remaining.filter { keysEqual(first, $0, parts) }
      if same.count > 1 { groups.append(same) }
      remaining.removeAll { keysEqual(first, $0, parts) }
    }
    return groups
  }

  private static func keysEqual(_ lhs: Occurrence, _ rhs: Occurrence, _ parts: [DuplicateFinder]) -> Bool {
    let left = parts[lhs.part]
    let right = parts[rhs.part]
    let leftRange = left.keyRange(lhs.entry)
    let rightRange = right.keyRange(rhs.entry)
    guard leftRange.count == rightRange.count else { return false }
    for offset in 0..<leftRange.count {
      let a = left.arena[leftRange.lowerBound + offset]
      let b = right.arena[rightRange.lowerBound + offset]
      if a != b && !(left.foldsCase && asciiLowercase(a) == asciiLowercase(b)) { return false }
    }
    return true
  }
}

/// A fast 32-bit hash of a key, eight bytes at a time, optionally folding
/// ASCII letters to lower case (emails compare without regard to case).
enum KeyHash {
  static func hash(_ key: UnsafeBufferPointer<UInt8>, foldingCase: Bool) -> UInt32 {
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

  @inline(__always)
  private static func mix(_ value: UInt64) -> UInt64 {
    var x = value &* 0xBF58_476D_1CE4_E5B9
    x ^= x >> 31
    return x &* 0x94D0_49BB_1331_11EB
  }

  /// Lowercases the ASCII capitals of eight bytes at once; other bytes,
  /// including UTF-8 ones, are left alone.
  @inline(__always)
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
func radixSortedByHash(_ input: [UInt64]) -> [UInt64] {
  var source = input
  var target = [UInt64](repeating: 0, count: input.count)
  for shift in stride(from: 32, to: 64, by: 8) {
    var counts = [Int](repeating: 0, count: 257)
    for value in source { counts[Int((value >> UInt64(shift)) & 0xFF) + 1] += 1 }
    for bucket in 1...256 { counts[bucket] += counts[bucket - 1] }
    for value in source {
      let bucket = Int((value >> UInt64(shift)) & 0xFF)
      target[counts[bucket]] = value
      counts[bucket] += 1
    }
    swap(&source, &target)
  }
  return source
}
