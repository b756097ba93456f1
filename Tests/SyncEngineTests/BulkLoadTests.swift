import Foundation
import GRDB
import StoreKinds
import Testing

@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel

/// An import's bulk insert may build the email index after the rows are in
/// (`bulkLoadingAccounts`): uniqueness holds all the same, and the index is
/// there, as the schema made it, once the write is over.
@Suite struct BulkLoadTests {
  /// Two accounts with one email in two ASCII cases, in one bulk load.
  @Test(arguments: StoreKind.allCases) func aBulkLoadRefusesADuplicateEmail(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let lines = try fixture.accountLines()
    #expect(throws: DuplicateKey.self) {
      try fixture.directory.write { directory in
        _ = try directory.moveToNewState()
        try directory.bulkLoadingAccounts {
          _ = try directory.insertAccounts([
            try Self.account(in: directory, customID: "8001", email: "twin@x.org"),
            try Self.account(in: directory, customID: "8002", email: "TWIN@X.org"),
          ])
        }
      }
    }
    #expect(try fixture.accountLines() == lines)
  }

  /// After a bulk load that went in, and after one that was refused, a
  /// duplicate email is still refused row by row.
  @Test(arguments: StoreKind.allCases) func theEmailIndexHoldsAfterABulkLoad(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    _ = try? fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      try directory.bulkLoadingAccounts {
        _ = try directory.insertAccounts([try Self.account(in: directory, customID: "8001", email: "one@x.org")])
        throw CancellationError()
      }
    }
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      try directory.bulkLoadingAccounts {
        _ = try directory.insertAccounts([try Self.account(in: directory, customID: "8002", email: "two@x.org")])
      }
    }
    for email in ["TWO@x.org", "bo@X.ORG"] {
      #expect(throws: DuplicateKey.self) {
        try fixture.directory.write { directory in
          _ = try directory.moveToNewState()
          _ = try directory.insertAccounts([try Self.account(in: directory, customID: "8003", email: email)])
        }
      }
    }
  }

  /// The SQLite file's indexes after an import are the schema's own: the
  /// same names and the same definitions as a new directory's.
  @Test func anImportLeavesTheSchemasIndexes() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let fresh = fixture.folder.appendingPathComponent("fresh.sqlite").path
    _ = try SQLiteDirectory(path: fresh, access: .create)
    func indexes(_ path: String) throws -> [String] {
      try DatabaseQueue(path: path).read { db in
        try String.fetchAll(
          db, sql: "SELECT name || ': ' || ifnull(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
      }
    }
    let imported = try indexes(fixture.directoryPath)
    #expect(imported.contains("account_email: " + SQLiteTransaction.accountEmailIndexSQL))
    #expect(imported == (try indexes(fresh)))
  }

  /// A copy of the first account with another custom_id and email.
  static func account(in directory: any DirectoryTransaction, customID: String, email: String) throws
    -> StoredAccount
  {
    var account = try #require(try directory.account(id: 1))
    account.values[.customID] = customID
    account.values[.email] = email
    return account
  }
}
