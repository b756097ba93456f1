import Foundation
import StoreKinds
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A PostgreSQL cluster of one test's own (`Tests/postgres-server.sh`),
/// which it may kill and start again without disturbing the other tests'
/// server. Stopped and removed by `stop()`.
final class ThrowawayPostgreSQLServer {
  /// postgresql://sis@127.0.0.1:PORT/postgres
  let url: String
  let folder: String

  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("postgres-server.sh").path

  /// Starts one; only where the tests have a PostgreSQL server (else the
  /// test is reported skipped, or fails under CI, as every PostgreSQL case).
  init() throws {
    _ = try StoreKind.newPostgreSQLDirectoryURL()
    let started = try Self.script(["start"])
    var variables: [String: String] = [:]
    for line in started.split(separator: "\n") where line.hasPrefix("export ") {
      let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
      if pair.count == 2 { variables[String(pair[0])] = String(pair[1]) }
    }
    guard let url = variables["SIS_SYNC_TEST_POSTGRESQL"], let folder = variables["SIS_SYNC_TEST_POSTGRESQL_FOLDER"]
    else { throw ServerFailure(description: "postgres-server.sh start said: \(started)") }
    self.url = url
    self.folder = folder
  }

  func stop() { _ = try? Self.script(["stop", folder]) }

  /// The URL of directory `name` in `database`.
  func directoryURL(database: String = "postgres", name: String) -> String {
    url.replacingOccurrences(of: "/postgres", with: "/\(database)") + "?directory=\(name)"
  }

  /// Runs `sql` with psql as the superuser `sis`; returns what it printed
  /// (unaligned, tuples only).
  @discardableResult
  func psql(_ sql: String, database: String = "postgres") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "psql", url.replacingOccurrences(of: "/postgres", with: "/\(database)"), "-X", "-q", "-A", "-t", "-v",
      "ON_ERROR_STOP=1", "-c", sql,
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ServerFailure(description: "psql: \(sql): \(said)") }
    return printed.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Waits until the server takes connections again (after a crash, it
  /// restarts on its own once its processes are gone).
  func waitUntilReady(timeout: TimeInterval = 30) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while (try? psql("SELECT 1")) != "1" {
      guard Date() < deadline else { throw ServerFailure(description: "the server did not come back") }
      usleep(50_000)
    }
  }

  /// The server processes serving `sisSync` (by its application_name).
  func serverProcesses(servingProcess sisSync: Int32) throws -> [Int32] {
    try psql("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'sis-sync pid \(sisSync) on %'")
      .split(separator: "\n").compactMap { Int32($0) }
  }

  /// kill -9 of the postmaster and all its processes, as the kernel's
  /// out-of-memory killer or a power cut would stop them.
  func killServer() throws {
    let pidFile = try String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8)
    guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) else { return }
    let children = Self.children(of: postmaster)
    Glibc.kill(postmaster, SIGKILL)
    for child in children { Glibc.kill(child, SIGKILL) }
  }

  /// Starts the server again after `killServer` (same port, crash recovery).
  func restart() throws { _ = try Self.script(["restart", folder]) }

  private static func children(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return false }
      // pid (name) state ppid …: the name may hold spaces, not ")".
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 && Int32(fields[1]) == parent
    }
  }

  @discardableResult
  private static func script(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    // Not waitUntilExit: after the script starts the server (a daemon),
    // Foundation here never notices the script's end (seen with Swift
    // 6.3); waitpid does.
    var status: Int32 = 0
    let waited = waitpid(process.processIdentifier, &status, 0)
    if waited == -1 { process.waitUntilExit() }
    let exitCode = waited == -1 ? process.terminationStatus : (status >> 8) & 0xFF
    guard exitCode == 0 else {
      throw ServerFailure(description: "postgres-server.sh \(arguments.joined(separator: " ")): \(said)")
    }
    return printed
  }

  struct ServerFailure: Error, CustomStringConvertible {
    var description: String
  }
}
