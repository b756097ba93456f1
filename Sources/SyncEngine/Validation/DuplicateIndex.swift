/// Finds repeated keys (custom_id, email) among a million rows without a
/// string per row: keys are copied into one byte arena and found again
/// through an open-addressing table of row numbers.
struct DuplicateIndex {
  /// Compare ASCII letters without regard to case (emails).
  let foldsCase: Bool
  private var arena: [UInt8] = []
  private var keyEnds: [Int] = []
  /// Row (index into `keyRows`) + 1 per slot; 0 marks an empty slot.
  private var slots: [Int32]
  private var hashes: [UInt32] = []
  private(set) var keyRows: [Int] = []

  init(foldsCase: Bool, expectedKeys: Int = 1 << 16) {
    self.foldsCase = foldsCase
    var capacity = 1
    while capacity < expectedKeys * 2 { capacity <<= 1 }
    slots = [Int32](repeating: 0, count: capacity)
  }

  /// Remembers `key` for `row`; when the key was seen before, returns its
  /// entry (see `keyRows` and `key(_:)`) and remembers nothing.
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>, row: Int) -> Int? {
    let hash = hashKey(key)
    let mask = slots.count - 1
    var slot = Int(hash) & mask
    while true {
      let stored = Int(slots[slot])
      if stored == 0 { break }
      let entry = stored - 1
      if hashes[entry] == hash && keyEquals(entry, key) { return entry }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(keyRows.count + 1)
    arena.append(contentsOf: key)
    keyEnds.append(arena.count)
    hashes.append(hash)
    keyRows.append(row)
    if keyRows.count * 2 > slots.count { rehash() }
    return nil
  }

  /// The key of an entry as first seen.
  func key(_ entry: Int) -> String {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    return String(decoding: arena[start..<keyEnds[entry]], as: UTF8.self)
  }

  private func keyEquals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    guard keyEnds[entry] - start == key.count else { return false }
    return arena.withUnsafeBufferPointer { stored in
      if foldsCase {
        for index in 0..<key.count where asciiLowercase(stored[start + index]) != asciiLowercase(key[index]) {
          return false
        }
        return true
      }
      return memcmpEqual(stored.baseAddress! + start, key.baseAddress!, key.count)
    }
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

  private mutating func rehash() {
    var grown = [Int32](repeating: 0, count: slots.count * 2)
    let mask = grown.count - 1
    for entry in 0..<keyRows.count {
      var slot = Int(hashes[entry]) & mask
      while grown[slot] != 0 { slot = (slot + 1) & mask }
      grown[slot] = Int32(entry + 1)
    }
    slots = grown
  }
}

@inline(__always)
func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var index = 0
  while index < count {
    if lhs[index] != rhs[index] { return false }
    index += 1
  }
  return true
}
