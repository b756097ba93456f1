import ExportReading
import Foundation
import SyncModel

/// A pause inside the SQLite store's write transaction, for crash and
/// concurrency tests: once `afterChanges` or more changes are recorded
/// (creates are recorded in groups of up to 1,024), `marker` is created and
/// the process sleeps, so a test can kill it mid-transaction or start a
/// second apply. Set by SIS_SYNC_TEST_PAUSE_AFTER,
/// SIS_SYNC_TEST_PAUSE_MARKER and SIS_SYNC_TEST_PAUSE_SECONDS (default 60);
/// never set in use.
public struct ApplyPause: Sendable {
  public var afterChanges: Int
  public var marker: String
  public var seconds: Double

  public init(afterChanges: Int, marker: String, seconds: Double = 60) {
    self.afterChanges = afterChanges
    self.marker = marker
    self.seconds = seconds
  }

  public static var fromEnvironment: ApplyPause? {
    let environment = ProcessInfo.processInfo.environment
    guard let count = environment["SIS_SYNC_TEST_PAUSE_AFTER"].flatMap(Int.init),
      let marker = environment["SIS_SYNC_TEST_PAUSE_MARKER"]
    else { return nil }
    let seconds = environment["SIS_SYNC_TEST_PAUSE_SECONDS"].flatMap(Double.init) ?? 60
    return ApplyPause(afterChanges: count, marker: marker, seconds: seconds)
  }

  package func wait() {
    _ = FileManager.default.createFile(atPath: marker, contents: Data())
    Thread.sleep(forTimeInterval: seconds)
  }
}
