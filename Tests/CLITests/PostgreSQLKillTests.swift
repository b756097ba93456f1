import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The server killed (`kill -9`) at random points of a large apply (issue
/// 14): the directory is exactly as before or exactly as after, never
/// half, and the command's exit says which. On a cluster of the test's own.
@Suite(.serialized) struct PostgreSQLKillTests {
  typealias Setup = SyncCommandTests.Setup

  /// Kills wanted: half of the server process serving the apply (the
  /// postmaster then restarts every process), half of the whole server
  /// (postmaster and all its processes, then started again).
  static let kills = 20

  /// One directory made in database `pristine`, copied (CREATE DATABASE …
  /// TEMPLATE) into database `work` before each apply: the plan fits every
  /// copy, as the copy is the directory as it was.
  struct Fixture {
    let server: ThrowawayPostgreSQLServer
    let setup: Setup
    let plan: String
    let before: String
    let after: String
    let applySeconds: Double
    let workURL: String
    static let name = "killed"

    init(server: ThrowawayPostgreSQLServer, accounts: Int, creates: Int) throws {
      self.server = server
      try server.psql("CREATE DATABASE pristine")
      setup = try Setup(
        accounts: accounts, creates: creates, directoryURL: server.directoryURL(database: "pristine", name: Self.name))
      // Every existing student moves up a grade: updates as well as creates.
      let rows = try String(contentsOfFile: setup.export, encoding: .utf8)
        .replacingOccurrences(of: ",Student,,3,Active", with: ",Student,,4,Active")
      try rows.write(toFile: setup.export, atomically: true, encoding: .utf8)
      plan = setup.scratch.url.appendingPathComponent("kills.plan").path
      let planned = try setup.run(["plan", setup.export, "--out", plan])
      precondition(planned.status == 0, planned.stderr)
      workURL = server.directoryURL(database: "work", name: Self.name)
      before = try Self.digest(server, database: "pristine")
      try Self.copyPristine(server)
      let started = Date()
      let applied = try SisSyncProcess.run(["apply", plan, "--directory", workURL])
      precondition(applied.status == 0, applied.stderr)
      applySeconds = Date().timeIntervalSince(started)
      after = try Self.digest(server, database: "work")
    }

    static func copyPristine(_ server: ThrowawayPostgreSQLServer) throws {
      try server.psql("DROP DATABASE IF EXISTS work WITH (FORCE)")
      try server.psql("CREATE DATABASE work TEMPLATE pristine")
    }

    /// Every row of every table of the directory's schema, as JSON, in
    /// one digest; without the run's times and the random state tokens
    /// (all that differs between two applies of one plan: the loop's
    /// applies that finish match `after`).
    static func digest(_ server: ThrowawayPostgreSQLServer, database: String) throws -> String {
      let schema = "sis_sync_" + name
      let tables = try server.psql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = '\(schema)' ORDER BY 1",
        database: database
      ).split(separator: "\n")
      precondition(tables.count >= 5, "tables: \(tables)")
      let row = "(to_jsonb(t) - 'started_at' - 'finished_at' - 'token')"
      let parts = tables.map { table in
        "(SELECT '\(table):' || coalesce(string_agg(\(row)::text, E'\\n' ORDER BY \(row)::text), '') "
          + "FROM \(schema).\(table) t WHERE NOT coalesce(to_jsonb(t)->>'key' = 'state_token', false))"
      }
      return try server.psql("SELECT md5(concat_ws(E'\\n', " + parts.joined(separator: ", ") + "))", database: database)
    }
  }

  @Test func killingTheServerAtRandomPointsOfAnApplyLeavesBeforeOrAfter() throws {
    let server = try ThrowawayPostgreSQLServer()
    defer { server.stop() }
    let started = Date()
    let fixture = try Fixture(server: server, accounts: 2_000, creates: 20_000)
    var tally = (kills: 0, backend: 0, server: 0, before: 0, after: 0, unknown: 0, missed: 0)
    var messages: Set<String> = []
    var generator = SystemRandomNumberGenerator()
    var attempt = 0
    while tally.kills < Self.kills && attempt < Self.kills * 2 {
      attempt += 1
      try Fixture.copyPristine(server)
      let apply = Process()
      apply.executableURL = SisSyncProcess.binary
      apply.arguments = ["apply", fixture.plan, "--directory", fixture.workURL]
      let errors = Pipe()
      apply.standardOutput = FileHandle.nullDevice
      apply.standardError = errors
      try apply.run()
      // Somewhere between the start and a little after the usual end.
      usleep(UInt32.random(in: 0...UInt32(fixture.applySeconds * 1.25 * 1_000_000), using: &generator))
      let wholeServer = attempt % 2 == 0
      if wholeServer {
        try server.killServer()
        try server.restart()
        tally.server += 1
      } else {
        let serving = try server.serverProcesses(servingProcess: apply.processIdentifier)
        for process in serving { Glibc.kill(process, SIGKILL) }
        if serving.isEmpty { tally.missed += 1 } else { tally.backend += 1 }
      }
      let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      apply.waitUntilExit()
      try server.waitUntilReady()
      let state = try Fixture.digest(server, database: "work")
      let status = apply.terminationStatus
      #expect(state == fixture.before || state == fixture.after, "attempt \(attempt): half-applied directory")
      switch status {
      case 0: #expect(state == fixture.after, "attempt \(attempt): exit 0 but not applied")
      case 4:
        #expect(state == fixture.before, "attempt \(attempt): exit 4 but applied: \(said)")
        #expect(said.contains("PostgreSQL"), "attempt \(attempt): \(said)")
        messages.insert(String(said.prefix(200)))
      case 14: tally.unknown += 1
      default: Issue.record("attempt \(attempt): exit \(status): \(said)")
      }
      if state == fixture.before { tally.before += 1 } else if state == fixture.after { tally.after += 1 }
      tally.kills = tally.backend + tally.server
    }
    print(
      "kill loop: \(tally.kills) kills (\(tally.backend) of the apply's server process, \(tally.server) of the "
        + "whole server, \(tally.missed) attempts found no process to kill), \(tally.before) left before, "
        + "\(tally.after) after, \(tally.unknown) unknown; apply \(String(format: "%.2f", fixture.applySeconds)) s, "
        + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s in all")
    for message in messages.sorted() { print("kill loop message: \(message)") }
    #expect(tally.kills >= Self.kills, "\(tally)")
    // Most kills land inside the transaction; some after its commit.
    #expect(tally.before > 0, "\(tally)")
    // After all that, the plan still applies.
    try Fixture.copyPristine(server)
    #expect(try SisSyncProcess.run(["apply", fixture.plan, "--directory", fixture.workURL]).status == 0)
    #expect(try Fixture.digest(server, database: "work") == fixture.after)
  }
}
