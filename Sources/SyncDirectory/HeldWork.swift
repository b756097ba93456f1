import Foundation

/// Background work kept back while its owner asks (`SQLiteDirectory`'s
/// snapshot cache write, held while planning reads the rows on both cores).
final class HeldWork: @unchecked Sendable {
  private let lock = NSLock()
  private var holding = false
  private var kept: [@Sendable () -> Void] = []

  func hold() {
    lock.withLock { holding = true }
  }

  /// Keeps `work` when holding (true), else leaves it to the caller (false).
  func keep(_ work: @escaping @Sendable () -> Void) -> Bool {
    lock.withLock {
      guard holding else { return false }
      kept.append(work)
      return true
    }
  }

  /// Ends the hold and hands over the work kept meanwhile.
  func release() -> [@Sendable () -> Void] {
    lock.withLock {
      holding = false
      defer { kept = [] }
      return kept
    }
  }
}
