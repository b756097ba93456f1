import ExportReading
import Foundation
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// How a command uses the directory database.
public enum DirectoryAccess: Sendable, Equatable {
  /// Reading only (`plan`, `validate`, `history`, `show`, `directory
  /// export`): opened read-only, never migrated, never given WAL mode.
  case read
  /// Committing (`apply`, `revert`, `review`): an older schema is migrated,
  /// a newer one refused.
  case write
  /// `directory import` and `demo`: a new directory is created when there
  /// is no file at the path; an existing file must already be a directory.
  case create
}

/// The checks made on the directory's file before SQLite opens it, so that
/// a file sis-sync does not own is never adopted, changed or migrated.
package enum DirectoryFile {
  /// What the path holds.
  enum State {
    /// No file: a new directory may be created there (`create` only).
    case missing
    /// An empty file this user made for a directory (owner-only), left by a
    /// creation that stopped before its first write: it may be set up.
    case emptyOwnFile
    /// An SQLite database file (whether it is a sis-sync directory is
    /// checked once it is open).
    case database
  }

  static let sqliteHeader = Array("SQLite format 3\0".utf8)

  /// Inspects the file at `path` for the given access; throws a message
  /// naming what is wrong and how to fix it.
  static func inspect(_ path: String, access: DirectoryAccess) throws(DirectoryError) -> State {
    var info = stat()
    guard stat(path, &info) == 0 else {
      guard errno == ENOENT else {
        throw DirectoryError(path: path, reason: "cannot read it: \(String(cString: strerror(errno)))")
      }
      guard access == .create else {
        throw DirectoryError(
          path: path,
          reason: "no directory here; create one with 'sis-sync directory import' or try 'sis-sync demo'")
      }
      return .missing
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw DirectoryError(path: path, reason: "not a regular file, so not a sis-sync directory")
    }
    let mode = info.st_mode & 0o777
    if mode & 0o007 != 0 {
      throw DirectoryError(
        path: path,
        reason: "the file is \(mode & 0o002 != 0 ? "writable" : "readable") by every user of this machine (mode "
          + String(mode, radix: 8) + ") but holds students' personal data; refused. Fix it with: chmod o-rwx "
          + shellQuoted(path) + " (group access is allowed, for a service account shared with admins)")
    }
    if info.st_size == 0 {
      guard access == .create, info.st_uid == geteuid(), mode & 0o077 == 0 else {
        throw DirectoryError(
          path: path,
          reason: "an empty file, not a sis-sync directory; sis-sync will not adopt it. Remove it, or choose another "
            + "path for the directory")
      }
      return .emptyOwnFile
    }
    guard firstBytes(of: path, count: sqliteHeader.count) == sqliteHeader else {
      throw DirectoryError(path: path, reason: "not a sis-sync directory (not an SQLite database); left untouched")
    }
    return .database
  }

  /// Whether `path` itself (not a link's target) is a regular file that
  /// starts as every SQLite database does: what `demo --replace` may
  /// remove, where removing anything else could take /dev/null with it.
  package static func isDatabaseFile(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
      && firstBytes(of: path, count: sqliteHeader.count) == sqliteHeader
  }

  private static func firstBytes(of path: String, count: Int) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, count, 0) }
    return got == count ? bytes : []
  }

  /// Creates an empty owner-only file (and its folder, owner-only).
  static func createOwnerOnly(_ path: String) throws(DirectoryError) {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw DirectoryError(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
      }
    }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw DirectoryError(path: path, reason: String(cString: strerror(errno))) }
    close(descriptor)
  }

  /// `path` quoted for a shell command in a message.
  static func shellQuoted(_ path: String) -> String {
    let safe = path.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "/._-+,:@".unicodeScalars.contains($0)
    }
    return safe ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
