import ExportReading
import Foundation
import GRDB
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

extension SQLiteDirectory {
  /// Writes a consistent copy of the directory to `target` (owner-only,
  /// atomically): SQLite's `VACUUM INTO`, which reads one committed state
  /// even while an apply is writing. A raw copy of the file can miss the
  /// commits still in its `-wal` file, or catch half of one.
  public func backup(to target: String) throws(DirectoryError) {
    let temporary = target + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    // VACUUM INTO fills an empty file it is given: made here, owner-only.
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw DirectoryError(path: target, reason: "cannot write the backup: \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    do {
      try queue.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [temporary]) }
      let file = open(temporary, O_RDONLY | O_CLOEXEC)
      if file >= 0 {
        fsync(file)
        close(file)
      }
      guard rename(temporary, target) == 0 else {
        throw DirectoryError(path: target, reason: "cannot write the backup: \(String(cString: strerror(errno)))")
      }
    } catch {
      unlink(temporary)
      if let error = error as? DirectoryError { throw error }
      throw DirectoryError(path: target, reason: "cannot write the backup: \(Self.describe(error))")
    }
  }
}

extension SQLiteDirectory {
  /// Closes the file now (its WAL folded in), so it can be moved into
  /// place whole; the directory is not used after.
  package func closeDatabase() throws(DirectoryError) {
    waitForBackgroundWork()
    try translatingErrors { try queue.close() }
  }
}
