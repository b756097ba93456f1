import Foundation
import GRDB
import Testing

@testable import SyncDirectory
@testable import SyncModel

/// A large SQLite directory (ids past 200,000) is read on two connections
/// at once, from both ends of the ids in blocks, and the top reader's
/// blocks are joined onto the bottom reader's: every account is there once,
/// in id order, with its own values, found by its keys, and the snapshot
/// cache written from it gives the same snapshot back.
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

  @Test func accountsOfManyBlocksFromBothEndsAreEachThereOnceInIDOrder() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    // 2,000 accounts 199 ids apart, up to id 397,805: some forty blocks,
    // each reader taking several; each account's values name its id.
    let ids = (0..<2_000).map { 4 + Int64($0) * 199 }
    let queue = try DatabaseQueue(path: fixture.directoryPath)
    try queue.write { db in
      for id in ids {
        try db.execute(
          sql: """
            INSERT INTO account (id, custom_id, first_name, last_name, email, organization_id, user_type, grade, status)
            SELECT ?, ?, 'N', ?, ?, organization_id, 'Student', '7', 'Active' FROM account WHERE id = 1
            """, arguments: [id, "C\(id)", "L\(id)", "e\(id)@x.org"])
      }
    }
    try queue.close()
    try fixture.directory.write { directory in _ = try directory.moveToNewState() }

    let snapshot = try fixture.sqlite.snapshot()
    #expect(snapshot.accountIDs == [1, 2, 3] + ids)
    for (account, id) in snapshot.accountIDs.enumerated().dropFirst(3) {
      let values = snapshot.values(ofAccount: account)
      #expect(values[.customID] == "C\(id)" && values[.lastName] == "L\(id)" && values[.email] == "e\(id)@x.org")
    }
    #expect(snapshot.account(customID: "C397805").map { snapshot.accountIDs[$0] } == 397_805)
    #expect(snapshot.account(email: "E4@X.ORG").map { snapshot.accountIDs[$0] } == 4)
    #expect(snapshot.values(ofAccount: 0)[.lastName] == "Ruiz")
  }

  @Test func blocksFromBothEndsCoverEveryIDOnce() throws {
    let blocks = SQLiteDirectory.IDBlocks(maxID: 1_000_000)
    var bottom: [ClosedRange<Int64>] = []
    var top: [ClosedRange<Int64>] = []
    // The bottom reader three times as fast as the top one.
    var turn = 0
    while true {
      let fromTheBottom = turn % 4 != 3
      turn += 1
      guard let block = fromTheBottom ? blocks.claimBottom() : blocks.claimTop() else { break }
      if fromTheBottom { bottom.append(block) } else { top.append(block) }
    }
    #expect(blocks.claimTop() == nil && blocks.claimBottom() == nil)
    #expect(!top.isEmpty && bottom.count > 2 * top.count)
    // In id order: the bottom's blocks as claimed, then the top's reversed;
    // each starts right after the one before, from 0 to past every id.
    let all = bottom + top.reversed()
    #expect(all.first?.lowerBound == 0 && all.last?.upperBound == Int64.max)
    #expect(zip(all, all.dropFirst()).allSatisfy { $0.upperBound + 1 == $1.lowerBound })
  }
}
