import Foundation
import StoreKinds
import Testing

@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

/// `updateAccounts`, the batch a store may write in fewer statements (the
/// PostgreSQL store: one COPY and one UPDATE), ends exactly as the same
/// updates one by one: the same rows, the same refusals.
@Suite struct AccountUpdatesTests {
  /// More accounts than a store's smallest batch (PostgreSQL: 16).
  static let count = 40

  static func accounts(_ count: Int = Self.count) -> [String] {
    (1...count).map { "F\($0),,L\($0),p\($0)@x.org,\(3000 + $0),S1,Student,,5,Active" }
  }

  /// Account `id`'s values with `change` made.
  static func changed(
    _ directory: any DirectoryReading, _ id: Int64, _ change: (inout AccountValues) -> Void
  ) throws -> AccountUpdate {
    let stored = try #require(try directory.account(id: id))
    var values = stored.values
    change(&values)
    return AccountUpdate(id: id, account: StoredAccount(organizationID: stored.organizationID, values: values))
  }

  /// Each account takes the email the next one gave up just before it (in
  /// the list's order, from the last account down): fine one by one, and
  /// so fine together, whatever order one statement would visit them in.
  @Test(arguments: StoreKind.allCases) func aChainOfEmailsPassedOnIsWritten(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts(), store: store)
    let generation = try fixture.directory.write { directory in
      let generation = try directory.moveToNewState()
      var updates = [try Self.changed(directory, Int64(Self.count)) { $0[.email] = "new@x.org" }]
      for id in stride(from: Int64(Self.count - 1), through: 1, by: -1) {
        updates.append(
          try Self.changed(directory, id) {
            $0[.email] = "p\(id + 1)@x.org"
            $0[.grade] = "6"
          })
      }
      try directory.updateAccounts(updates)
      return generation
    }
    let lines = try fixture.accountLines()
    for id in 1..<Self.count {
      #expect(lines.contains("F\(id),,L\(id),p\(id + 1)@x.org,\(3000 + id),S1,Student,,6,Active"))
    }
    #expect(lines.contains("F\(Self.count),,L\(Self.count),new@x.org,\(3000 + Self.count),S1,Student,,5,Active"))
    let changed = try fixture.directory.read { try $0.records(changedAfter: generation - 1) }
    #expect(changed.accounts.map(\.id) == (1...Int64(Self.count)).map { $0 })
  }

  /// A batch in which one update takes a custom_id another account holds
  /// is refused with the `DuplicateKey` that update alone gets, and the
  /// write leaves nothing behind.
  @Test(arguments: StoreKind.allCases) func aTakenKeyInABatchIsRefusedAsAlone(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts(Self.count + 1), store: store)
    let lines = try fixture.accountLines()
    let taken = "\(3000 + Self.count + 1)"
    /// The DuplicateKey a write doing `body` ends with; nil when none.
    func refusal(_ body: (any DirectoryTransaction) throws -> Void) -> DuplicateKey? {
      do {
        try fixture.directory.write { directory in
          _ = try directory.moveToNewState()
          try body(directory)
        }
      } catch let duplicate as DuplicateKey { return duplicate } catch {
        Issue.record("not a DuplicateKey: \(error)")
      }
      return nil
    }
    let alone = refusal { directory in
      let update = try Self.changed(directory, 20) { $0[.customID] = taken }
      try directory.updateAccount(id: update.id, to: update.account)
    }
    let together = refusal { directory in
      try directory.updateAccounts(
        try (1...Int64(Self.count)).map { id in
          try Self.changed(directory, id) {
            $0[.grade] = "7"
            if id == 20 { $0[.customID] = taken }
          }
        })
    }
    #expect(alone != nil)
    #expect(together?.message == alone?.message)
    #expect(try fixture.accountLines() == lines)
  }

  /// A changed email loses the generated mark; an unchanged one keeps it.
  @Test(arguments: StoreKind.allCases) func aChangedEmailLosesItsGeneratedMark(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts(), store: store)
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      try directory.markEmailsGenerated(accountIDs: [5, 6])
    }
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      try directory.updateAccounts(
        try (1...Int64(Self.count)).map { id in
          try Self.changed(directory, id) {
            $0[.grade] = "8"
            if id == 5 { $0[.email] = "other5@x.org" }
          }
        })
    }
    #expect(try fixture.directory.read { try $0.accountIDsWithGeneratedEmail() } == [6])
  }

  /// An apply of many updates (the batch path), with creates between them:
  /// every change written and recorded in the plan's order.
  @Test(arguments: StoreKind.allCases) func anApplyOfManyUpdatesWritesAndRecordsEach(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts(), store: store)
    var rows = (1...Self.count).map { "F\($0),,L\($0),p\($0)@x.org,\(3000 + $0),S1,Student,,9,Active" }
    rows.insert("New,,Kid,new@x.org,4001,S2,Student,,K,Active", at: 20)
    let plan = try fixture.plan(rows)
    guard case .applied(let run) = try fixture.directory.apply(plan) else {
      Issue.record("nothing applied")
      return
    }
    #expect(run.counts["update"] == Self.count)
    #expect(run.counts["create"] == 1)
    let lines = try fixture.accountLines()
    for id in 1...Self.count {
      #expect(lines.contains("F\(id),,L\(id),p\(id)@x.org,\(3000 + id),S1,Student,,9,Active"))
    }
    let recorded = try #require(try fixture.directory.run(id: run.id)).1
    #expect(
      recorded.map(\.customID) == rows.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[4]) })
  }

  /// `accounts(ids:)` (a saved plan's verification reads thousands at a
  /// time) finds what `account(id:)` finds, and leaves out ids no account has.
  @Test(arguments: StoreKind.allCases) func manyAccountsReadAsOneByOne(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts(), store: store)
    try fixture.directory.read { directory in
      let ids: [Int64] = [3, 1, 40, 999, 17]
      let found = try directory.accounts(ids: ids)
      #expect(found.keys.sorted() == [1, 3, 17, 40])
      for id in ids { #expect(found[id] == (try directory.account(id: id))) }
      #expect(found[17]?.values[.email] == "p17@x.org")
      #expect(try directory.accounts(ids: []).isEmpty)
    }
  }
}
