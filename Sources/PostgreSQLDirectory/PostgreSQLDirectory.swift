import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// The directory on a PostgreSQL server: one schema per directory
/// (`sis_sync_NAME`), so many districts share one database and a role
/// with rights on its own schema is enough. Reads run in one REPEATABLE
/// READ transaction (a consistent snapshot); every write is one
/// transaction under the directory's advisory lock, so one apply writes
/// to a directory at a time and different directories never wait on
/// each other.
public final class PostgreSQLDirectory: DirectoryStore, @unchecked Sendable {
  /// How this process writes (as `SQLiteDirectory.Options`).
  public struct Options: Sendable {
    /// How long a write waits for another one (the directory's lock)
    /// before `DirectoryLocked`; 0 refuses at once.
    public var lockWait: TimeInterval
    /// A pause inside write transactions, for crash and concurrency tests.
    public var pause: ApplyPause?
    /// A connection cut at COMMIT, for the tests of a lost COMMIT.
    public var commitFault: CommitFault?
    /// Told when a write whose COMMIT reply was lost is found applied
    /// (the command says it on stderr).
    public var notice: (@Sendable (String) -> Void)?
    /// How long the outcome of a COMMIT whose connection was lost is
    /// sought (the server reached again, the lost write waited for) before
    /// it is called unknown (`WriteOutcomeUnknown`).
    public var reconnectWait: TimeInterval

    public init(
      lockWait: TimeInterval = 0, pause: ApplyPause? = nil, commitFault: CommitFault? = nil,
      notice: (@Sendable (String) -> Void)? = nil, reconnectWait: TimeInterval = 15
    ) {
      self.lockWait = lockWait
      self.pause = pause
      self.commitFault = commitFault
      self.notice = notice
      self.reconnectWait = reconnectWait
    }
  }

  public let place: PostgreSQLLocation
  /// The server, database and directory, without the password.
  public var location: String { place.description }
  public let access: DirectoryAccess
  public let options: Options
  let pool: ConnectionPool
  /// The directory's advisory lock key (`PostgreSQLDirectoryLock`).
  let lockKey: Int64

  /// Opens the directory that `url` names for `access`: refuses a schema
  /// that is not a sis-sync directory and (to write) one made by a newer
  /// sis-sync; migrates an older one only to write; creates a new
  /// directory only with `.create`.
  public convenience init(url: String, access: DirectoryAccess, options: Options = Options()) throws(DirectoryError) {
    try self.init(location: try PostgreSQLLocation(url), access: access, options: options)
  }

  public init(location: PostgreSQLLocation, access: DirectoryAccess, options: Options = Options())
    throws(DirectoryError)
  {
    self.place = location
    self.access = access
    self.options = options
    pool = ConnectionPool(location: location)
    do {
      lockKey = try pool.with { connection in
        try PostgreSQLDirectoryOpening(connection: connection, location: location, access: access).open()
      }
    } catch {
      throw Self.directoryError(error, location: location)
    }
  }

  /// Any failure as a `DirectoryError` in clear words, without a password.
  static func directoryError(_ error: Error, location: PostgreSQLLocation, rolledBack: Bool = false)
    -> DirectoryError
  {
    if let error = error as? DirectoryError { return error }
    var reason = location.scrub("\(error)")
    if rolledBack && !reason.hasSuffix("nothing was changed") { reason += "; nothing was changed" }
    return DirectoryError(path: location.description, reason: reason)
  }

  // MARK: - Reading and writing

  public func read<T>(_ body: (any DirectoryReading) throws -> T) throws -> T {
    do {
      return try pool.with { connection in
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
          let result = try body(PostgreSQLTransaction(connection, pause: nil))
          try connection.execute("COMMIT")
          return result
        } catch {
          _ = try? connection.execute("ROLLBACK")
          throw error
        }
      }
    } catch let failure as PostgreSQLFailure {
      throw Self.directoryError(failure, location: place)
    }
  }

  /// One transaction under the directory's lock, taken before anything is
  /// read, so what the body checks still holds when it commits.
  public func write<T>(_ body: (any DirectoryTransaction) throws -> T) throws -> T {
    do {
      return try pool.with { connection in
        try connection.execute("BEGIN")
        let result: T
        let token: String?
        do {
          try PostgreSQLDirectoryLock.acquire(key: lockKey, on: connection, wait: options.lockWait)
          let transaction = PostgreSQLTransaction(connection, pause: options.pause)
          result = try body(transaction)
          token = transaction.newStateToken
        } catch {
          _ = try? connection.execute("ROLLBACK")
          throw error
        }
        try PostgreSQLCommit(
          place: place, pool: pool, lockKey: lockKey, fault: options.commitFault, notice: options.notice,
          reconnectWait: options.reconnectWait
        ).commit(connection, token: token)
        return result
      }
    } catch let failure as PostgreSQLFailure where failure.isConstraintViolation {
      throw DuplicateKey(message: failure.constraintMessage)
    } catch let failure as PostgreSQLFailure {
      throw Self.directoryError(failure, location: place, rolledBack: true)
    }
  }

  public func snapshot() throws(DirectoryError) -> DirectorySnapshot {
    do {
      return try pool.with { connection in
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
          let snapshot = try PostgreSQLSnapshotReader.read(connection)
          try connection.execute("COMMIT")
          return snapshot
        } catch {
          _ = try? connection.execute("ROLLBACK")
          throw error
        }
      }
    } catch {
      throw Self.directoryError(error, location: place)
    }
  }

  /// No cache on the client: the server reads fast enough.
  public func cachedSnapshot() -> DirectorySnapshot? { nil }
}
