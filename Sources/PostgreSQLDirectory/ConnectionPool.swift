import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The store's connections: one per read or write in progress, kept open
/// between them (the review screen reads and writes for hours; the tests
/// read while another thread writes). A connection that lost its server
/// or was left inside a transaction is closed, never reused.
final class ConnectionPool: @unchecked Sendable {
  private let location: PostgreSQLLocation
  private let lock = NSLock()
  private var idle: [PostgreSQLConnection] = []

  init(location: PostgreSQLLocation) { self.location = location }

  /// What other sessions see of this process in pg_stat_activity (who
  /// holds a directory's lock).
  static let applicationName: String = {
    var name = [CChar](repeating: 0, count: 256)
    let host =
      gethostname(&name, name.count) == 0
      ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    return "sis-sync pid \(getpid()) on \(host)"
  }()

  /// Runs `body` on a connection of the pool, its search_path the
  /// directory's schema.
  func with<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
    let connection = try take()
    defer { give(back: connection) }
    return try body(connection)
  }

  private func take() throws(PostgreSQLFailure) -> PostgreSQLConnection {
    lock.lock()
    let reused = idle.popLast()
    lock.unlock()
    if let reused { return reused }
    return try newConnection()
  }

  /// A connection of its own, never one kept idle (which may have lost
  /// its server): to ask what became of a write whose COMMIT was lost.
  func newConnection() throws(PostgreSQLFailure) -> PostgreSQLConnection {
    let made = try PostgreSQLConnection(conninfo: location.conninfo, applicationName: Self.applicationName)
    // Names are checked (lower-case letters, digits, underscores): safe
    // to write into the statement.
    try made.execute("SET search_path TO \(location.schema)")
    return made
  }

  private func give(back connection: PostgreSQLConnection) {
    guard connection.isReusable else { return }
    lock.lock()
    idle.append(connection)
    lock.unlock()
  }
}
