import Foundation

/// What a command built and reported is left for the system to take back
/// when the process exits, instead of being freed value by value: a
/// million-row plan holds millions of strings, and freeing them one by one
/// took 2% of the plan's instructions, on one core, after the report was
/// written (Benchmarks/README.md, round six). Only for values that live
/// until the command ends anyway: nothing here is ever released.
enum KeptUntilExit {
  private static let kept = KeptValues()

  static func keep(_ value: Any) { kept.append(value) }

  private final class KeptValues: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Any] = []

    func append(_ value: Any) {
      lock.lock()
      values.append(value)
      lock.unlock()
    }
  }
}
