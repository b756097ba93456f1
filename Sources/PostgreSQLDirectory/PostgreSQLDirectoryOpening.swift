import Foundation
import SyncDirectory

/// The checks made when a PostgreSQL directory is opened, and its creation
/// and migrations: a schema sis-sync did not make is never adopted (unless
/// empty, as a DBA pre-creates it for a role with rights on it alone),
/// changed or migrated.
struct PostgreSQLDirectoryOpening {
  let connection: PostgreSQLConnection
  let location: PostgreSQLLocation
  let access: DirectoryAccess

  /// What the schema holds.
  private struct Found {
    var schemaOID: Int64?
    var tableCount = 0
    /// The migrations run, nil when there is no migrations table.
    var migrations: Set<String>?
    var hasDirectoryID = false
  }

  /// Checks, creates or migrates as `access` allows; returns the
  /// directory's lock key.
  func open() throws -> Int64 {
    var found = try inspect()
    if found.schemaOID == nil && access != .create {
      throw DirectoryError(
        path: location.description,
        reason: "no directory named '\(location.name)' in this database; create one with 'sis-sync directory "
          + "import' or try 'sis-sync demo'")
    }
    if let migrations = found.migrations, !migrations.isSubset(of: PostgreSQLSchema.identifiers), access != .read {
      throw DirectoryError(
        path: location.description,
        reason: "made by a newer version of sis-sync (its schema has steps this version does not know); "
          + "it can be read but not written here: use the newer sis-sync")
    }
    let complete = found.hasDirectoryID && found.migrations == PostgreSQLSchema.identifiers
    if !complete {
      // A schema with tables but no directory in it is someone else's.
      if found.schemaOID != nil && !found.hasDirectoryID && found.tableCount > 0 {
        throw notADirectory()
      }
      if found.schemaOID != nil && !found.hasDirectoryID && access != .create {
        throw DirectoryError(
          path: location.description,
          reason: "the schema \(location.schema) holds no directory yet; create one with 'sis-sync directory import'")
      }
      if access != .read { found = try setUp() }
    }
    guard let oid = found.schemaOID else { throw notADirectory() }
    return PostgreSQLDirectoryLock.key(schemaOID: oid)
  }

  private func notADirectory() -> DirectoryError {
    DirectoryError(
      path: location.description,
      reason: "the schema \(location.schema) holds tables that are not a sis-sync directory; sis-sync will not change "
        + "it")
  }

  private func inspect() throws -> Found {
    var found = Found()
    let schema = try connection.execute(
      """
      SELECT n.oid::bigint, (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind = 'r'),
             to_regclass(quote_ident(n.nspname) || '.migrations') IS NOT NULL,
             to_regclass(quote_ident(n.nspname) || '.directory_info') IS NOT NULL
      FROM pg_namespace n WHERE n.nspname = $1
      """, [location.schema]
    ).rows.first
    guard let schema else { return found }
    found.schemaOID = schema[0].flatMap { Int64($0) }
    found.tableCount = schema[1].flatMap { Int($0) } ?? 0
    if schema[2] == "t" {
      found.migrations = Set(try connection.execute("SELECT identifier FROM migrations").rows.compactMap { $0[0] })
    }
    if schema[3] == "t" {
      found.hasDirectoryID =
        try connection.execute("SELECT count(*) FROM directory_info WHERE key = 'directory_id'").value != "0"
    }
    return found
  }

  /// Creates the schema (when missing), runs the migrations not yet run
  /// and, for a new directory, gives it its identity and first state: one
  /// transaction, under a lock that only openers of this directory take.
  private func setUp() throws -> Found {
    try connection.execute("BEGIN")
    do {
      try connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", ["sis-sync setup " + location.schema])
      var found = try inspect()
      if found.schemaOID == nil {
        try connection.execute("CREATE SCHEMA \(location.schema)")
        found = try inspect()
      } else if !found.hasDirectoryID && found.tableCount > 0 {
        throw notADirectory()
      }
      if found.migrations == nil { try connection.execute(PostgreSQLSchema.migrationsTable) }
      for migration in PostgreSQLSchema.migrations where found.migrations?.contains(migration.identifier) != true {
        try connection.execute(migration.sql)
        try connection.execute("INSERT INTO migrations (identifier) VALUES ($1)", [migration.identifier])
      }
      if !found.hasDirectoryID {
        let token = SQLiteDirectory.newStateToken()
        try connection.execute(
          """
          INSERT INTO directory_info (key, value) VALUES ('directory_id', $1), ('generation', '0'), ('state_token', $2)
          """, [UUID().uuidString.lowercased(), token])
        try connection.execute("INSERT INTO directory_state (token, generation) VALUES ($1, 0)", [token])
      }
      try connection.execute("COMMIT")
    } catch {
      _ = try? connection.execute("ROLLBACK")
      throw error
    }
    return try inspect()
  }
}
