import ExportReading
import SyncModel

/// Finds a row by a key held in a `RowStore` column (custom_id, email)
/// without a string per row: open addressing over packed (hash, row) slots,
/// keys compared in place. Empty keys are not indexed.
@usableFromInline
struct KeyIndex: Sendable {
  @usableFromInline let column: ExportColumn
  @usableFromInline let foldsCase: Bool
  @usableFromInline let slots: ReadOnlyValues<UInt64>

  /// An index saved earlier (the snapshot cache).
  init(column: ExportColumn, foldsCase: Bool, slots: ReadOnlyValues<UInt64>) {
    precondition(slots.count.nonzeroBitCount == 1, "slot counts are powers of two")
    self.column = column
    self.foldsCase = foldsCase
    self.slots = slots
  }

  /// Indexes every non-empty key of `column`. The keys are hashed in row
  /// order, sorted by the slot they start from (a radix sort: stable, so
  /// keys that compare equal keep their row order, and `find` meets the
  /// first row first, as inserting row by row would), and placed in that
  /// order: the table is written front to back, where placing a million
  /// keys in row order missed the cache at each one (0.1–0.35 s an index).
  init(store: RowStore, column: ExportColumn, foldsCase: Bool) {
    self.column = column
    self.foldsCase = foldsCase
    var capacity = 16
    while capacity < store.rowCount * 2 { capacity <<= 1 }
    // Start slots are 32-bit, with one value left over for rows without a key.
    precondition(capacity <= 1 << 31, "a key index holds at most 2^30 rows")
    let mask = capacity - 1
    let noKey = UInt32.max
    var hashes = [UInt32](repeating: 0, count: store.rowCount)
    var starts = [UInt32](repeating: noKey, count: store.rowCount)
    store.withUnsafeRows { rows in
      for row in 0..<rows.rowCount {
        let key = rows.bytes(row, column)
        guard !key.isEmpty else { continue }
        let hash = KeyHash.hash(key, foldingCase: foldsCase)
        hashes[row] = hash
        starts[row] = hash & UInt32(mask)
      }
    }
    let placing = starts.withUnsafeBufferPointer(entriesSortedByHash)
    slots = ReadOnlyValues(count: capacity) { slots in
      slots.initialize(repeating: 0)
      for entry in placing {
        let start = UInt32(truncatingIfNeeded: entry >> 32)
        if start == noKey { break }  // rows without a key sort last
        let row = Int(entry & 0xFFFF_FFFF)
        var slot = Int(start)
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt64(hashes[row]) << 32 | UInt64(row + 1)
      }
      return true
    }!
  }

  /// The row whose key equals `key`, if any. Keys are unique in the
  /// directory (the database enforces it), so the first match is the one.
  func find(_ key: UnsafeBufferPointer<UInt8>, in store: RowStore) -> Int? {
    store.withUnsafeRows { find(key, rows: $0) }
  }

  /// The same, against the store's values by pointer (planning's loops;
  /// inlined into them).
  @inlinable
  func find(_ key: UnsafeBufferPointer<UInt8>, rows: UnsafeRows) -> Int? {
    find(key, hash: hash(key), rows: rows)
  }

  /// A key's hash as this index hashes it (`find` and `prefetch` take it
  /// worked out, when one key is asked for both).
  @inlinable
  func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 { KeyHash.hash(key, foldingCase: foldsCase) }

  /// `find`, with the key's `hash` already worked out.
  @inlinable
  func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32, rows: UnsafeRows) -> Int? {
    guard !key.isEmpty else { return nil }
    let mask = slots.count - 1
    return slots.withUnsafeBufferPointer { slots in
      var slot = Int(hash) & mask
      while true {
        let stored = slots[slot]
        if stored == 0 { return nil }
        if UInt32(truncatingIfNeeded: stored >> 32) == hash {
          let row = Int(stored & 0xFFFF_FFFF) - 1
          let candidate = rows.bytes(row, column)
          if foldsCase ? equalFoldingASCII(candidate, key) : bytesEqual(candidate, key) { return row }
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// Asks for the cache line where `find` starts looking for `key`.
  @inlinable
  func prefetch(_ key: UnsafeBufferPointer<UInt8>) {
    guard !key.isEmpty else { return }
    prefetch(hash: hash(key))
  }

  /// `prefetch`, with the key's hash already worked out.
  @inlinable
  func prefetch(hash: UInt32) {
    let slot = Int(hash) & (slots.count - 1)
    slots.withUnsafeBufferPointer { SyncModel.prefetch($0.baseAddress! + slot) }
  }

  func find(_ key: String, in store: RowStore) -> Int? {
    var key = key
    return key.withUTF8 { find($0, in: store) }
  }

}

@inlinable
func equalFoldingASCII(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
  guard lhs.count == rhs.count else { return false }
  for index in 0..<lhs.count where asciiLowercase(lhs[index]) != asciiLowercase(rhs[index]) { return false }
  return true
}
