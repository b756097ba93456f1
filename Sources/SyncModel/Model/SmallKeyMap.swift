/// A few hundred short keys (building IDs) to small integers, found from
/// bytes without making a string. Every row asks, twice (validation, then
/// planning): the keys sit in one byte array, and each slot carries its
/// key's hash, so a lookup compares bytes only with the key it finds.
package struct SmallKeyMap {
  private var keyBytes: [UInt8] = []
  /// Where each key ends in `keyBytes` (a key starts where the previous ends).
  private var keyEnds: [Int] = []
  private var values: [Int] = []
  /// Empty (0), or the key's hash in the high half and its entry + 1 low.
  private var slots: [UInt64]
  private let mask: Int

  package init(_ dictionary: [String: Int]) {
    var capacity = 16
    while capacity < dictionary.count * 4 { capacity <<= 1 }
    mask = capacity - 1
    slots = [UInt64](repeating: 0, count: capacity)
    for (key, value) in dictionary {
      let bytes = Array(key.utf8)
      let hash = bytes.withUnsafeBufferPointer { KeyHash.hash($0, foldingCase: false) }
      var slot = Int(hash) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = UInt64(hash) << 32 | UInt64(values.count + 1)
      keyBytes += bytes
      keyEnds.append(keyBytes.count)
      values.append(value)
    }
  }

  /// How many keys it holds.
  package var count: Int { values.count }

  package func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    let hash = KeyHash.hash(key, foldingCase: false)
    var slot = Int(hash) & mask
    return slots.withUnsafeBufferPointer { slots in
      keyBytes.withUnsafeBufferPointer { keyBytes in
        while true {
          let stored = slots[slot]
          if stored == 0 { return nil }
          if UInt32(truncatingIfNeeded: stored >> 32) == hash {
            let entry = Int(stored & 0xFFFF_FFFF) - 1
            let start = entry == 0 ? 0 : keyEnds[entry - 1]
            if bytesEqual(UnsafeBufferPointer(rebasing: keyBytes[start..<keyEnds[entry]]), key) {
              return values[entry]
            }
          }
          slot = (slot + 1) & mask
        }
      }
    }
  }
}
