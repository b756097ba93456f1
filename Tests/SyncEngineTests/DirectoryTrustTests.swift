import Foundation
import GRDB
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@_spi(Fuzzing) @testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// The directory's trust holes (SECURITY.md): restored backups, files
/// sis-sync does not own, a damaged snapshot cache, edited plans.
@Suite struct RestoredBackupTests {
  /// A backup restored and written to until its generation is the plan's
  /// again: the plan (and the cache) of the lost state must not be believed.
  /// SQLite only: restoring is copying the file back.
  @Test func aPlanForAStateTheRestoredFileNeverHadIsRefused() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let backup = fixture.folder.appendingPathComponent("backup.sqlite").path
    try fixture.directory.backup(to: backup)
    #expect(try permissions(backup) == 0o600)
    // The live directory moves on; a plan is made there, and its cache.
    _ = try fixture.directory.apply(try fixture.plan(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active"]))
    let lostPlan = try fixture.plan(["Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled"])
    fixture.sqlite.waitForBackgroundWork()
    // Restored: the backup copied over the file (the hazard a raw copy makes).
    let restoredPath = fixture.folder.appendingPathComponent("restored.sqlite").path
    try FileManager.default.copyItem(atPath: backup, toPath: restoredPath)
    try FileManager.default.copyItem(atPath: fixture.directoryPath + ".snapshot", toPath: restoredPath + ".snapshot")
    let restored = try SQLiteDirectory(path: restoredPath, access: .write)
    // One commit brings it to the lost state's generation, with other data.
    let other = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,9,Active"])),
      directory: restored
    ).plan
    _ = try restored.apply(other)
    #expect(try restored.state.generation == lostPlan.directoryGeneration)
    #expect(try restored.state.directoryID == lostPlan.directoryID)
    let before = try restored.exportCSV()
    #expect {
      _ = try restored.apply(lostPlan)
    } throws: { error in
      (error as? ApplyRefusal) == .replacedOrRestored && "\(error)".contains("replaced or restored")
    }
    #expect(try restored.exportCSV() == before)
    // The cache beside it came from the lost state: not used.
    #expect(try restored.snapshot().values(ofAccount: 0)[.grade] == "9")
    restored.waitForBackgroundWork()
  }

  @Test(arguments: StoreKind.allCases) func aPlanForAStateTheDirectoryMovedOnFromListsWhatChanged(store: StoreKind)
    throws
  {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let plan = try fixture.plan(ApplyTests.rows)
    _ = try fixture.directory.apply(try fixture.plan(["Bo,,Li,bo@x.org,1002,S1,Student,,5,Active"]))
    #expect(throws: ApplyRefusal.stale(changes: ["account #2 (custom_id 1002)"])) {
      _ = try fixture.directory.apply(plan)
    }
  }

  /// Every write renews the token, so two states never share one.
  @Test(arguments: StoreKind.allCases) func everyWriteGivesTheDirectoryANewToken(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let first = try fixture.directory.state
    _ = try fixture.directory.apply(try fixture.plan(ApplyTests.rows))
    let second = try fixture.directory.state
    let run = try #require(try fixture.directory.runs().first)
    _ = try fixture.directory.revert(runID: run.id)
    let third = try fixture.directory.state
    #expect(Set([first.token, second.token, third.token]).count == 3)
    #expect([first.generation + 1, first.generation + 2] == [second.generation, third.generation])
  }
}

/// SQLite only: the file's owner, permissions, schema and lock file.
@Suite final class DirectoryFileTests {
  let folder: URL

  init() throws { folder = try FixtureFolder.make("trust") }

