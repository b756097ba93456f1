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

  /// Everything planning needs, read in one transaction (a consistent view).
  public func snapshot() throws(DirectoryError) -> DirectorySnapshot {
    try translatingErrors {
      try queue.read { db in
        let organizations = try Self.organizations(db)
        let indexByID = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($1.id, Int32($0)) })
        let references = organizations.map { Array($0.reference.utf8) }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0
        // Accounts run about 90 bytes of values.
        var store = RowStore(expectedRows: count, expectedBytes: count * 96)
        var ids: [Int64] = []
        var organizationIndexes: [Int32] = []
        ids.reserveCapacity(count)
        organizationIndexes.reserveCapacity(count)
        let statement = try RawStatement(
          db,
          """
          SELECT id, organization_id, first_name, middle_name, last_name, email, custom_id,
                 user_type, position, grade, status FROM account ORDER BY id
          """)
        try PhaseTimer.measure("reading accounts") {
          try statement.forEachRow(db) {
            ids.append(statement.int64(0))
            let organization = indexByID[statement.int64(1)] ?? 0
            organizationIndexes.append(organization)
            // Columns 2... follow ExportColumn order, with the school taken
            // from the organization.
            for column in ExportColumn.allCases {
              if column == .schoolExternalID {
                references[Int(organization)].withUnsafeBufferPointer { store.appendValue($0) }
              } else {
                let index: Int32 =
                  switch column {
                  case .firstName: 2
                  case .middleName: 3
                  case .lastName: 4
                  case .email: 5
                  case .customID: 6
                  case .userType: 7
                  case .position: 8
                  case .grade: 9
                  default: 10
                  }
                store.appendValue(statement.bytes(index))
              }
            }
          }
        }
        return try PhaseTimer.measure("indexing accounts") {
          DirectorySnapshot(
            directoryID: try Self.info(db, "directory_id"), generation: Int64(try Self.info(db, "generation")) ?? 0,
            organizations: organizations, accounts: store, accountIDs: ids, accountOrganizations: organizationIndexes)
        }
      }
    }
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
