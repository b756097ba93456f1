import Foundation
import SyncDirectory

/// One apply (or revert, or import) writes to a directory at a time: a
/// transaction-level advisory lock, released by the server when the
/// transaction ends however it ends (commit, rollback, a lost connection).
/// The key is sis-sync's number in the high 32 bits and the directory's
/// schema OID in the low ones: unique per directory in a database, so
/// different directories never wait on each other.
enum PostgreSQLDirectoryLock {
  /// "SISS": sis-sync's advisory locks, told apart from other programs'.
  static let keyClass: Int64 = 0x5349_5353

  static func key(schemaOID: Int64) -> Int64 { keyClass << 32 | schemaOID }

  /// Takes the lock in the connection's open transaction, trying again
  /// for at most `wait` seconds; throws `DirectoryLocked` naming the
  /// holder when another session keeps it.
  static func acquire(key: Int64, on connection: PostgreSQLConnection, wait: TimeInterval) throws {
    let deadline = Date().addingTimeInterval(wait)
    while try connection.execute("SELECT pg_try_advisory_xact_lock($1)", [String(key)]).value != "t" {
      if Date() >= deadline { throw DirectoryLocked(holder: holder(key: key, on: connection)) }
      usleep(50_000)
    }
  }

  /// Who holds the lock, as the server knows it: the holder's
  /// application_name ("sis-sync pid 123 on host") when this role may see
  /// it, its server process and since when.
  static func holder(key: Int64, on connection: PostgreSQLConnection) -> String {
    let rows = try? connection.execute(
      """
      SELECT l.pid, a.application_name, to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
        AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      """, [String(key >> 32), String(key & 0xFFFF_FFFF)]
    ).rows.first
    guard let rows, let pid = rows[0] else { return "another process" }
    // Ours read "sis-sync pid 123 on host": said as the SQLite store's
    // lock says it ("pid 123 …").
    let name = rows[1].flatMap { $0.isEmpty ? nil : $0 }.map {
      $0.hasPrefix("sis-sync pid ") ? String($0.dropFirst("sis-sync ".count)) : $0
    }
    return (name ?? "another session") + " (server process \(pid))" + (rows[2].map { " since \($0)" } ?? "")
  }
}
