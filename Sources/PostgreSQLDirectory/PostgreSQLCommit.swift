import Foundation
import SyncDirectory

/// COMMIT of a write, and what to do when the connection is lost during
/// it: the transaction may or may not have committed. The write's new
/// state token (chosen before COMMIT, `moveToNewState`) tells: another
/// connection waits for the directory's lock (so the lost transaction has
/// surely ended, one way or the other), then looks the token up among the
/// states the directory has been in. Found: the write was applied. Not
/// found: it was not. The server out of reach: unknown, said as such.
struct PostgreSQLCommit {
  let place: PostgreSQLLocation
  let pool: ConnectionPool
  let lockKey: Int64
  let fault: CommitFault?
  /// Told when the write was found applied after all.
  let notice: (@Sendable (String) -> Void)?
  /// How long the server is tried again, and the lock waited for.
  let reconnectWait: TimeInterval

  /// Commits the open transaction on `connection`, whose write moved the
  /// directory to the state `token` (nil: it did not). Returns when the
  /// write is committed; throws when it is not, or `WriteOutcomeUnknown`.
  func commit(_ connection: PostgreSQLConnection, token: String?) throws {
    let failure: PostgreSQLFailure
    do {
      try send(connection)
      return
    } catch {
      failure = error
    }
    // The server refused the COMMIT and said so: it did not commit.
    guard failure.connectionLost || !connection.isConnected else { throw failure }
    guard let token else { throw WriteOutcomeUnknown(path: place.description, reason: "the write made no new state") }
    let lost = "the connection to the PostgreSQL server was lost during COMMIT (\(place.scrub("\(failure)")))"
    switch try outcome(of: token) {
    case .applied(let generation):
      notice?(
        "\(lost); reconnected: the directory records the state this write made (generation \(generation)): "
          + "it was applied")
    case .notApplied(let generation):
      throw DirectoryError(
        path: place.description,
        reason: "\(lost); reconnected: the directory never reached the state this write would have made (it is at "
          + "generation \(generation)): not applied, nothing was changed")
    }
  }

  /// COMMIT, with the tests' faults around it.
  private func send(_ connection: PostgreSQLConnection) throws(PostgreSQLFailure) {
    if fault == .terminateBeforeCommit { terminateServerProcess(of: connection) }
    if fault == .pauseBeforeCommit { fault?.pause() }
    try connection.execute("COMMIT") { if fault == .cutAfterCommitSent { connection.cutOff() } }
  }

  enum Outcome {
    case applied(generation: Int64)
    case notApplied(currentGeneration: Int64)
  }

  /// Asks the server, on a new connection, whether `token` was committed.
  private func outcome(of token: String) throws -> Outcome {
    let deadline = Date().addingTimeInterval(reconnectWait)
    var lastReason = ""
    while Date() < deadline {
      do {
        let connection = try pool.newConnection()
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("ROLLBACK") }
        // The lost transaction holds the lock until it has ended.
        try PostgreSQLDirectoryLock.acquire(key: lockKey, on: connection, wait: deadline.timeIntervalSinceNow)
        let found = try connection.execute("SELECT generation FROM directory_state WHERE token = $1", [token]).int64
        if let found { return .applied(generation: found) }
        return .notApplied(currentGeneration: try PostgreSQLTransaction.state(connection).generation)
      } catch let locked as DirectoryLocked {
        lastReason = "the lost write's transaction still held the directory's lock: \(locked)"
        break
      } catch {
        // The server restarting after a crash refuses connections a moment.
        lastReason = place.scrub("\(error)")
        usleep(200_000)
      }
    }
    throw WriteOutcomeUnknown(path: place.description, reason: lastReason)
  }

  /// The tests' fault before COMMIT: the server process serving
  /// `connection` is terminated from another connection (and waited for).
  private func terminateServerProcess(of connection: PostgreSQLConnection) {
    guard let other = try? pool.newConnection() else { return }
    _ = try? other.execute("SELECT pg_terminate_backend($1, 5000)", [String(connection.serverProcessID)])
  }
}
