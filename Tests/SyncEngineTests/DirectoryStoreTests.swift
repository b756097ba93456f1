import Dispatch
import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// What every directory store guarantees the rules above it, whatever it
/// keeps the directory in.
@Suite struct DirectoryStoreTests {
  /// A write whose body fails leaves nothing behind: not its accounts, not
  /// its run, not its new state.
  @Test(arguments: StoreKind.allCases) func aFailedWriteLeavesNothing(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let state = try fixture.directory.state
    let lines = try fixture.accountLines()
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try fixture.directory.write { directory in
        let generation = try directory.moveToNewState()
        var values = try #require(try directory.account(id: 1)).values
        values[.grade] = "12"
        try directory.updateAccount(id: 1, to: StoredAccount(organizationID: 2, values: values))
        values[.customID] = "9999"
        values[.email] = "new@x.org"
        _ = try directory.insertAccounts([StoredAccount(organizationID: 2, values: values)])
        _ = try directory.insertRun(
          RunRecord(
            id: 0, kind: .apply, startedAt: "", finishedAt: "", user: "", host: "", exportPath: nil,
            exportSHA256: nil, revertsRun: nil, generation: generation, counts: [:]))
        #expect(try directory.account(id: 1)?.values[.grade] == "12")
        throw Stop()
      }
    }
    #expect(try fixture.directory.state == state)
    #expect(try fixture.accountLines() == lines)
    #expect(try fixture.directory.runs().count == 1)
  }

  /// Custom IDs and emails stay unique (emails without regard to ASCII
  /// case); the refused write changes nothing.
  @Test(arguments: StoreKind.allCases) func aDuplicateKeyIsRefused(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let lines = try fixture.accountLines()
    for (customID, email) in [("1001", "other@x.org"), ("7777", "BO@x.org")] {
      #expect(throws: DuplicateKey.self) {
        try fixture.directory.write { directory in
          _ = try directory.moveToNewState()
          var values = try #require(try directory.account(id: 1)).values
          values[.customID] = customID
          values[.email] = email
          _ = try directory.insertAccounts([StoredAccount(organizationID: 2, values: values)])
        }
      }
    }
    #expect(try fixture.accountLines() == lines)
  }

  /// Emails are compared without regard to ASCII case only, as SQLite's
  /// NOCASE compares: "É" and "é" are two letters to every store, so both
  /// addresses may exist, and each is found under its own accent.
  @Test(arguments: StoreKind.allCases) func emailsFoldOnlyASCIICase(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let ids = try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      var values = try #require(try directory.account(id: 1)).values
      values[.customID] = "8001"
      values[.email] = "élodie@x.org"
      let first = try directory.insertAccounts([StoredAccount(organizationID: 2, values: values)])
      values[.customID] = "8002"
      values[.email] = "Élodie@x.org"
      return first + (try directory.insertAccounts([StoredAccount(organizationID: 2, values: values)]))
    }
    let found = try fixture.directory.read { directory in
      [
        try directory.accountID(email: "éLODIE@X.ORG", otherThan: 0),
        try directory.accountID(email: "ÉLODIE@X.ORG", otherThan: 0),
      ]
    }
    #expect(found == ids)
    let snapshot = try fixture.directory.snapshot()
    #expect(snapshot.account(email: "ÉLODIE@x.org").map { snapshot.accountIDs[$0] } == ids[1])
  }

  /// One writer at a time: while a write is open, another is refused at
  /// once (the SQLite store through its lock file, even in one process).
  @Test(arguments: StoreKind.allCases) func aSecondWriterIsRefusedWhileOneWrites(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let plan = try fixture.plan(ApplyTests.rows)
    let inside = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let directory = fixture.directory
    let first = DispatchGroup()
    DispatchQueue.global().async(group: first) {
      _ = try? directory.write { _ in
        inside.signal()
        release.wait()
      }
    }
    inside.wait()
    #expect {
      _ = try directory.apply(plan)
    } throws: { error in
      guard case ApplyRefusal.locked = error else { return false }
      return "\(error)".contains("another apply is writing to this directory")
    }
    release.signal()
    first.wait()
    guard case .applied = try directory.apply(plan) else {
      Issue.record("not applied once the first writer finished")
      return
    }
  }

  /// A reader sees the last committed state, never a write in progress
  /// (the SQLite file is read through a second connection, as another
  /// command would: one connection is not re-entered).
  @Test(arguments: StoreKind.allCases) func readersSeeOnlyCommittedStates(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let reader: any DirectoryStore =
      store == .sqlite ? try SQLiteDirectory(path: fixture.directoryPath, access: .read) : fixture.directory
    let before = try reader.state
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      var values = try #require(try directory.account(id: 1)).values
      values[.grade] = "12"
      try directory.updateAccount(id: 1, to: StoredAccount(organizationID: 2, values: values))
      #expect(try reader.state == before)
      #expect(try reader.snapshot().values(ofAccount: 0)[.grade] == "5")
    }
    #expect(try reader.state.generation == before.generation + 1)
    #expect(try reader.snapshot().values(ofAccount: 0)[.grade] == "12")
  }
}
