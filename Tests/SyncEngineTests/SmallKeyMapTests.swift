import Testing

@testable import SyncModel

/// Building IDs found from bytes: the same answers a dictionary gives, for
/// keys that share prefixes or hash slots, the empty key, and absent keys.
@Suite struct SmallKeyMapTests {
  @Test func findsWhatADictionaryFinds() {
    var dictionary: [String: Int] = ["": 999]
    for index in 0..<400 {
      dictionary["S\(index)"] = index
      dictionary["S\(index)-annex"] = 1000 + index
      dictionary["École \(index)"] = 2000 + index
    }
    let map = SmallKeyMap(dictionary)
    func find(_ key: String) -> Int? {
      var key = key
      return key.withUTF8 { map.find($0) }
    }
    for (key, value) in dictionary { #expect(find(key) == value, "\(key)") }
    for absent in ["S400", "S-1", "s1", "S1-annex ", "Ecole 1", "S", "S1-anne"] {
      #expect(find(absent) == nil, "\(absent)")
    }
    #expect(SmallKeyMap([:]).find(UnsafeBufferPointer(start: nil, count: 0)) == nil)
  }
}
