import Dispatch
import ExportReading
import Foundation
import GRDB
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// The embedded directory: one SQLite database file, created by sis-sync,
/// readable by its owner only. Every commit happens in one transaction and
/// is recorded as a run with the before and after values of every change.
/// Only one process writes at a time: an advisory lock on `<path>.lock`.
public final class SQLiteDirectory: DirectoryStore, @unchecked Sendable {
  /// How this process writes: things only the SQLite file has.
  public struct Options: Sendable {
    /// How long a write waits for another process's write (the lock file)
    /// before `DirectoryLocked`; 0 refuses at once.
    public var lockWait: TimeInterval
    /// A pause inside write transactions, for crash and concurrency tests.
    public var pause: ApplyPause?

    public init(lockWait: TimeInterval = 0, pause: ApplyPause? = nil) {
      self.lockWait = lockWait
      self.pause = pause
    }
  }

  public let path: String
  public var location: String { path }
  public let options: Options
  let queue: DatabaseQueue
  /// The file opened (device and inode): a write refuses to go to a file
  /// that was deleted or replaced at `path` since.
  private var openedFile: (device: UInt64, inode: UInt64)?
  /// Work that may finish after a call returns (writing the snapshot cache).
  private let backgroundWork = DispatchGroup()
  /// Background work waiting for `startHeldWork` (`holdBackgroundWork`).
  private let held = HeldWork()

  deinit {
    startHeldWork()
    backgroundWork.wait()
  }

  /// Waits until the snapshot cache is written (tests, and before exit).
  public func waitForBackgroundWork() {
    startHeldWork()
    backgroundWork.wait()
  }

  public func holdBackgroundWork() { held.hold() }

  public func startHeldWork() {
    for work in held.release() { DispatchQueue.global().async(group: backgroundWork, execute: work) }
  }

  /// Starts `work` in the background now, or when held, at `startHeldWork`.
  private func inBackground(_ work: @escaping @Sendable () -> Void) {
    if !held.keep(work) { DispatchQueue.global().async(group: backgroundWork, execute: work) }
  }

  /// How this process uses it: a reading command never writes to it.
  public let access: DirectoryAccess

  /// Opens the directory at `path` for `access`: refuses a file that is not
  /// a sis-sync directory, one readable or writable by every user, and (to
  /// write) one made by a newer sis-sync; migrates an older schema only to
  /// write; creates a new directory only with `.create` and no file there.
  public init(path: String, access: DirectoryAccess, options: Options = Options()) throws(DirectoryError) {
    self.path = path
    self.access = access
    self.options = options
    let file = try DirectoryFile.inspect(path, access: access)
    if file == .missing { try DirectoryFile.createOwnerOnly(path) }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.foreignKeysEnabled = true
    configuration.readonly = access == .read
    configuration.prepareDatabase { db in
      // Room for the index pages a large apply touches (the default 2 MB
      // cache makes SQLite spill and re-read them).
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      let isNew = file != .database
      if !isNew { try Self.checkIsDirectory(queue, path: path, access: access) }
      // WAL: the review screen and plans keep reading while an apply
      // writes. (A directory restored from a backup comes without it.)
      if access != .read, try queue.read({ try String.fetchOne($0, sql: "PRAGMA journal_mode") }) != "wal" {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
      }
      // Opening must not wait for a running apply: write only when the
      // directory is new or its schema is older than this version.
      if access != .read, try isNew || !queue.read({ try DirectorySchema.migrator.hasCompletedMigrations($0) }) {
        try DirectorySchema.migrator.migrate(queue)
        if isNew {
          try queue.write { db in
            let token = Self.newStateToken()
            try db.execute(
              sql: """
                INSERT INTO directory_info (key, value) VALUES ('directory_id', ?), ('generation', '0'), ('state_token', ?);
                INSERT INTO directory_state (token, generation) VALUES (?, 0);
                """,
              arguments: [UUID().uuidString.lowercased(), token, token])
          }
        }
      }
    } catch let error as DirectoryError {
      throw error
    } catch {
      throw DirectoryError(path: path, reason: Self.describe(error))
    }
    openedFile = Self.identity(of: path)
  }

