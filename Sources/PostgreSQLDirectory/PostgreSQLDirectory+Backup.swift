import Foundation
import SyncDirectory

#if canImport(Glibc)
  import Glibc
#endif

extension PostgreSQLDirectory {
  /// Writes a consistent copy of the directory to `path` as a new SQLite
  /// directory file (owner-only, atomically): `DirectoryCopy` into a
  /// temporary file (one snapshot of the server, every table checked),
  /// closed and then moved into place. It keeps the directory's identity,
  /// so it can be copied back to a server with `directory copy`.
  public func backup(to path: String) throws(DirectoryError) {
    let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    defer {
      for suffix in ["-wal", "-shm", ".lock"] { unlink(temporary + suffix) }
    }
    do {
      let file = try SQLiteDirectory(path: temporary, access: .create)
      _ = try DirectoryCopy.copy(from: self, to: file)
      try file.closeDatabase()
      let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
      if descriptor >= 0 {
        fsync(descriptor)
        close(descriptor)
      }
      guard rename(temporary, path) == 0 else {
        throw DirectoryError(path: path, reason: "cannot write the backup: \(String(cString: strerror(errno)))")
      }
    } catch {
      unlink(temporary)
      if let error = error as? DirectoryError { throw error }
      throw Self.directoryError(error, location: place)
    }
  }
}
