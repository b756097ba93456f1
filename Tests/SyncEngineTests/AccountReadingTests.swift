import Testing

@testable import SyncDirectory
@testable import SyncModel

/// The pieces the stores' account readers build a snapshot with: rows
/// joined a row at a time, and each account's organization by its id.
@Suite struct AccountReadingTests {
  @Test func rowsJoinedARowAtATimeKeepEveryValue() {
    let rows: [[String]] = [
      ExportColumn.allCases.map { "\($0.header)-1" },
      ExportColumn.allCases.map { _ in "" },
      // Longer than the builder's first buffer: it grows, losing nothing.
      ExportColumn.allCases.map { String(repeating: "\($0.rawValue)", count: 300) + "é" },
      ExportColumn.allCases.map { $0 == .email ? "ana@x.org" : "" },
    ]
    let builder = RowBuilder()
    var store = RowStore()
    for row in rows {
      for value in row {
        var value = value
        value.withUTF8 { builder.add($0) }
      }
      store.append(builder)
    }
    #expect(store.rowCount == rows.count)
    for (index, row) in rows.enumerated() {
      #expect(ExportColumn.allCases.map { store.value(row: index, column: $0) } == row)
    }
  }

  /// The two-ended read joins the top half's blocks onto the bottom's,
  /// last block first: every value lands whole, its end moved by where
  /// the block's bytes now start.
  @Test func blocksOfAnotherStoreJoinedInAnyOrderKeepEveryValue() {
    func rows(_ prefix: String, _ count: Int) -> [[String]] {
      (0..<count).map { row in
        ExportColumn.allCases.map { "\(prefix)\(row)-\($0.rawValue)" + String(repeating: "x", count: row % 7) }
      }
    }
    func store(_ rows: [[String]]) -> RowStore {
      let builder = RowBuilder()
      var store = RowStore(expectedRows: rows.count)
      for row in rows {
        for value in row {
          var value = value
          value.withUTF8 { builder.add($0) }
        }
        store.append(builder)
      }
      return store
    }
    let bottomRows = rows("b", 5)
    let topRows = rows("t", 9)
    var bottom = store(bottomRows)
    let top = store(topRows)
    let blocks = [0..<3, 3..<4, 4..<9]
    bottom.reserve(rowsMore: top.rowCount, bytesMore: top.byteCount)
    for block in blocks.reversed() { bottom.append(rows: block, of: top) }
    let expected = bottomRows + blocks.reversed().flatMap { topRows[$0] }
    #expect(bottom.rowCount == expected.count)
    for (index, row) in expected.enumerated() {
      #expect(ExportColumn.allCases.map { bottom.value(row: index, column: $0) } == row)
    }
  }

  @Test(arguments: [[1, 2, 3], [7, 3, 5_000_000_000]])
  func organizationsAreFoundByIDWithTheirReferences(ids: [Int64]) {
    let organizations = ids.enumerated().map { index, id in
      Organization(
        id: id, externalID: index == 1 ? nil : "S\(index)", name: "School \(index)", kind: .school)
    }
    let found = OrganizationReferences(organizations)
    #expect(ids.map(found.index(ofID:)) == [0, 1, 2])
    #expect(found.index(ofID: 4) == 0)
    #expect(found.index(ofID: -1) == 0)
    let references = found.withReferences { reference in
      (0..<3).map { String(decoding: reference(Int32($0)), as: UTF8.self) }
    }
    // An organization without an external ID is referred to by its name.
    #expect(references == organizations.map(\.reference))
    #expect(references == ["S0", "School 1", "S2"])
  }
}