  /// Refuses an SQLite file that is not a sis-sync directory (never given
  /// sis-sync's tables), and, to write, one made by a newer sis-sync.
  private static func checkIsDirectory(_ queue: DatabaseQueue, path: String, access: DirectoryAccess) throws {
    let (isDirectory, isNewer) = try queue.read { db in
      (
        try db.tableExists("directory_info")
          && String.fetchOne(db, sql: "SELECT value FROM directory_info WHERE key = 'directory_id'") != nil,
        try DirectorySchema.migrator.hasBeenSuperseded(db)
      )
    }
    guard isDirectory else {
      throw DirectoryError(
        path: path, reason: "an SQLite database that is not a sis-sync directory; sis-sync will not change it")
    }
    if isNewer && access != .read {
      throw DirectoryError(
        path: path,
        reason: "made by a newer version of sis-sync (its schema has steps this version does not know); "
          + "it can be read but not written here: use the newer sis-sync")
    }
  }

  private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return (UInt64(info.st_dev), UInt64(info.st_ino))
  }

  /// Refuses to write when the directory file was deleted or replaced
  /// while it was open (the review screen keeps it open for hours): the
  /// write would land in a file nobody will read again.
  func checkStillTheOpenedFile() throws(DirectoryError) {
    guard let openedFile else { return }
    guard let current = Self.identity(of: path) else {
      throw DirectoryError(
        path: path, reason: "the directory file was deleted since it was opened; nothing was written")
    }
    guard current == openedFile else {
      throw DirectoryError(
        path: path,
        reason: "the directory file was replaced by another file since it was opened; nothing was written. "
          + "Open it again to review against the new file")
    }
  }

  static func describe(_ error: Error) -> String {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_NOTADB: return "not a sis-sync directory (not an SQLite database)"
      case .SQLITE_BUSY, .SQLITE_LOCKED: return "the database is locked by another program; try again"
      case .SQLITE_FULL: return "the disk is full; nothing was changed"
      case .SQLITE_READONLY: return "the database is read-only; nothing was changed"
      case .SQLITE_CANTOPEN:
        return "cannot open the database file for writing (a read-only file, folder or disk?); nothing was changed"
      case .SQLITE_IOERR: return "the disk refused a write (full, or failing); nothing was changed"
      case .SQLITE_CORRUPT: return "the database file is damaged"
      default: return error.message ?? "\(error)"
      }
    }
    return "\(error)"
  }

  func translatingErrors<T>(_ body: () throws -> T) throws(DirectoryError) -> T {
    do { return try body() } catch let error as DirectoryError { throw error } catch {
      throw DirectoryError(path: path, reason: Self.describe(error))
    }
  }

  // MARK: - Reading and writing

  public func read<T>(_ body: (any DirectoryReading) throws -> T) throws -> T {
    do {
      return try queue.read { db in try body(SQLiteTransaction(db, pause: nil)) }
    } catch let error as DatabaseError {
      throw DirectoryError(path: path, reason: Self.describe(error))
    } catch let failure as SQLiteFailure {
      throw DirectoryError(path: path, reason: failure.description)
    }
  }

  /// One IMMEDIATE transaction under the lock file: the write lock is taken
  /// before anything is read, so what the body checks still holds when it
  /// commits.
  public func write<T>(_ body: (any DirectoryTransaction) throws -> T) throws -> T {
    try checkStillTheOpenedFile()
    guard let lock = try DirectoryLock.acquire(directoryPath: path, wait: options.lockWait) else {
      throw DirectoryLocked(holder: DirectoryLock.holder(directoryPath: path))
    }
    defer { withExtendedLifetime(lock) {} }
    var result: T?
    do {
      try queue.inTransaction(.immediate) { db in
        result = try body(SQLiteTransaction(db, pause: options.pause))
        return .commit
      }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
      throw DuplicateKey(message: error.message ?? "constraint failed")
    } catch let error as DatabaseError {
      throw rolledBack(error)
    } catch let failure as SQLiteFailure {
      throw rolledBack(failure.error)
    }
    return result!
  }

  private func rolledBack(_ error: DatabaseError) -> DirectoryError {
    let reason = Self.describe(error)
    return DirectoryError(
      path: path, reason: reason.hasSuffix("nothing was changed") ? reason : reason + "; nothing was changed")
  }

  public func cachedSnapshot() -> DirectorySnapshot? {
    guard
      let (organizations, state, pending) = try? queue.read({ db in
        (try Self.organizations(db), try Self.state(db), try SQLiteTransaction(db, pause: nil).pendingDisables())
      }),
      let cached = SnapshotCache.load(directory: path, state: state),
      cached.organizations == organizations
    else { return nil }
    cached.setPendingDisables(pending)
    return cached
  }

  static func state(_ db: Database) throws -> DirectoryState {
    let generation = Int64(try info(db, "generation")) ?? 0
    let token = try info(db, "state_token")
    // A directory not yet migrated to state tokens (read-only commands do
    // not migrate) has the token its migration will give it.
    return DirectoryState(
      directoryID: try info(db, "directory_id"), generation: generation,
      token: token.isEmpty ? "legacy-\(generation)" : token)
  }

  static func info(_ db: Database, _ key: String) throws -> String {
    try String.fetchOne(db, sql: "SELECT value FROM directory_info WHERE key = ?", arguments: [key]) ?? ""
  }

  static func organizations(_ db: Database) throws -> [Organization] {
    try Row.fetchAll(db, sql: "SELECT id, external_id, name, kind FROM organization ORDER BY id").map {
      Organization(
        id: $0["id"], externalID: $0["external_id"], name: $0["name"],
        kind: OrganizationKind(rawValue: $0["kind"]) ?? .school)
    }
  }

  /// Everything planning needs, as one consistent state: from the snapshot
  /// cache, else from the database file's pages, else through SQLite (a
  /// large directory on two connections at once, which must see the same
  /// generation, else it is read again in one pass).
  public func snapshot() throws(DirectoryError) -> DirectorySnapshot { try snapshot(coreFreed: {}) }

  public func snapshot(coreFreed: @escaping @Sendable () -> Void) throws(DirectoryError) -> DirectorySnapshot {
    while true {
      let snapshot = try accountsSnapshot(coreFreed: coreFreed)
      // Pending disables change only in runs, which move the generation:
      // read with the same generation, they belong to the snapshot's state.
      let (state, pending) = try translatingErrors {
        try queue.read { db in (try Self.state(db), try SQLiteTransaction(db, pause: nil).pendingDisables()) }
      }
      guard state.generation == snapshot.generation else { continue }
      snapshot.setPendingDisables(pending)
      return snapshot
    }
  }

  /// The organizations and accounts of one state (`snapshot` adds the rest).
  private func accountsSnapshot(coreFreed: @escaping @Sendable () -> Void) throws(DirectoryError) -> DirectorySnapshot {
    try translatingErrors {
      let (organizations, state, maxID) = try queue.read { db in
        (
          try Self.organizations(db), try Self.state(db),
          // max(id) is instant (count(*) scans the table); ids are dense.
          try Int64.fetchOne(db, sql: "SELECT max(id) FROM account") ?? 0
        )
      }
      if let cached = PhaseTimer.measure(
        "reading the snapshot cache",
        {
          SnapshotCache.load(directory: path, state: state)
        }), cached.organizations == organizations
      {
        coreFreed()
        return cached
      }
      let references = OrganizationReferences(organizations)
      let first: AccountPart
      if let fromPages = readAccountPages(reservingRows: Int(maxID), references: references, coreFreed: coreFreed) {
        first = fromPages
      } else if maxID > 200_000,
        let both = try? readThroughSQLiteFromBothEnds(maxID: maxID, references: references, coreFreed: coreFreed)
      {
        first = both
      } else {
        coreFreed()
        first = try scanConnection().read { db in
          var ranges = [0...Int64.max].makeIterator()
          return try Self.readAccounts(
            db, reservingRows: Int(maxID), references: references, label: "", ranges: { ranges.next() }
          ).part
        }
      }
      if first.generation != state.generation { return try accountsSnapshot(coreFreed: coreFreed) }
      let snapshot = PhaseTimer.measure("indexing accounts") {
        DirectorySnapshot(
          state: state, organizations: organizations, accounts: first.store,
          accountIDs: first.ids, accountOrganizations: first.organizations)
      }
      // Written while planning goes on; deinit waits for it.
      let directory = path
      let cached = UncheckedSendable(snapshot)
      inBackground {
        PhaseTimer.measure("writing the snapshot cache") { SnapshotCache.save(cached.value, directory: directory) }
      }
      return snapshot
    }
  }

  /// 128 random bits, as a UUID's text.
  package static func newStateToken() -> String { UUID().uuidString.lowercased() }
}