  deinit { FixtureFolder.remove(folder, after: nil) }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  @Test func aForeignSQLiteFileIsNeverChanged() throws {
    let foreign = path("other-app.sqlite")
    let queue = try DatabaseQueue(path: foreign)
    try queue.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello')") }
    try queue.close()
    chmod(foreign, 0o600)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: foreign))
    for access in [DirectoryAccess.read, .write, .create] {
      #expect {
        _ = try SQLiteDirectory(path: foreign, access: access)
      } throws: { "\($0)".contains("not a sis-sync directory") }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == bytes)
    #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
  }

  @Test func anEmptyFileIsNotAdopted() throws {
    let empty = path("empty.sqlite")
    FileManager.default.createFile(atPath: empty, contents: Data())
    // Another user's file, readable by the group: never becomes a directory.
    chown(empty, 65534, 65534)
    chmod(empty, 0o640)
    #expect { _ = try SQLiteDirectory(path: empty, access: .create) } throws: { "\($0)".contains("an empty file") }
    #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
    // One's own owner-only empty file (a creation that stopped) is set up.
    chown(empty, geteuid(), getegid())
    chmod(empty, 0o600)
    _ = try SQLiteDirectory(path: empty, access: .create)
    #expect(try SQLiteDirectory(path: empty, access: .read).state.generation == 0)
  }

  @Test func aDirectoryReadableByAllIsRefusedWithTheFix() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    chmod(fixture.directoryPath, 0o644)
    #expect {
      _ = try SQLiteDirectory(path: fixture.directoryPath, access: .read)
    } throws: { "\($0)".contains("chmod o-rwx \(fixture.directoryPath)") && "\($0)".contains("readable") }
    chmod(fixture.directoryPath, 0o662)
    #expect { _ = try SQLiteDirectory(path: fixture.directoryPath, access: .write) } throws: {
      "\($0)".contains("writable")
    }
    // Group access is allowed (a service account shared with admins).
    chmod(fixture.directoryPath, 0o660)
    #expect(try SQLiteDirectory(path: fixture.directoryPath, access: .read).runs().count == 1)
  }

  @Test func aNewerSchemaIsReadButNotWritten() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    try fixture.sqlite.queue.write {
      try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
    }
    #expect(try SQLiteDirectory(path: fixture.directoryPath, access: .read).runs().count == 1)
    #expect {
      _ = try SQLiteDirectory(path: fixture.directoryPath, access: .write)
    } throws: { "\($0)".contains("newer version of sis-sync") }
  }

  /// A directory from before state tokens (and generated emails):
  /// read-only commands neither migrate it nor make plans the migrated
  /// directory refuses.
  @Test func readingNeverMigratesAndPlansSurviveTheMigration() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    try fixture.sqlite.queue.write { db in
      try db.execute(
        sql: """
          DROP TABLE directory_state;
          DELETE FROM directory_info WHERE key = 'state_token';
          DELETE FROM grdb_migrations WHERE identifier = 'v2 state tokens';
          ALTER TABLE account DROP COLUMN email_generated;
          DELETE FROM grdb_migrations WHERE identifier = 'v3 generated emails';
          DROP TABLE setting;
          DELETE FROM grdb_migrations WHERE identifier = 'v4 settings';
          DROP TABLE protection;
          DELETE FROM grdb_migrations WHERE identifier = 'v6 protections';
          DROP TABLE local_field;
          DELETE FROM grdb_migrations WHERE identifier = 'v8 local fields';
          DROP TABLE pending_disable;
          DELETE FROM grdb_migrations WHERE identifier = 'v5 pending disables';
          DROP TABLE account_source;
          ALTER TABLE run DROP COLUMN source;
          DELETE FROM grdb_migrations WHERE identifier = 'v7 sources';
          DROP TABLE pending_run;
          DELETE FROM grdb_migrations WHERE identifier = 'v9 pending runs';
          """)
    }
    try fixture.sqlite.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
    let reader = try SQLiteDirectory(path: fixture.directoryPath, access: .read)
    let plan = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(ApplyTests.rows)), directory: reader
    ).plan
    #expect(plan.directoryToken == "legacy-1")
    // No settings table yet: the defaults, and nothing for a copy to carry.
    #expect(try reader.read { try $0.settings() } == [:])
    #expect(try reader.read { try $0.copyRows(of: .setting, after: nil, limit: 10) } == [])
    #expect(try reader.read { try $0.protections() } == [])
    #expect(try reader.read { try $0.copyRows(of: .protection, after: nil, limit: 10) } == [])
    #expect(try reader.read { try $0.localFields() } == [:])
    #expect(try reader.read { try $0.copyRows(of: .localField, after: nil, limit: 10) } == [])
    // Nor a pending_disable table: none pending.
    #expect(try reader.read { try $0.pendingDisables() } == [])
    // Nor sources: no managers, runs without a source, and a copy reads the column as null.
    #expect(try reader.read { try $0.accountSources() } == [:])
    #expect(try reader.runs().allSatisfy { $0.source == nil })
    #expect(try reader.read { try $0.copyRows(of: .run, after: nil, limit: 10) }.allSatisfy { $0.last == .some(nil) })
    // Nor held runs: none kept, and a copy has none to carry.
    #expect(try reader.read { try $0.pendingRuns() } == [])
    #expect(try reader.read { try $0.pendingRunContent(id: 1) } == nil)
    #expect(try reader.read { try $0.copyRows(of: .pendingRun, after: nil, limit: 10) } == [])
    let migrations = try reader.queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
    #expect(migrations == ["v1 organizations, accounts, runs"])
    #expect(try reader.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "delete")
    let writer = try SQLiteDirectory(path: fixture.directoryPath, access: .write)
    guard case .applied = try writer.apply(plan) else {
      Issue.record("the plan made before the migration was refused")
      return
    }
    #expect(try writer.changeSetting("disable_missing", to: "yes") != nil)
  }

  @Test func theLockFileIsNeverFollowedThroughALink() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let victim = path("victim.txt")
    try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
    try? FileManager.default.removeItem(atPath: fixture.directoryPath + ".lock")
    try FileManager.default.createSymbolicLink(atPath: fixture.directoryPath + ".lock", withDestinationPath: victim)
    let before = try fixture.accountLines()
    #expect { _ = try fixture.directory.apply(try fixture.plan(ApplyTests.rows)) } throws: {
      "\($0)".contains("symbolic link")
    }
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
    #expect(try fixture.accountLines() == before)
  }
}

