import Foundation
import GRDB
import Testing

@testable import SyncDirectory
@testable import SyncModel

/// A large SQLite directory (ids past 200,000) is read in two id ranges at
/// once, and the second range is joined onto the first: every account is
/// there once, in id order, with its own values, found by its keys, and the
/// snapshot cache written from it gives the same snapshot back.
@Suite struct TwoRangeSnapshotTests {
  @Test func accountsOfBothRangesAreJoinedInIDOrder() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    // An account far past the others: the read splits at max(id) / 2.
    let queue = try DatabaseQueue(path: fixture.directoryPath)
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO account (id, custom_id, first_name, last_name, email, organization_id, user_type, grade, status)
          SELECT 300000, '3001', 'Cy', 'Far', 'cy@x.org', organization_id, 'Student', '7', 'Active'
          FROM account WHERE id = 1
          """)
    }
    try queue.close()
    // A write through the store after it: a new state, so no earlier cache
    // stands in for the read.
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      var values = try #require(try directory.account(id: 2)).values
      values[.customID] = "3002"
      values[.email] = "dee@x.org"
      values[.firstName] = "Dee"
      _ = try directory.insertAccounts([StoredAccount(organizationID: 2, values: values)])
    }

    let snapshot = try fixture.sqlite.snapshot()
    #expect(snapshot.accountIDs == [1, 2, 3, 300_000, 300_001])
    #expect(snapshot.values(ofAccount: 0)[.lastName] == "Ruiz")
    #expect(snapshot.values(ofAccount: 2)[.position] == "Coach")
    // The second range's values keep their own bytes after the join.
    let far = try #require(snapshot.account(customID: "3001"))
    #expect(snapshot.accountIDs[far] == 300_000)
    #expect(snapshot.values(ofAccount: far)[.email] == "cy@x.org")
    #expect(snapshot.values(ofAccount: far)[.status] == "Active")
    #expect(snapshot.organization(ofAccount: far).externalID == "S1")
    #expect(snapshot.account(email: "DEE@x.org").map { snapshot.accountIDs[$0] } == 300_001)
    #expect(snapshot.values(ofAccount: 4)[.firstName] == "Dee")
    #expect(snapshot.account(customID: "1002").map { snapshot.accountIDs[$0] } == 2)

    fixture.sqlite.waitForBackgroundWork()
    let cached = try #require(SnapshotCache.load(directory: fixture.directoryPath, state: snapshot.state))
    #expect(cached.accountIDs == snapshot.accountIDs)
    #expect(cached.accountOrganizations == snapshot.accountOrganizations)
    #expect(cached.accounts.rawEnds == snapshot.accounts.rawEnds)
    #expect(cached.accounts.rawArena == snapshot.accounts.rawArena)
  }
}
