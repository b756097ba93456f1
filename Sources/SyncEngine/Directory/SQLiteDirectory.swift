import Dispatch
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// The embedded directory: one SQLite database file, created by sis-sync,
/// readable by its owner only. Every commit happens in one transaction and
/// is recorded as a run with the before and after values of every change.
public final class SQLiteDirectory: @unchecked Sendable {
  public let path: String
  let queue: DatabaseQueue
  /// The file opened (device and inode): a write refuses to go to a file
  /// that was deleted or replaced at `path` since.
  private var openedFile: (device: UInt64, inode: UInt64)?
  /// Work that may finish after a call returns (writing the snapshot cache).
  private let backgroundWork = DispatchGroup()

  deinit { backgroundWork.wait() }

  /// Waits until the snapshot cache is written (tests, and before exit).
  public func waitForBackgroundWork() { backgroundWork.wait() }

  /// Opens the directory at `path`; with `create`, makes a new empty one
  /// when there is none.
  public init(path: String, create: Bool = false) throws(DirectoryError) {
    self.path = path
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists {
      guard create else {
        throw DirectoryError(
          path: path,
          reason: "no directory here; create one with 'sis-sync directory import' or try 'sis-sync demo'")
      }
      try Self.createOwnerOnlyFile(path)
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.foreignKeysEnabled = true
    configuration.prepareDatabase { db in
      // Room for the index pages a large apply touches (the default 2 MB
      // cache makes SQLite spill and re-read them).
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      // Opening must not wait for a running apply: write only when the
      // directory is new or its schema is older than this version.
      let ready = try queue.read { db in
        try DirectorySchema.migrator.hasCompletedMigrations(db)
          && String.fetchOne(db, sql: "SELECT value FROM directory_info WHERE key = 'directory_id'") != nil
      }
      if !ready {
        // WAL: the review screen and plans keep reading while an apply writes.
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try DirectorySchema.migrator.migrate(queue)
        try queue.write { db in
          if try String.fetchOne(db, sql: "SELECT value FROM directory_info WHERE key = 'directory_id'") == nil {
            try db.execute(
              sql: "INSERT INTO directory_info (key, value) VALUES ('directory_id', ?), ('generation', '0')",
              arguments: [UUID().uuidString.lowercased()])
          }
        }
      }
    } catch {
      throw DirectoryError(path: path, reason: Self.describe(error))
    }
    openedFile = Self.identity(of: path)
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

  private static func createOwnerOnlyFile(_ path: String) throws(DirectoryError) {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw DirectoryError(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
      }
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw DirectoryError(path: path, reason: String(cString: strerror(errno))) }
    close(descriptor)
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

  // MARK: - Reading

  public var directoryID: String {
    get throws(DirectoryError) {
      try translatingErrors { try queue.read { db in try Self.info(db, "directory_id") } }
    }
  }

  public var generation: Int64 {
    get throws(DirectoryError) {
      try translatingErrors { try queue.read { db in Int64(try Self.info(db, "generation")) ?? 0 } }
    }
  }

  static func info(_ db: Database, _ key: String) throws -> String {
    try String.fetchOne(db, sql: "SELECT value FROM directory_info WHERE key = ?", arguments: [key]) ?? ""
  }

  public func organizations() throws(DirectoryError) -> [Organization] {
    try translatingErrors { try queue.read { db in try Self.organizations(db) } }
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
    try translatingErrors {
      let (organizations, generation, directoryID, maxID) = try queue.read { db in
        (
          try Self.organizations(db), Int64(try Self.info(db, "generation")) ?? 0, try Self.info(db, "directory_id"),
          // max(id) is instant (count(*) scans the table); ids are dense.
          try Int64.fetchOne(db, sql: "SELECT max(id) FROM account") ?? 0
        )
      }
      if let cached = PhaseTimer.measure(
        "reading the snapshot cache",
        {
          SnapshotCache.load(directory: path, directoryID: directoryID, generation: generation)
        }), cached.organizations == organizations
      {
        return cached
      }
      let indexByID = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($1.id, Int32($0)) })
      let references = organizations.map { Array($0.reference.utf8) }
      var parts: [AccountPart]
      if maxID > 200_000,
        let split = try? readInTwoRanges(
          maxID: maxID, generation: generation, indexByID: indexByID, references: references)
      {
        parts = split
      } else {
        parts = [
          try queue.read { db in
            try Self.readAccounts(db, ids: 0...Int64.max, indexByID: indexByID, references: references)
          }
        ]
        if parts[0].generation != generation { return try snapshot() }
      }
      var first = parts.removeFirst()
      for part in parts {
        first.store.append(contentsOf: part.store)
        first.ids += part.ids
        first.organizations += part.organizations
      }
      let snapshot = PhaseTimer.measure("indexing accounts") {
        DirectorySnapshot(
          directoryID: directoryID, generation: generation, organizations: organizations, accounts: first.store,
          accountIDs: first.ids, accountOrganizations: first.organizations)
      }
      // Written while planning goes on; deinit waits for it.
      let directory = path
      let cached = UncheckedSendable(snapshot)
      DispatchQueue.global().async(group: backgroundWork) {
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

  private func readInTwoRanges(
    maxID: Int64, generation: Int64, indexByID: [Int64: Int32], references: [[UInt8]]
  ) throws -> [AccountPart]? {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    let second = try DatabaseQueue(path: path, configuration: configuration)
    let middle = maxID / 2
    let results = UncheckedSendable(PartResults())
    let connections = UncheckedSendable((queue, second))
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let connection: DatabaseQueue = index == 0 ? connections.value.0 : connections.value.1
      let range: ClosedRange<Int64> = index == 0 ? 0...middle : (middle + 1)...Int64.max
      results.value.set(
        index,
        Result {
          try connection.read { db in
            try Self.readAccounts(db, ids: range, indexByID: indexByID, references: references)
          }
        })
    }
    let parts = try [results.value.parts[0]!.get(), results.value.parts[1]!.get()]
    // Both halves must come from the same state of the directory.
    return parts.allSatisfy { $0.generation == generation } ? parts : nil
  }

  private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var parts: [Result<AccountPart, Error>?] = [nil, nil]
    func set(_ index: Int, _ result: Result<AccountPart, Error>) {
      lock.lock()
      parts[index] = result
      lock.unlock()
    }
  }

  static func readAccounts(
    _ db: Database, ids: ClosedRange<Int64>, indexByID: [Int64: Int32], references: [[UInt8]]
  ) throws -> AccountPart {
    let generation = Int64(try info(db, "generation")) ?? 0
    let expected = Int(
      min(ids.upperBound, try Int64.fetchOne(db, sql: "SELECT max(id) FROM account") ?? 0) - ids.lowerBound + 1)
    // Accounts run about 90 bytes of values.
    var store = RowStore(expectedRows: max(expected, 0), expectedBytes: max(expected, 0) * 96)
    var accountIDs: [Int64] = []
    var organizations: [Int32] = []
    accountIDs.reserveCapacity(max(expected, 0))
    organizations.reserveCapacity(max(expected, 0))
    let statement = try RawStatement(
      db,
      """
      SELECT id, organization_id, first_name, middle_name, last_name, email, custom_id,
             user_type, position, grade, status FROM account WHERE id BETWEEN ? AND ? ORDER BY id
      """)
    statement.bind(1, ids.lowerBound)
    statement.bind(2, ids.upperBound)
    // Result columns 2 to 10, in ExportColumn order; the school comes from
    // the organization.
    let resultColumn: [Int32] = [2, 3, 4, 5, 6, -1, 7, 8, 9, 10]
    try PhaseTimer.measure("reading accounts \(ids.lowerBound)…") {
      try statement.forEachRow(db) {
        accountIDs.append(statement.int64(0))
        let organization = indexByID[statement.int64(1)] ?? 0
        organizations.append(organization)
        for column in resultColumn {
          if column < 0 {
            references[Int(organization)].withUnsafeBufferPointer { store.appendValue($0) }
          } else {
            store.appendValue(statement.bytes(column))
          }
        }
      }
    }
    return AccountPart(store: store, ids: accountIDs, organizations: organizations, generation: generation)
  }

  /// Moves the generation on and returns the new one; every record written
  /// in this transaction is stamped with it.
  static func nextGeneration(_ db: Database) throws -> Int64 {
    let next = (Int64(try info(db, "generation")) ?? 0) + 1
    try db.execute(sql: "UPDATE directory_info SET value = ? WHERE key = 'generation'", arguments: [String(next)])
    return next
  }
}

/// The schema, as named migrations. A migration is never changed once it
/// has shipped: new needs get new migrations.
enum DirectorySchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1 organizations, accounts, runs") { db in
      try db.execute(
        sql: """
          CREATE TABLE directory_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE organization (
            id INTEGER PRIMARY KEY,
            external_id TEXT UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('district', 'school')),
            changed_generation INTEGER NOT NULL DEFAULT 0
          );
          CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            custom_id TEXT UNIQUE,
            first_name TEXT NOT NULL,
            middle_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL,
            email TEXT NOT NULL,
            organization_id INTEGER NOT NULL REFERENCES organization(id),
            user_type TEXT NOT NULL CHECK (user_type IN ('Teacher', 'Staff', 'Administrator', 'Student')),
            position TEXT NOT NULL DEFAULT '',
            grade TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('Active', 'Disabled')),
            changed_generation INTEGER NOT NULL DEFAULT 0
          );
          CREATE UNIQUE INDEX account_email ON account (email COLLATE NOCASE);
          CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('apply', 'revert', 'import')),
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            user_name TEXT NOT NULL,
            host TEXT NOT NULL,
            export_path TEXT,
            export_sha256 TEXT,
            reverts_run INTEGER REFERENCES run(id),
            generation INTEGER NOT NULL,
            counts TEXT NOT NULL
          );
          CREATE TABLE change (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id),
            action TEXT NOT NULL,
            account_id INTEGER,
            organization_id INTEGER,
            custom_id TEXT,
            line INTEGER,
            before TEXT,
            after TEXT NOT NULL,
            outcome TEXT
          );
          CREATE INDEX change_run ON change (run_id);
          """)
    }
    return migrator
  }
}
