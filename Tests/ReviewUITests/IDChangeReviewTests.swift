import Foundation
import StoreKinds
import SyncEngine
import Testing

@testable import ReviewUI

/// The review screen lists ID changes in their own category, with what
/// matched and the old and new custom_id; committing accepts them.
@Suite struct IDChangeReviewTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Sam,,Lee,sam.a@x.org,1004,S1,Student,,6,Active",
    "Sam,,Lee,sam.b@x.org,1005,S1,Student,,7,Active",
  ]
  static let rows = [
    "Ana,,Ruiz,ana@x.org,9001,S1,Student,,6,Active",  // 2: Ana by email, a grade up
    "Bo,,Li,bo.li@x.org,9002,S1,Student,,4,Active",  // 3: Bo by name, building and type
    "Sam,,Lee,sam.c@x.org,9004,S1,Student,,6,Active",  // 4: either Sam Lee: a create (W059)
  ]

  @Test func theCategoryListsIDChangesWithTheirEvidence() throws {
    let fixture = try ReviewFixture(rows: Self.rows, accounts: Self.accounts)
    #expect(fixture.count(.idChanges) == 2)
    #expect(fixture.count(.creates) == 1)
    #expect(fixture.lines[5].hasPrefix(" 4 ID changes       2"))
    #expect(fixture.lines[0].contains(">2"))
    fixture.press(.character("4"))
    #expect(fixture.listLines[0].contains("ID change 1001 → 9001"))
    #expect(fixture.listLines[1].contains("ID change 1002 → 9002"))
    fixture.press(.enter)
    var details = fixture.screen
    #expect(details.contains("Line 2 · ID change"))
    #expect(details.contains("custom_id 1001 → 9001"))
    #expect(details.contains("matched: the same email as account #1"))
    fixture.press(.escape, .down, .enter)
    details = fixture.screen
    #expect(details.contains("custom_id 1002 → 9002"))
    #expect(details.contains("matched: the same first and last name, building and user"))
    #expect(details.contains("type as account #2, absent from the export"))
    // The ambiguous row is a create, and says why no ID change was guessed.
    fixture.press(.escape, .character("2"), .enter)
    #expect(fixture.screen.contains("W059"))
  }

  @Test(arguments: StoreKind.allCases) func committingFromReviewAcceptsTheIDChanges(store: StoreKind) throws {
    let fixture = try ReviewFixture(rows: Self.rows, accounts: Self.accounts, store: store)
    fixture.press(.character("c"))
    #expect(fixture.screen.contains("> 2 ID change (accepted by committing)"))
    fixture.press(.character("y"))
    #expect(fixture.services.commits == 1)
    let (run, _) = try #require(try fixture.directory.run(id: 2))
    #expect(run.counts["id_change"] == 2)
    let snapshot = try fixture.directory.snapshot()
    #expect(snapshot.account(customID: "1001") == nil)
    #expect(snapshot.account(customID: "9001") != nil)
  }
}
