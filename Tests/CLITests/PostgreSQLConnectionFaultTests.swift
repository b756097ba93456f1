import Foundation
import Testing

/// An apply that cannot reach, log in to or finish on its server (issue
/// 14): a clear message, exit 4 (12 for a stale plan), no password shown,
/// and nothing written.
@Suite(.serialized) struct PostgreSQLConnectionFaultTests {
  typealias Setup = SyncCommandTests.Setup
  typealias Fixture = PostgreSQLCommitLossTests.Fixture

  /// The test server's role sis_pw logs in with this password only
  /// (scram-sha-256; Tests/postgres-server.sh).
  static let passwordRole = "sis_pw"

  private func applyRefused(
    _ fixture: Fixture, url: String, environment: [String: String] = [:], status: Int32 = 4
  ) throws -> String {
    let result = try SisSyncProcess.run(["apply", fixture.plan, "--directory", url], environment: environment)
    #expect(result.status == status, "\(result.stderr)")
    #expect(try fixture.setup.directoryState() == fixture.before, "something was written")
    return result.stderr
  }

  @Test func aWrongPasswordIsSaidWithoutShowingItAndNothingIsWritten() throws {
    let fixture = try Fixture()
    let asRole = fixture.setup.directory.replacingOccurrences(of: "://sis@", with: "://\(Self.passwordRole)@")
    let inURL = try applyRefused(
      fixture, url: asRole.replacingOccurrences(of: "@", with: ":Wr0ng-Secret-in-url@"))
    #expect(inURL.contains("the PostgreSQL server refused the login (authentication failed)"), "\(inURL)")
    #expect(!inURL.contains("Wr0ng-Secret-in-url"))
    let fromVariable = try applyRefused(fixture, url: asRole, environment: ["PGPASSWORD": "Wr0ng-Secret-in-env"])
    #expect(fromVariable.contains("authentication failed"), "\(fromVariable)")
    #expect(!fromVariable.contains("Wr0ng-Secret-in-env"))
    let none = try applyRefused(fixture, url: asRole, environment: ["PGPASSWORD": "", "PGPASSFILE": "/nonexistent"])
    #expect(none.contains("authentication failed"), "\(none)")
    // The right password passes the login (the role has no right on the
    // directory's schema: refused for that, not for the password).
    let rightPassword = try applyRefused(fixture, url: asRole, environment: ["PGPASSWORD": "sis-pw-test-only"])
    #expect(!rightPassword.contains("authentication failed"), "\(rightPassword)")
    #expect(!rightPassword.contains("sis-pw-test-only"))
  }

  @Test func tlsRequiredByTheURLAgainstAServerWithoutItWritesNothing() throws {
    let fixture = try Fixture()
    let said = try applyRefused(fixture, url: fixture.setup.directory + "&sslmode=require")
    #expect(said.contains("TLS was required (sslmode) but the PostgreSQL server does not offer it"), "\(said)")
  }

  /// A statement timeout of 1 ms (in the URL's options, or PGOPTIONS):
  /// a statement of the apply is cancelled, said plainly, nothing written.
  @Test func aStatementCancelledByTheTimeoutIsSaidAndNothingIsWritten() throws {
    let fixture = try Fixture()
    for (url, environment) in [
      (fixture.setup.directory + "&options=-c%20statement_timeout%3D1", [:]),
      (fixture.setup.directory, ["PGOPTIONS": "-c statement_timeout=1"]),
    ] {
      let said = try applyRefused(fixture, url: url, environment: environment)
      #expect(
        said.contains("the PostgreSQL server cancelled a statement (statement timeout, or cancelled by an admin)"),
        "\(said)")
    }
  }

  /// The server down when the apply starts: refused connection, exit 4.
  /// Started again (its processes killed, so a crash and its recovery),
  /// the plan still applies; a plan made before another apply moved the
  /// directory on is refused as stale (12), restart or not.
  @Test func aServerRestartedBetweenPlanAndApply() throws {
    let server = try ThrowawayPostgreSQLServer()
    defer { server.stop() }
    let fixture = try Fixture(directoryURL: server.directoryURL(name: "restarted"))
    // Another plan against the same state: one more person to create.
    let otherExport = try fixture.setup.scratch.write(
      "other.csv",
      try String(contentsOfFile: fixture.setup.export, encoding: .utf8)
        + "Other,,Person,other@x.org,900001,S2,Student,,4,Active\n")
    let otherPlan = fixture.setup.scratch.url.appendingPathComponent("other.plan").path
    #expect(try fixture.setup.run(["plan", otherExport, "--out", otherPlan]).status == 0)
    try server.killServer()
    let down = try SisSyncProcess.run(["apply", fixture.plan, "--directory", fixture.setup.directory])
    #expect(down.status == 4, "\(down.stderr)")
    #expect(down.stderr.contains("cannot connect to the PostgreSQL server (connection refused)"), "\(down.stderr)")
    try server.restart()
    try server.waitUntilReady()
    #expect(try fixture.setup.directoryState() == fixture.before)
    let applied = try fixture.setup.run(["apply", fixture.plan])
    #expect(applied.status == 0, "\(applied.stderr)")
    let after = try fixture.setup.directoryState()
    #expect(after != fixture.before)
    try server.killServer()
    try server.restart()
    try server.waitUntilReady()
    #expect(try fixture.setup.directoryState() == after)
    // otherPlan was made against the state before: stale now.
    let stale = try fixture.setup.run(["apply", otherPlan])
    #expect(stale.status == 12, "\(stale.stderr)")
    #expect(try fixture.setup.directoryState() == after)
  }
}
