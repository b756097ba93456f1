import SyncModel

/// Finds repeated keys (custom_id, email) among a million rows.
///
/// Keys are appended to one byte arena with a 32-bit hash each, in row
/// order; nothing is looked up while reading. At the end the (hash, entry)
/// pairs of every part (the parts read on two cores) are radix-sorted
/// together and only neighbours with equal hashes have their keys compared.
/// Sequential writes and a few linear passes cost far less than a hash-table
/// probe per row, which misses the cache at this size. A part read on its
/// own core sorts its entries there once it is done (`sortEntries`), and the
/// end of the run only walks the sorted parts side by side.
struct DuplicateFinder {
  /// Compare ASCII letters without regard to case (emails).
  let foldsCase: Bool
  // Shared by copies: a finder is only copied once reading is over.
  private let arena: AppendBuffer<UInt8>
  private let keyEnds: AppendBuffer<UInt32>
  private let hashes: AppendBuffer<UInt32>
  private let rowNumbers: AppendBuffer<UInt32>
  /// The entries sorted by hash once `sortEntries` ran (the hashes are then
  /// let go: each sorted entry holds its hash).
  private let sorted = SortedEntries()

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
  /// Returns the key's hash (planning looks the custom_id up by it too).
  @discardableResult
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, row: Int) -> UInt32 {
    precondition(sorted.entries == nil, "a key added after sorting")
    let hash = KeyHash.hash(key, foldingCase: foldsCase)
    hashes.append(hash)
    arena.append(contentsOf: key)
    precondition(arena.count <= UInt32.max, "duplicate keys exceed 4 GiB")
    keyEnds.append(UInt32(arena.count))
    rowNumbers.append(UInt32(row))
    return hash
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

  /// Sorts the entries by hash now (on the core that read them) and lets
  /// the hashes go; no key may be added after.
  func sortEntries() {
    guard sorted.entries == nil else { return }
    sorted.entries = sortedEntries()
    hashes.removeAll()
  }

  /// Each entry as its hash in the high 32 bits and its number in the low,
  /// sorted by hash, entries with one hash in entry order.
  private func sortedEntries() -> [UInt64] {
    if let entries = sorted.entries { return entries }
    precondition(count < UInt32.max, "entries are numbered in 32 bits")
    return entriesSortedByHash(hashes.elements)
  }

  /// Occurrences sharing a key across `parts` (in file order), each group
  /// in file order, groups ordered by their first occurrence.
  static func duplicateGroups(_ parts: [DuplicateFinder]) -> [[Occurrence]] {
    var groups: [[Occurrence]] = []
    withSortedEntries(of: parts[...], lent: []) { sorted in
      // (On one core at the end of the run, a million entries: each step
      // takes the least of the parts' next entries, from a buffer of them,
      // with no array check, and moves that part on.)
      let partCount = sorted.count
      let entries = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt64>>.allocate(capacity: partCount)
      let heads = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: partCount)
      let positions = UnsafeMutableBufferPointer<Int>.allocate(capacity: partCount)
      defer {
        entries.deallocate()
        heads.deallocate()
        positions.deallocate()
      }
      // An entry is its hash (high 32 bits) and its number: no entry is
      // `.max`, which marks a part walked to its end.
      for part in 0..<partCount {
        entries.initializeElement(at: part, to: sorted[part])
        heads[part] = sorted[part].first ?? .max
        positions[part] = 0
      }
      // The hash being walked: its first occurrence, then (only when
      // there is a second) all of them.
      var first = Occurrence(part: 0, entry: 0)
      var group: [Occurrence] = []
      var groupHash = UInt64.max
      func endGroup() {
        guard !group.isEmpty else { return }
        // Entries of one hash come part by part here, not in file order.
        groups += splitByKey(group.sorted { ($0.part, $0.entry) < ($1.part, $1.entry) }, parts)
        group.removeAll(keepingCapacity: true)
      }
      while true {
        var least = heads[0]
        var leastPart = 0
        for part in 1..<partCount where heads[part] < least {
          least = heads[part]
          leastPart = part
        }
        if least == .max { break }
        let occurrence = Occurrence(part: leastPart, entry: Int(least & 0xFFFF_FFFF))
        if least >> 32 != groupHash {
          endGroup()
          groupHash = least >> 32
          first = occurrence
        } else {
          if group.isEmpty { group.append(first) }
          group.append(occurrence)
        }
        let next = positions[leastPart] + 1
        positions[leastPart] = next
        heads[leastPart] = next < entries[leastPart].count ? entries[leastPart][next] : .max
      }
      endGroup()
    }
    return groups.sorted { ($0[0].part, $0[0].entry) < ($1[0].part, $1[0].entry) }
  }

  /// Calls `body` with each part's sorted entries by pointer, `lent` those
  /// of the parts before.
  private static func withSortedEntries(
    of parts: ArraySlice<DuplicateFinder>, lent: [UnsafeBufferPointer<UInt64>],
    _ body: ([UnsafeBufferPointer<UInt64>]) -> Void
  ) {
    guard let part = parts.first else { return body(lent) }
    part.sortedEntries().withUnsafeBufferPointer { entries in
      withSortedEntries(of: parts.dropFirst(), lent: lent + [entries], body)
    }
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

/// Where a finder keeps its sorted entries (shared by its copies, like its
/// buffers).
private final class SortedEntries {
  var entries: [UInt64]?
}