/// SQLite only: the cache is a file beside the database file.
@Suite struct SnapshotCacheTrustTests {
  @Test func flippedBytesMakeTheCacheIgnoredAndRebuilt() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let truth = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let cachePath = fixture.directoryPath + ".snapshot"
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cachePath)))
    // Four bytes in the values' end offsets and the arena.
    for offset in [bytes.count / 3, bytes.count / 2, bytes.count - 200, bytes.count - 100] { bytes[offset] ^= 0x5A }
    try Data(bytes).write(to: URL(fileURLWithPath: cachePath))
    #expect(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state) == nil)
    let again = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(
      (0..<again.accountCount).map(again.values(ofAccount:)) == (0..<truth.accountCount).map(truth.values(ofAccount:)))
    #expect(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state) != nil)
  }

  /// The cache is read in place from a mapping of the file (no copy of
  /// 170 MB at a million accounts) only when no one but its owner can
  /// change it; a file others may write is copied as before. Either way
  /// the snapshot is the directory's.
  @Test func onlyACacheNoOneElseCanWriteIsReadInPlace() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let truth = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let cachePath = fixture.directoryPath + ".snapshot"
    #expect(try #require(CacheReader(path: cachePath)).isMapped)
    let mapped = try #require(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state))
    try FileManager.default.setAttributes([.posixPermissions: 0o620], ofItemAtPath: cachePath)
    #expect(try #require(CacheReader(path: cachePath)).isMapped == false)
    let copied = try #require(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state))
    for snapshot in [mapped, copied] {
      #expect(Self.everyAccount(of: snapshot) == Self.everyAccount(of: truth))
      #expect(snapshot.account(customID: "1002") == truth.account(customID: "1002"))
    }
  }

  /// A section larger than the file is refused before any memory is set
  /// aside for it (a crafted count must not make sis-sync ask for a
  /// terabyte), copied or mapped.
  @Test func aSectionPastTheFilesEndIsRefusedBeforeAnyMemory() throws {
    let reader = CacheReader(bytes: Array(repeating: 7, count: 128))
    let huge = Int.max / 16
    #expect((reader.array(huge, at: 0) as [UInt64]?) == nil)
    #expect((reader.values(huge, at: 0) as ReadOnlyValues<UInt64>?) == nil)
    #expect((reader.array(-1, at: 0) as [UInt8]?) == nil)
    #expect((reader.array(16, at: 0) as [UInt64]?)?.count == 16)
  }

  /// A store read in place is copied out of the mapping by the first row
  /// appended to it (its holders' copies keep the mapped rows).
  @Test func rowsAppendedToAStoreReadInPlaceAreItsOwn() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let truth = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let mapped = try #require(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state))
    var store = mapped.accounts
    let row = ExportColumn.allCases.map { Array("new \($0.header)".utf8) }
    for value in row { value.withUnsafeBufferPointer { store.appendValue($0) } }
    #expect(store.rowCount == truth.accountCount + 1)
    #expect(store.value(row: truth.accountCount, column: .email) == "new email")
    #expect(store.value(row: 0, column: .email) == truth.accounts.value(row: 0, column: .email))
    #expect(mapped.accounts.rowCount == truth.accountCount)
  }

  /// Someone else's file in the folder is copied, never mapped: its owner
  /// could shorten it under the reader. (Giving a file away needs root.)
  @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
  func aCacheOwnedByAnotherUserIsNotMapped() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    _ = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let cachePath = fixture.directoryPath + ".snapshot"
    #expect(try #require(CacheReader(path: cachePath)).isMapped)
    #expect(chown(cachePath, 65534, 65534) == 0)
    #expect(try #require(CacheReader(path: cachePath)).isMapped == false)
  }

  /// Each save writes a new file and renames it over the old one, so a
  /// snapshot read in place keeps its values when the cache is replaced or
  /// removed under it.
  @Test func aSnapshotReadInPlaceOutlivesItsFile() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let truth = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let cachePath = fixture.directoryPath + ".snapshot"
    let mapped = try #require(SnapshotCache.load(directory: fixture.directoryPath, state: truth.state))
    _ = try fixture.directory.apply(try fixture.plan(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,9,Active"]))
    _ = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(Self.everyAccount(of: mapped) == Self.everyAccount(of: truth))
    try FileManager.default.removeItem(atPath: cachePath)
    #expect(Self.everyAccount(of: mapped) == Self.everyAccount(of: truth))
  }

  static func everyAccount(of snapshot: DirectorySnapshot) -> [AccountValues] {
    (0..<snapshot.accountCount).map(snapshot.values(ofAccount:))
  }

  /// A fixture's snapshot, the cache file written for it (accepted as it
  /// is), and where its sections start (after the magic, the header's
  /// length and the header, at the next section boundary).
  static func writtenCache() throws -> (snapshot: DirectorySnapshot, bytes: [UInt8], sections: Int) {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let snapshot = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.directoryPath + ".snapshot")))
    #expect(DirectorySnapshot.fromCacheBytes(bytes, verifiesChecksum: true) != nil)
    let headerLength = bytes[SnapshotCache.magic.count..<SnapshotCache.magic.count + 8].enumerated().reduce(0) {
      $0 | Int($1.element) << (8 * $1.offset)
    }
    return (snapshot, bytes, SnapshotCache.aligned(SnapshotCache.magic.count + 8 + headerLength)!)
  }

  /// Each section has its own checksum (the arena is read and checked on
  /// one core, the rest on the other): a byte flipped in any one of them
  /// makes the cache refused.
  @Test func aByteFlippedInAnySectionIsCaught() throws {
    let (snapshot, good, ids) = try Self.writtenCache()
    let accounts = snapshot.accountCount
    let organizations = SnapshotCache.aligned(ids + accounts * 8)!
    let ends = SnapshotCache.aligned(organizations + accounts * 4)!
    let arena = SnapshotCache.aligned(ends + accounts * 4 * ExportColumn.count)!
    let slots = SnapshotCache.aligned(arena + snapshot.accounts.rawArena.count)!
    // Within each section, a byte the bounds checks alone would let pass.
    for offset in [ids + 1, organizations + 1, ends + 1, arena + 2, slots + 3, good.count - 2] {
      var bytes = good
      bytes[offset] ^= 0x01
      #expect(DirectorySnapshot.fromCacheBytes(bytes, verifiesChecksum: true) == nil, "byte \(offset)")
    }
  }

  /// Offsets and indexes are checked on their own, not only by the digest
  /// (the fuzz harness loads without it): before, these crashed the loader.
  @Test func outOfBoundsSectionsAreRefusedWithoutTheDigest() throws {
    let (snapshot, good, sections) = try Self.writtenCache()
    let accounts = snapshot.accountCount
    func patched(at offset: Int, _ value: [UInt8]) -> [UInt8] {
      var bytes = good
      bytes.replaceSubrange(offset..<offset + value.count, with: value)
      return bytes
    }
    let organizationsStart = SnapshotCache.aligned(sections + accounts * 8)!
    let endsStart = SnapshotCache.aligned(organizationsStart + accounts * 4)!
    let damaged = [
      patched(at: organizationsStart, [0xFF, 0xFF, 0, 0]),  // an organization index past the end
      patched(at: endsStart, [0xFF, 0xFF, 0xFF, 0x7F]),  // a value ending past the arena
      patched(at: good.count - 8, [0xFF, 0xFF, 0xFF, 0x00, 0, 0, 0, 0]),  // a slot naming no row
      patched(at: good.count - 8, [0, 0, 0, 0, 1, 0, 0, 0]),  // a used slot (a hash) naming row 0
    ]
    for bytes in damaged {
      #expect(DirectorySnapshot.fromCacheBytes(bytes, verifiesChecksum: false) == nil)
      #expect(DirectorySnapshot.fromCacheBytes(bytes, verifiesChecksum: true) == nil)
    }
  }
}

