import Testing

@testable import SyncDirectory
@testable import SyncModel

/// The directory's key indexes (custom_id, email), built by placing keys in
/// the order of their start slots: every key is found at its row, rows
/// without a key are not indexed, and of two keys that compare equal the
/// first row is found, as when keys were placed row by row.
@Suite struct KeyIndexTests {
  /// A store of `keys` in one column, the other columns empty.
  private func store(_ keys: [String], column: ExportColumn) -> RowStore {
    var store = RowStore(expectedRows: keys.count)
    for key in keys {
      for each in ExportColumn.allCases {
        var value = Array((each == column ? key : "").utf8)
        value.withUnsafeMutableBufferPointer { store.appendValue(UnsafeBufferPointer($0)) }
      }
    }
    return store
  }

  @Test func everyKeyIsFoundAtItsRow() {
    // Enough keys that many share a start slot and runs wrap past the end.
    var generator = SystemRandomNumberGenerator()
    let keys = (0..<20_000).map { row in
      row % 97 == 0 ? "" : "K\(row)-\(UInt32.random(in: 0...UInt32.max, using: &generator))"
    }
    let rows = store(keys, column: .customID)
    let index = KeyIndex(store: rows, column: .customID, foldsCase: false)
    #expect(index.slots.count == 65_536)
    #expect(index.slots.array.filter { $0 != 0 }.count == keys.filter { !$0.isEmpty }.count)
    for (row, key) in keys.enumerated() where !key.isEmpty {
      #expect(index.find(key, in: rows) == row)
    }
    #expect(index.find("", in: rows) == nil)
    #expect(index.find("K1-absent", in: rows) == nil)
  }

  @Test func ofKeysEqualButForCaseTheFirstRowIsFound() {
    let keys = ["b@x.org", "Ann@X.org", "c@x.org", "ann@x.org", "ANN@x.org", "d@x.org"]
    let rows = store(keys, column: .email)
    let folding = KeyIndex(store: rows, column: .email, foldsCase: true)
    #expect(folding.find("aNN@x.ORG", in: rows) == 1)
    #expect(folding.find("D@X.ORG", in: rows) == 5)
    let exact = KeyIndex(store: rows, column: .email, foldsCase: false)
    #expect(exact.find("ann@x.org", in: rows) == 3)
    #expect(exact.find("ANN@x.org", in: rows) == 4)
    #expect(exact.find("aNN@x.ORG", in: rows) == nil)
  }

  @Test func anEmptyStoreHasAnEmptyIndex() {
    let rows = store([], column: .customID)
    let index = KeyIndex(store: rows, column: .customID, foldsCase: false)
    #expect(index.slots.count == 16)
    #expect(index.slots.array.allSatisfy { $0 == 0 })
    #expect(index.find("x", in: rows) == nil)
  }
}
