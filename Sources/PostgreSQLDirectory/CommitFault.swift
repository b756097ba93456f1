import Foundation

/// A connection cut at COMMIT, for the tests of a lost COMMIT: set by
/// SIS_SYNC_TEST_COMMIT_FAULT; never set in use.
public enum CommitFault: String, Sendable {
  /// The server process is terminated (from another connection) just
  /// before COMMIT is sent: the transaction never commits.
  case terminateBeforeCommit = "terminate-before-commit"
  /// The socket is closed right after COMMIT is sent: the server commits
  /// but its reply is lost.
  case cutAfterCommitSent = "cut-after-commit-sent"
  /// Just before COMMIT is sent, SIS_SYNC_TEST_PAUSE_MARKER is created and
  /// the process sleeps SIS_SYNC_TEST_PAUSE_SECONDS (default 10), so a
  /// test can stop the server then.
  case pauseBeforeCommit = "pause-before-commit"

  public static var fromEnvironment: CommitFault? {
    ProcessInfo.processInfo.environment["SIS_SYNC_TEST_COMMIT_FAULT"].flatMap(CommitFault.init(rawValue:))
  }

  /// How long a lost COMMIT's outcome is sought (the server tried again,
  /// the lock waited for): SIS_SYNC_TEST_RECONNECT_SECONDS, for the tests
  /// of a server that does not come back; else 15 seconds.
  public static var reconnectWaitFromEnvironment: TimeInterval {
    ProcessInfo.processInfo.environment["SIS_SYNC_TEST_RECONNECT_SECONDS"].flatMap(TimeInterval.init) ?? 15
  }

  /// The pause of `pauseBeforeCommit`.
  func pause() {
    let environment = ProcessInfo.processInfo.environment
    if let marker = environment["SIS_SYNC_TEST_PAUSE_MARKER"] {
      _ = FileManager.default.createFile(atPath: marker, contents: Data())
    }
    Thread.sleep(forTimeInterval: environment["SIS_SYNC_TEST_PAUSE_SECONDS"].flatMap(Double.init) ?? 10)
  }
}
