import Foundation
import PostgreSQLDirectory
import SyncEngine
import Testing

/// Every directory store. The tests that touch the directory, in both the
/// engine's and the review screen's suites, run against each
/// (`@Test(arguments: StoreKind.allCases)`); a new store adds a case here.
public enum StoreKind: String, CaseIterable, Sendable {
  case sqlite, memory, postgresql

  /// A new, empty store of this kind in `folder` (PostgreSQL: a new
  /// directory, in a schema of its own, on the test server).
  public func makeStore(in folder: URL) throws -> any DirectoryStore {
    switch self {
    case .sqlite: try SQLiteDirectory(path: folder.appendingPathComponent("directory.sqlite").path, access: .create)
    case .memory: InMemoryDirectoryStore()
    case .postgresql: try PostgreSQLDirectory(url: try Self.newPostgreSQLDirectoryURL(), access: .create)
    }
  }

  /// Another store object on the directory `store` opened (another desk,
  /// another process's view of it), writing with its own lock wait and
  /// pause; nil for a store that cannot be opened twice (in memory).
  public static func reopen(
    _ store: any DirectoryStore, lockWait: TimeInterval = 0, pause: ApplyPause? = nil
  ) throws -> (any DirectoryStore)? {
    switch store {
    case let file as SQLiteDirectory:
      try SQLiteDirectory(path: file.path, access: .write, options: .init(lockWait: lockWait, pause: pause))
    case let server as PostgreSQLDirectory:
      try PostgreSQLDirectory(location: server.place, access: .write, options: .init(lockWait: lockWait, pause: pause))
    default: nil
    }
  }

  /// The test server's URL: `SIS_SYNC_TEST_POSTGRESQL`
  /// (`Tests/postgres-server.sh start` sets it).
  public static let postgreSQLVariable = "SIS_SYNC_TEST_POSTGRESQL"

  /// A URL naming a directory no other test uses. Without a server the
  /// test case is cancelled (reported as skipped, never as passed); under
  /// CI (`CI=true`) it fails instead.
  public static func newPostgreSQLDirectoryURL() throws -> String {
    let environment = ProcessInfo.processInfo.environment
    guard let server = environment[postgreSQLVariable], !server.isEmpty else {
      if environment["CI"] == "true" {
        throw MissingServer(
          description: "\(postgreSQLVariable) is not set under CI: .ci/run must start the PostgreSQL test server")
      }
      // Swift Testing 6.3 shows a cancelled test case as passed: the
      // warning says it was skipped, case by case and in the summary.
      let reason = "no PostgreSQL test server: set \(postgreSQLVariable) (eval \"$(Tests/postgres-server.sh start)\")"
      Issue.record("SKIPPED (PostgreSQL case not run): \(reason)", severity: .warning)
      try Test.cancel(Comment(rawValue: reason))
    }
    let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    return server + (server.contains("?") ? "&" : "?") + "directory=" + name
  }

  struct MissingServer: Error, CustomStringConvertible {
    var description: String
  }
}
