import Foundation
import GRDB
import Testing

@testable import SyncDirectory
@testable import SyncModel

/// The accounts read straight from the database file's pages are exactly
/// those SQLite gives (values, ids, organizations, in id order), whatever
/// their shape: values spilling into overflow pages, NULLs, deleted rows,
/// a tree of several levels, read on one core or from both ends. Where the
/// file alone does not hold the state (commits still in the WAL) or is
/// damaged, the read is left to SQLite and nothing is lost.
@Suite struct AccountPagesTests {
  /// Some 3,000 accounts of every shape, with the WAL folded into the file.
  static func directoryOfManyShapes() throws -> SyncFixture {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let queue = try DatabaseQueue(path: fixture.directoryPath)
    try queue.write { db in
      for index in 0..<3_000 {
        // One value past a page (an overflow page), one past fifty (a chain).
        let middle =
          index == 1_234
          ? String(repeating: "ø", count: 100_000) : index % 500 == 7 ? String(repeating: "m", count: 5_000) : ""
        try db.execute(
          sql: """
            INSERT INTO account (custom_id, first_name, middle_name, last_name, email, organization_id, user_type,
                                 position, grade, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            index % 7 == 0 ? nil : "C\(index)", index % 3 == 0 ? "Zoë \(index)" : "N\(index)", middle,
            "L\(index)", "e\(index)@x.org", index % 2 == 0 ? 2 : 3, index % 5 == 0 ? "Teacher" : "Student",
            index % 5 == 0 ? "Coach" : "", index % 5 == 0 ? "" : "\(index % 12 + 1)",
            index % 9 == 0 ? "Disabled" : "Active",
          ])
      }
      // Deleted rows leave free space inside the pages.
      try db.execute(sql: "DELETE FROM account WHERE id % 11 = 0 AND id > 3")
    }
    try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    try queue.close()
    return fixture
  }

  static func references(_ fixture: SyncFixture) throws -> OrganizationReferences {
    OrganizationReferences(try fixture.sqlite.organizations())
  }

  static func throughSQLite(_ fixture: SyncFixture) throws -> SQLiteDirectory.AccountPart {
    let references = try references(fixture)
    return try fixture.sqlite.scanConnection().read { db in
      var whole = [0...Int64.max].makeIterator()
      return try SQLiteDirectory.readAccounts(
        db, reservingRows: 0, references: references, label: "", ranges: { whole.next() }
      ).part
    }
  }

  static func expectSame(_ pages: SQLiteDirectory.AccountPart, _ sqlite: SQLiteDirectory.AccountPart) {
    #expect(pages.ids == sqlite.ids)
    #expect(pages.organizations == sqlite.organizations)
    #expect(pages.generation == sqlite.generation)
    #expect(pages.store.rawEnds == sqlite.store.rawEnds)
    #expect(pages.store.rawArena == sqlite.store.rawArena)
  }

  @Test(arguments: [Int.max, 1, 40])
  func accountPagesGiveWhatSQLiteGives(splittingFrom leafCount: Int) throws {
    let fixture = try Self.directoryOfManyShapes()
    let sqlite = try Self.throughSQLite(fixture)
    #expect(sqlite.ids.count > 2_700)
    let pages = try #require(
      fixture.sqlite.readAccountPages(
        reservingRows: 0, references: try Self.references(fixture), splittingFrom: leafCount))
    Self.expectSame(pages, sqlite)
    let long = try #require(pages.ids.firstIndex(of: 1_238))
    #expect(pages.store.value(row: long, column: .middleName) == String(repeating: "ø", count: 100_000))
  }

  @Test func theSnapshotHasTheAccountsSQLiteGives() throws {
    let fixture = try Self.directoryOfManyShapes()
    let sqlite = try Self.throughSQLite(fixture)
    let snapshot = try fixture.sqlite.snapshot()
    #expect(snapshot.accountIDs == sqlite.ids)
    #expect(snapshot.accounts.rawArena == sqlite.store.rawArena)
    #expect(snapshot.values(ofAccount: 0)[.lastName] == "Ruiz")
    #expect(snapshot.account(customID: "C2998").map { snapshot.accountIDs[$0] } == 3_002)
  }

  @Test func commitsStillInTheLogLeaveTheReadToSQLite() throws {
    let fixture = try Self.directoryOfManyShapes()
    // A connection that keeps its commit in the log (no checkpoint) while
    // it is open.
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    let writer = try DatabaseQueue(path: fixture.directoryPath, configuration: configuration)
    try writer.write { db in try db.execute(sql: "UPDATE account SET last_name = 'Logged' WHERE id = 1") }
    #expect(fixture.sqlite.readAccountPages(reservingRows: 0, references: try Self.references(fixture)) == nil)
    let snapshot = try fixture.sqlite.snapshot()
    #expect(snapshot.values(ofAccount: 0)[.lastName] == "Logged")
    Self.expectSame(SQLiteDirectory.AccountPart(snapshot), try Self.throughSQLite(fixture))
    try writer.close()
  }

  /// Ids need not be dense: an id far past the others (a file another tool
  /// wrote) reserves no room for every id below it, on either read.
  @Test func anIDFarPastTheOthersIsReadWithoutRoomForEveryIDBelow() throws {
    let fixture = try Self.directoryOfManyShapes()
    let far: Int64 = 1 << 40
    let queue = try DatabaseQueue(path: fixture.directoryPath)
    try queue.write { db in
      try db.execute(sql: "UPDATE account SET id = ? WHERE id = 3", arguments: [far])
    }
    try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    try queue.close()
    let references = try Self.references(fixture)
    let pages = try #require(fixture.sqlite.readAccountPages(reservingRows: Int(far), references: references))
    let sqlite = try #require(try fixture.sqlite.readThroughSQLiteFromBothEnds(maxID: far, references: references))
    Self.expectSame(pages, sqlite)
    #expect(pages.ids.last == far)
    #expect(pages.store.value(row: pages.ids.count - 1, column: .lastName) == "Ox")
  }

  /// Random bytes of the account pages changed, a few at a time: each read
  /// either gives as many accounts as SQLite reads from the same damaged
  /// file, or is left to SQLite; it never reads outside the file or traps.
  @Test func damagedPagesAreNeverReadPast() throws {
    let fixture = try Self.directoryOfManyShapes()
    let path = fixture.directoryPath
    let pristine = try Data(contentsOf: URL(fileURLWithPath: path))
    let references = try Self.references(fixture)
    let pageSize = 4_096
    // The account table's pages begin after the schema's page.
    var generator = SeededGenerator(seed: 17)
    var leftToSQLite = 0
    for _ in 0..<300 {
      var damaged = pristine
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        let offset = Int.random(in: pageSize..<damaged.count, using: &generator)
        damaged[offset] = UInt8.random(in: 0...255, using: &generator)
      }
      try damaged.write(to: URL(fileURLWithPath: path))
      if let pages = fixture.sqlite.readAccountPages(reservingRows: 0, references: references, splittingFrom: 8) {
        #expect(pages.store.rowCount == pages.ids.count)
        #expect(zip(pages.ids, pages.ids.dropFirst()).allSatisfy { $0 < $1 } || pages.ids.isEmpty)
      } else {
        leftToSQLite += 1
      }
    }
    try pristine.write(to: URL(fileURLWithPath: path))
    #expect(leftToSQLite > 0)
    #expect(fixture.sqlite.readAccountPages(reservingRows: 0, references: references) != nil)
  }

  /// A damaged tree whose root points at one leaf twice: its accounts
  /// would come out twice (ids out of order), so the read is left to SQLite.
  @Test func aLeafReachedTwiceLeavesTheReadToSQLite() throws {
    let fixture = try Self.directoryOfManyShapes()
    let path = fixture.directoryPath
    let root = try DatabaseQueue(path: path).read { db in
      try #require(try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_schema WHERE name = 'account'"))
    }
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let page = (root - 1) * 4_096
    #expect(bytes[page] == 0x05)  // an interior page: the tree has levels
    func bigEndian16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    let firstCell = page + bigEndian16(page + 12)
    let secondCell = page + bigEndian16(page + 14)
    // The second cell's left child becomes the first's.
    bytes.replaceSubrange(secondCell..<secondCell + 4, with: bytes[firstCell..<firstCell + 4])
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let references = try Self.references(fixture)
    #expect(fixture.sqlite.readAccountPages(reservingRows: 0, references: references) == nil)
    #expect(fixture.sqlite.readAccountPages(reservingRows: 0, references: references, splittingFrom: 4) == nil)
  }

  @Test func recordValuesAreDecodedAsSQLiteGivesThem() throws {
    // Header: size 7, then NULL, a 1-byte, 2-byte, 3-byte, 6-byte integer
    // and a 3-byte text; then the values.
    let record: [UInt8] =
      [7, 0, 1, 2, 3, 5, 19, 0xFF, 0x80, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]
      + Array("abc".utf8)
    let columns = RecordColumns(count: 6, textColumns: [0, 5])
    try record.withUnsafeBytes { bytes in
      try columns.read(bytes)
      #expect(columns.isNull(0))
      #expect(try columns.integer(0) == 0)
      #expect(try columns.integer(1) == -1)
      #expect(try columns.integer(2) == -32_768)
      #expect(try columns.integer(3) == 65_536)
      #expect(try columns.integer(4) == -2)
      #expect(String(decoding: columns.text(5), as: UTF8.self) == "abc")
      #expect(columns.text(0).isEmpty)
      // Text where a number is read, and a number where text is: left to
      // SQLite.
      #expect(throws: SQLiteFileSurprise.self) { try columns.integer(5) }
      #expect(throws: SQLiteFileSurprise.self) { try RecordColumns(count: 6, textColumns: [1]).read(bytes) }
    }
    // A record with fewer columns than asked for, or a value past its end.
    try record.withUnsafeBytes { bytes in
      #expect(throws: SQLiteFileSurprise.self) { try RecordColumns(count: 7).read(bytes) }
      #expect(throws: SQLiteFileSurprise.self) {
        try RecordColumns(count: 6).read(UnsafeRawBufferPointer(rebasing: bytes.dropLast()))
      }
    }
  }
}

extension SQLiteDirectory.AccountPart {
  /// A snapshot's accounts as a part, to compare with a read.
  init(_ snapshot: DirectorySnapshot) {
    self.init(
      store: snapshot.accounts, ids: snapshot.accountIDs, organizations: snapshot.accountOrganizations,
      generation: snapshot.state.generation)
  }
}

/// The SQLite store tells its caller when a core comes free, whichever way
/// the snapshot is read: from the file's pages on both cores (after both
/// parts), from its cache, or through SQLite; the hash of a plan's export
/// starts there.
@Suite struct CoreFreedTests {
  final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var total: Int { lock.withLock { count } }
  }

  @Test func theCallerHearsOfAFreeCoreOnEveryRead() throws {
    let fixture = try AccountPagesTests.directoryOfManyShapes()
    let expected = try AccountPagesTests.throughSQLite(fixture)
    let references = try AccountPagesTests.references(fixture)
    // From the pages, on both cores: once both parts are read.
    let fromPages = Calls()
    let pages = try #require(
      fixture.sqlite.readAccountPages(reservingRows: 0, references: references, splittingFrom: 8) {
        fromPages.add()
      })
    #expect(fromPages.total == 1)
    AccountPagesTests.expectSame(pages, expected)
    // The whole snapshot, then again from its cache.
    for _ in 0..<2 {
      let calls = Calls()
      let snapshot = try fixture.sqlite.snapshot { calls.add() }
      fixture.sqlite.waitForBackgroundWork()
      #expect(calls.total >= 1)
      #expect(snapshot.accountIDs == expected.ids)
    }
    // Through SQLite (the log holds a commit).
    let writer = try DatabaseQueue(path: fixture.directoryPath)
    try writer.write { db in try db.execute(sql: "UPDATE directory_info SET value = 'x' WHERE key = 'state_token'") }
    let calls = Calls()
    _ = try fixture.sqlite.snapshot { calls.add() }
    #expect(calls.total >= 1)
    try writer.close()
  }
}
