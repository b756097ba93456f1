import Foundation
import SyncEngine

/// The owner-only folder `review --pending` writes a held run's export
/// into for the screen's loader. It is removed when the screen closes; one
/// left by a review that was killed (SIGKILL, a power cut) still holds an
/// export, so the next `review --pending` removes it once its process is
/// gone.
enum PendingReviewFolder {
  static let prefix = "sis-sync-pending-"
  /// The file naming the process that uses the folder.
  static let ownerFile = "owner.pid"

  /// A new folder only its owner can enter, in the temporary directory,
  /// marked with this process's id.
  static func make() throws -> String {
    var template = Array((temporaryDirectory as NSString).appendingPathComponent(prefix + "XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      printError("sis-sync: cannot make a private folder for the held run: \(String(cString: strerror(errno)))")
      throw SisSyncExit.directoryError
    }
    let folder = String(cString: made)
    try? writeFileAtomically(
      Array("\(getpid())\n".utf8), to: (folder as NSString).appendingPathComponent(ownerFile), ownerOnly: true)
    return folder
  }

  /// Removes the folders of reviews whose process is gone: this user's
  /// only, and only those marked with a process id (nothing else is ever
  /// removed).
  static func removeAbandoned() {
    let manager = FileManager.default
    guard let names = try? manager.contentsOfDirectory(atPath: temporaryDirectory) else { return }
    for name in names where name.hasPrefix(prefix) {
      let folder = (temporaryDirectory as NSString).appendingPathComponent(name)
      var status = stat()
      guard lstat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == getuid(),
        let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(ownerFile), encoding: .utf8),
        let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
      else { continue }
      // ESRCH: no such process. EPERM would mean another user's: alive.
      if kill(pid, 0) == -1, errno == ESRCH { try? manager.removeItem(atPath: folder) }
    }
  }

  private static var temporaryDirectory: String { NSTemporaryDirectory() }
}
