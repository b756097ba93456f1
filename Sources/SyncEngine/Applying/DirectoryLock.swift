import Foundation

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
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw DirectoryError(
        path: directoryPath, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
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
    (try? String(contentsOfFile: directoryPath + ".lock", encoding: .utf8)).flatMap { $0.isEmpty ? nil : $0 }
      ?? "another process"
  }

  private init(descriptor: Int32) { self.descriptor = descriptor }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