@Suite struct SavedPlanCheckTests {
  /// A saved plan's change line, edited and resealed as anyone editing the
  /// file could do.
  func edited(_ fixture: SyncFixture, _ plan: Plan, _ edit: (inout PlannedChange) -> Void) throws -> Plan {
    var changed = plan
    edit(&changed.changes[0])
    let path = fixture.folder.appendingPathComponent("edited.plan").path
    try PlanFile.save(changed, to: path)
    return try PlanFile.load(path: path)
  }

  @Test func aDamagedPlanFileIsRefusedByItsDigest() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let path = fixture.folder.appendingPathComponent("p.plan").path
    try PlanFile.save(try fixture.plan(ApplyTests.rows), to: path)
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(of: "ana@x.org", with: "eve@x.org")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect { _ = try PlanFile.load(path: path) } throws: { "\($0)".contains("does not match its digest") }
    try String(text.prefix(text.count / 2)).write(toFile: path, atomically: true, encoding: .utf8)
    #expect { _ = try PlanFile.load(path: path) } throws: { "\($0)".contains("digest line") }
  }

  @Test func aPlanSavedByAnOlderSisSyncIsRefusedWithWhatToDo() throws {
    let header = #"{"change_count":0,"format":"sis-sync plan 1","rows":1}"#
    #expect {
      _ = try PlanFile.parse(Array((header + "\n").utf8), path: "old.plan")
    } throws: { "\($0)".contains("saved by an older sis-sync") && "\($0)".contains("make the plan again") }
  }

  @Test(
    arguments: StoreKind.allCases,
    [
      ("an invalid email", "email is not a valid address"),
      ("an empty name", "first_name is empty"),
      ("grade 99", "grade is not a known grade"),
      ("an account that does not exist", "there is no account #999"),
      ("before-values that are not the directory's", "differ from the plan's before-values"),
      ("an unmanaged account updated", "the account is not managed"),
      ("a disable that changes the name", "a disable must change only the status"),
    ])
  func anEditedPlanIsCheckedNotBelieved(store: StoreKind, editing: (String, String)) throws {
    let (edit, problem) = editing
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let plan = try fixture.plan(ApplyTests.rows)
    let update = try #require(plan.changes.firstIndex { $0.action == .update })
    let disable = try #require(plan.changes.firstIndex { $0.action == .disable })
    var ordered = plan
    ordered.changes.swapAt(0, edit == "a disable that changes the name" ? disable : update)
    let tampered = try edited(fixture, ordered) { change in
      switch edit {
      case "an invalid email": change.after[.email] = "not-an-address"
      case "an empty name": change.after[.firstName] = ""
      case "grade 99": change.after[.grade] = "99"
      case "an account that does not exist": change.accountID = 999
      case "before-values that are not the directory's": change.before![.email] = "admin@x.org"
      case "an unmanaged account updated": change.accountID = 3
      default: change.after[.firstName] = "Mallory"
      }
    }
    let before = try fixture.accountLines()
    #expect {
      _ = try fixture.directory.apply(tampered)
    } throws: { error in
      guard case ApplyRefusal.doesNotFit(let problems) = error else { return false }
      return problems.contains { $0.contains(problem) }
    }
    #expect(try fixture.accountLines() == before)
  }

  @Test(arguments: StoreKind.allCases) func aCreateTakingAnExistingEmailIsRefusedNamingTheChange(store: StoreKind)
    throws
  {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let plan = try fixture.plan(ApplyTests.rows)
    let create = try #require(plan.changes.firstIndex { $0.action == .create })
    var ordered = plan
    ordered.changes.swapAt(0, create)
    let tampered = try edited(fixture, ordered) { $0.after[.email] = "ANA@x.org" }
    let before = try fixture.accountLines()
    #expect {
      _ = try fixture.directory.apply(tampered)
    } throws: { error in
      guard case ApplyRefusal.doesNotFit(let problems) = error else { return false }
      return problems.first == "create (line 5) custom_id 2001: account #1 already has this email"
    }
    #expect(try fixture.accountLines() == before)
  }

  @Test(arguments: StoreKind.allCases) func theRunRecordsTheDirectorysOwnBeforeValues(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let path = fixture.folder.appendingPathComponent("p.plan").path
    try PlanFile.save(try fixture.plan(ApplyTests.rows), to: path)
    guard case .applied(let run) = try fixture.directory.apply(try PlanFile.load(path: path)) else {
      Issue.record("not applied")
      return
    }
    let (_, changes) = try #require(try fixture.directory.run(id: run.id))
    let update = try #require(changes.first { $0.action == "update" })
    #expect(update.before == ["Ana", "", "Ruiz", "ana@x.org", "1001", "S1", "Student", "", "5", "Active"])
  }
}

private func permissions(_ path: String) throws -> Int {
  try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1
}

@Suite struct Checksum64Tests {
  func sum(_ sections: [[UInt8]]) -> String {
    var checksum = Checksum64()
    for section in sections { section.withUnsafeBytes { checksum.update($0) } }
    return checksum.finalize()
  }

  @Test func everyFlippedBitAndMovedByteChangesTheSum() {
    let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let original = sum([bytes])
    #expect(original.count == 16)
    for index in bytes.indices {
      for bit in [0, 3, 7] {
        var flipped = bytes
        flipped[index] ^= 1 << bit
        #expect(sum([flipped]) != original, "byte \(index) bit \(bit)")
      }
    }
    // The same bytes split into sections differently.
    #expect(sum([Array(bytes[..<40]), Array(bytes[40...])]) != sum([Array(bytes[..<41]), Array(bytes[41...])]))
    #expect(sum([bytes]) == original)
  }
}
