import ExportReading
import Foundation
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// Only one apply (or revert, or import) writes to a directory at a time:
/// an advisory lock on `<directory>.lock`, released when the process ends
/// however it ends (the kernel drops `flock` locks with the descriptor).
final class DirectoryLock {
  private let descriptor: Int32

  /// Takes the lock, waiting at most `wait` seconds; nil when another
  /// process holds it. Throws when the lock file cannot be opened.
  static func acquire(directoryPath: String, wait: TimeInterval) throws(DirectoryError) -> DirectoryLock? {
    let path = directoryPath + ".lock"
    // Never through a symlink (it could point at any file, truncated below),
    // never a FIFO or device (O_NONBLOCK: opening one must not hang).
    let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
      throw DirectoryError(
        path: directoryPath, reason: "cannot use the lock file \(path): \(reason); remove it and try again")
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw DirectoryError(
        path: directoryPath, reason: "the lock file \(path) is not a regular file; remove it and try again")
    }
    let deadline = Date().addingTimeInterval(wait)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      if Date() >= deadline {
        close(descriptor)
        return nil
      }
      usleep(50_000)
    }
    // Say who holds it, for the message another process shows.
    let holder = "pid \(getpid()) since \(RunClock.now())"
    _ = ftruncate(descriptor, 0)
    _ = holder.withCString { write(descriptor, $0, strlen($0)) }
    return DirectoryLock(descriptor: descriptor)
  }

  /// Who holds the lock, as written by the holder.
  static func holder(directoryPath: String) -> String {
    // Read only what the holder wrote (a regular file, not through a link).
    let descriptor = open(directoryPath + ".lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return "another process" }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 200)
    let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, 200) }
    let text = count > 0 ? String(decoding: bytes[..<count], as: UTF8.self) : ""
    return text.hasPrefix("pid ") ? text : "another process"
  }

  private init(descriptor: Int32) { self.descriptor = descriptor }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
