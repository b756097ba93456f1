/// A few hundred short keys (building IDs) to small integers, found from
/// bytes without making a string.
package struct SmallKeyMap {
  private var keys: [[UInt8]] = []
  private var values: [Int] = []
  private var slots: [Int32]
  private let mask: Int

  package init(_ dictionary: [String: Int]) {
    var capacity = 16
    while capacity < dictionary.count * 4 { capacity <<= 1 }
    mask = capacity - 1
    slots = [Int32](repeating: -1, count: capacity)
    for (key, value) in dictionary {
      let bytes = Array(key.utf8)
      var slot = Int(bytes.withUnsafeBufferPointer { KeyHash.hash($0, foldingCase: false) }) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(keys.count)
      keys.append(bytes)
      values.append(value)
    }
  }

  package func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    var slot = Int(KeyHash.hash(key, foldingCase: false)) & mask
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { return nil }
      if keys[entry].withUnsafeBufferPointer({ bytesEqual($0, key) }) { return values[entry] }
      slot = (slot + 1) & mask
    }
  }
}
