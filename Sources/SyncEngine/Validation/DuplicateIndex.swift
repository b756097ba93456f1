/// Finds repeated keys (custom_id, email) among a million rows.
///
/// Keys are appended to one byte arena with a 32-bit hash each, in row
/// order; nothing is looked up while reading. At the end the (hash, entry)
/// pairs are radix-sorted and only neighbours with equal hashes have their
/// keys compared. Sequential writes and four linear passes cost far less than
/// a hash-table probe per row, which misses the cache at this size.
struct DuplicateFinder {
  /// Compare ASCII letters without regard to case (emails).
  let foldsCase: Bool
  private var arena: [UInt8] = []
  private var keyEnds: [Int] = []
  /// Hash in the high 32 bits, entry number in the low 32 bits.
  private var tagged: [UInt64] = []
  private(set) var rows: [Int] = []

  init(foldsCase: Bool, expectedKeys: Int = 0) {
    self.foldsCase = foldsCase
    tagged.reserveCapacity(expectedKeys)
    rows.reserveCapacity(expectedKeys)
    keyEnds.reserveCapacity(expectedKeys)
  }

  var count: Int { rows.count }

  /// Remembers `key` for `row`.
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, row: Int) {
    tagged.append(UInt64(hashKey(key)) << 32 | UInt64(rows.count))
    arena.append(contentsOf: key)
    keyEnds.append(arena.count)
    rows.append(row)
  }

  /// Adds the keys of another finder (a later part of the same export)
  /// whose rows are numbered from `rowOffset` on.
  mutating func append(_ other: DuplicateFinder, rowOffset: Int) {
    let entryOffset = UInt64(rows.count)
    let arenaOffset = arena.count
    tagged += other.tagged.map { $0 + entryOffset }
    arena += other.arena
    keyEnds += other.keyEnds.map { $0 + arenaOffset }
    rows += other.rows.map { $0 + rowOffset }
  }

  /// The key of an entry as it was given.
  func key(_ entry: Int) -> String {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    return String(decoding: arena[start..<keyEnds[entry]], as: UTF8.self)
  }

  /// Entries sharing a key, each group in entry (row) order; groups ordered
  /// by their first entry.
  func duplicateGroups() -> [[Int]] {
    let sorted = radixSortedByHash(tagged)
    var groups: [[Int]] = []
    var start = 0
    while start < sorted.count {
      var end = start + 1
      while end < sorted.count && sorted[end] >> 32 == sorted[start] >> 32 { end += 1 }
      if end - start > 1 { groups += splitByKey(sorted[start..<end].map { Int($0 & 0xFFFF_FFFF) }) }
      start = end
    }
    return groups.sorted { $0[0] < $1[0] }
  }

  /// Entries with one hash, split into groups of truly equal keys (hash
  /// collisions between different keys are rare but possible).
  private func splitByKey(_ entries: [Int]) -> [[Int]] {
    var remaining = entries
    var groups: [[Int]] = []
    while let first = remaining.first {
      let same = remaining.filter { keysEqual(first, $0) }
      if same.count > 1 { groups.append(same) }
      remaining.removeAll { keysEqual(first, $0) }
    }
    return groups
  }

  private func keysEqual(_ lhs: Int, _ rhs: Int) -> Bool {
    let leftStart = lhs == 0 ? 0 : keyEnds[lhs - 1]
    let rightStart = rhs == 0 ? 0 : keyEnds[rhs - 1]
    let length = keyEnds[lhs] - leftStart
    guard keyEnds[rhs] - rightStart == length else { return false }
    for offset in 0..<length {
      let left = arena[leftStart + offset]
      let right = arena[rightStart + offset]
      if left != right && !(foldsCase && asciiLowercase(left) == asciiLowercase(right)) { return false }
    }
    return true
  }

  private func hashKey(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    if foldsCase {
      for byte in key { hash = (hash ^ UInt64(asciiLowercase(byte))) &* 0x100_0000_01b3 }
    } else {
      for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
  }
}

/// Stable LSD radix sort on the high 32 bits, a byte per pass; the low bits
/// (entry numbers, already ascending) keep their order within equal hashes.
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
