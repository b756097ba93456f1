import SyncModel

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
  // Shared by copies: a finder is only copied once reading is over.
  private let arena: AppendBuffer<UInt8>
  private let keyEnds: AppendBuffer<UInt32>
  private let hashes: AppendBuffer<UInt32>
  private let rowNumbers: AppendBuffer<UInt32>

  init(foldsCase: Bool, expectedKeys: Int = 0) {
    self.foldsCase = foldsCase
    hashes = AppendBuffer(capacity: expectedKeys)
    rowNumbers = AppendBuffer(capacity: expectedKeys)
    keyEnds = AppendBuffer(capacity: expectedKeys)
    // Address space only until written (keys run well under 32 bytes).
    arena = AppendBuffer(capacity: expectedKeys * 32)
  }

  var count: Int { rowNumbers.count }
  /// The row of each entry.
  var rows: UnsafeBufferPointer<UInt32> { rowNumbers.elements }

  /// Remembers `key` for `row`. (Mutating although the buffers are
  /// references: it is then called in place, not on a retained copy.)
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, row: Int) {
    hashes.append(KeyHash.hash(key, foldingCase: foldsCase))
    arena.append(contentsOf: key)
    precondition(arena.count <= UInt32.max, "duplicate keys exceed 4 GiB")
    keyEnds.append(UInt32(arena.count))
    rowNumbers.append(UInt32(row))
  }

  /// The key of an entry as it was given.
  func key(_ entry: Int) -> String {
    let range = keyRange(entry)
    let bytes = UnsafeBufferPointer(start: arena.base + range.lowerBound, count: range.count)
    return String(decoding: bytes, as: UTF8.self)
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
      for (entry, hash) in finder.hashes.elements.enumerated() {
        tagged.append(UInt64(hash) << 32 | partBit | UInt64(entry))
      }
    }
    radixSortByHash(&tagged)
    let sorted = tagged
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
