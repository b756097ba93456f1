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

  /// Everything planning needs, as one consistent state. A large directory
  /// is read in two id ranges on two connections at once; both must see the
  /// same generation (else it is read again in one pass).
  public func snapshot() throws(DirectoryError) -> DirectorySnapshot {
    while true {
      let snapshot = try accountsSnapshot()
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
  private func accountsSnapshot() throws(DirectoryError) -> DirectorySnapshot {
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
        return cached
      }
      let references = OrganizationReferences(organizations)
      var first: AccountPart
      if maxID > 200_000,
        let both = try? readFromBothEnds(maxID: maxID, generation: state.generation, references: references)
      {
        first = both
      } else {
        first = try scanConnection().read { db in
          var ranges = [0...Int64.max].makeIterator()
          return try Self.readAccounts(
            db, reservingRows: Int(maxID), references: references, label: "", ranges: { ranges.next() }
          ).part
        }
        if first.generation != state.generation { return try accountsSnapshot() }
      }
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

  /// Accounts of one id range, with the generation the read saw.
  struct AccountPart {
    var store: RowStore
    var ids: [Int64]
    var organizations: [Int32]
    var generation: Int64
  }

  /// A read-only connection for reading every account once, with SQLite's
  /// small default page cache: the directory's own connection keeps 64 MB of
  /// pages for applies, which such a scan would fill, and the process keep,
  /// for nothing.
  private func scanConnection() throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    return try DatabaseQueue(path: path, configuration: configuration)
  }

  /// Reads the accounts on two connections at once, from both ends of the
  /// ids: one reader takes blocks of ids from the bottom, the other from the
  /// top, until they meet, so both end together however the cores are
  /// shared (two fixed halves left one core idle for up to a fifth of a
  /// second while the export's hash slowed the other). The bottom reader's
  /// arrays have room for every account (ids are dense, so `maxID` bounds
  /// the rows; untouched room costs no memory): the join copies only the
  /// top reader's blocks, in id order, and grows nothing.
  private func readFromBothEnds(
    maxID: Int64, generation: Int64, references: OrganizationReferences
  ) throws -> AccountPart? {
    let connections = UncheckedSendable([try scanConnection(), try scanConnection()])
    let blocks = IDBlocks(maxID: maxID)
    let results = UncheckedSendable(PartResults())
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let fromTheBottom = index == 0
      results.value.set(
        index,
        Result {
          try connections.value[index].read { db in
            try Self.readAccounts(
              db, reservingRows: Int(maxID), references: references,
              label: fromTheBottom ? "from the bottom" : "from the top",
              ranges: fromTheBottom ? blocks.claimBottom : blocks.claimTop)
          }
        })
    }
    var (bottom, _) = try results.value.parts[0]!.get()
    let (top, topBlocks) = try results.value.parts[1]!.get()
    results.value.clear()
    // Both readers must have seen the same state of the directory.
    guard bottom.generation == generation, top.generation == generation else { return nil }
    bottom.store.reserve(rowsMore: top.store.rowCount, bytesMore: top.store.byteCount)
    bottom.ids.reserveCapacity(bottom.ids.count + top.ids.count)
    bottom.organizations.reserveCapacity(bottom.organizations.count + top.organizations.count)
    for rows in topBlocks.reversed() {
      bottom.store.append(rows: rows, of: top.store)
      bottom.ids.append(contentsOf: top.ids[rows])
      bottom.organizations.append(contentsOf: top.organizations[rows])
    }
    return bottom
  }

  /// The ids still to read, in blocks taken from either end (a lock: a few
  /// dozen claims a read).
  final class IDBlocks: @unchecked Sendable {
    private let lock = NSLock()
    private var low: Int64 = 0
    private var high: Int64
    private let maxID: Int64
    private let size: Int64

    init(maxID: Int64) {
      self.maxID = maxID
      high = maxID
      size = max(8_192, maxID / 64)
    }

    func claimBottom() -> ClosedRange<Int64>? { claim { low in low...min(low + size - 1, high) } }
    func claimTop() -> ClosedRange<Int64>? { claim { low in max(low, high - size + 1)...high } }

    /// The block `bounds` gives out of what is left; the one that reaches
    /// `maxID` also takes any id above it.
    private func claim(_ bounds: (Int64) -> ClosedRange<Int64>) -> ClosedRange<Int64>? {
      lock.lock()
      defer { lock.unlock() }
      guard low <= high else { return nil }
      let block = bounds(low)
      if block.lowerBound == low { low = block.upperBound + 1 } else { high = block.lowerBound - 1 }
      return block.lowerBound...(block.upperBound == maxID ? Int64.max : block.upperBound)
    }
  }

  private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var parts: [Result<(AccountPart, [Range<Int>]), Error>?] = [nil, nil]
    func set(_ index: Int, _ result: Result<(AccountPart, [Range<Int>]), Error>) {
      lock.lock()
      parts[index] = result
      lock.unlock()
    }
    /// Drops the parts, so the joined store is their arrays' only owner.
    func clear() { parts = [nil, nil] }
  }

  /// The accounts of the id ranges `ranges` gives until it gives nil, in
  /// arrays with room for `reservingRows` accounts (more are taken if there
  /// are more), with the rows each range took, in the order read.
  static func readAccounts(
    _ db: Database, reservingRows: Int, references: OrganizationReferences, label: String,
    ranges: () -> ClosedRange<Int64>?
  ) throws -> (part: AccountPart, blocks: [Range<Int>]) {
    let generation = Int64(try info(db, "generation")) ?? 0
    let expected = max(reservingRows, 0)
    // Accounts run about 93 bytes of values; room for more costs nothing
    // until it is written, and saves regrowing (copying) the arena.
    var store = RowStore(expectedRows: expected, expectedBytes: expected * 128)
    var accountIDs: [Int64] = []
    var organizations: [Int32] = []
    accountIDs.reserveCapacity(expected)
    organizations.reserveCapacity(expected)
    let statement = try RawStatement(
      db,
      """
      SELECT id, organization_id, first_name, middle_name, last_name, email, custom_id,
             user_type, position, grade, status FROM account WHERE id BETWEEN ? AND ? ORDER BY id
      """)
    // Result columns 2 to 10, in ExportColumn order; the school comes from
    // the organization.
    let resultColumn: [Int32] = [2, 3, 4, 5, 6, -1, 7, 8, 9, 10]
    let row = RowBuilder()
    var blocks: [Range<Int>] = []
    try PhaseTimer.measure("reading accounts \(label)") {
      try references.withReferences { reference in
        while let ids = ranges() {
          let firstRow = accountIDs.count
          statement.bind(1, ids.lowerBound)
          statement.bind(2, ids.upperBound)
          try statement.forEachRow(db) {
            accountIDs.append(statement.int64(0))
            let organization = references.index(ofID: statement.int64(1))
            organizations.append(organization)
            for column in resultColumn {
              row.add(column < 0 ? reference(organization) : statement.bytes(column))
            }
            store.append(row)
          }
          blocks.append(firstRow..<accountIDs.count)
        }
      }
    }
    return (AccountPart(store: store, ids: accountIDs, organizations: organizations, generation: generation), blocks)
  }

  /// 128 random bits, as a UUID's text.
  package static func newStateToken() -> String { UUID().uuidString.lowercased() }
}
