import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A connection lost during COMMIT (issue 14): sis-sync reconnects and
/// tells for certain whether the apply was written, by the state token it
/// chose before COMMIT; when the server cannot be reached again, it says
/// the outcome is unknown (exit 14) and how to find out.
@Suite(.serialized) struct PostgreSQLCommitLossTests {
  typealias Setup = SyncCommandTests.Setup

  /// A directory on `directoryURL` (else on the tests' server), a saved
  /// plan of creates and updates, and the directory's state before it.
  struct Fixture {
    let setup: Setup
    let plan: String
    let before: String

    init(directoryURL: String? = nil) throws {
      setup = try Setup(accounts: 30, creates: 40, store: .postgresql, directoryURL: directoryURL)
      let rows = try String(contentsOfFile: setup.export, encoding: .utf8)
        .replacingOccurrences(of: ",Student,,3,Active", with: ",Student,,4,Active")
      try rows.write(toFile: setup.export, atomically: true, encoding: .utf8)
      plan = setup.scratch.url.appendingPathComponent("lost.plan").path
      let planned = try setup.run(["plan", setup.export, "--out", plan])
      precondition(planned.status == 0, planned.stderr)
      before = try setup.directoryState()
    }

    func apply(fault: String) throws -> SisSyncProcess.Output {
      try setup.run(["apply", plan], environment: ["SIS_SYNC_TEST_COMMIT_FAULT": fault])
    }
  }

  /// The server process is terminated just before COMMIT is sent: the
  /// reconnect finds the directory without the apply's state.
  @Test func aCommitLostBeforeTheServerHadItIsSaidNotApplied() throws {
    let fixture = try Fixture()
    let lost = try fixture.apply(fault: "terminate-before-commit")
    #expect(lost.status == 4, "\(lost.stderr)")
    #expect(lost.stderr.contains("lost during COMMIT"), "\(lost.stderr)")
    #expect(lost.stderr.contains("reconnected: the directory never reached the state"), "\(lost.stderr)")
    #expect(lost.stderr.contains("not applied, nothing was changed"), "\(lost.stderr)")
    #expect(try fixture.setup.directoryState() == fixture.before)
    #expect(!(try fixture.setup.run(["history"]).stdout.contains("apply")))
    // The plan still applies.
    let again = try fixture.setup.run(["apply", fixture.plan])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try fixture.setup.directoryState() != fixture.before)
  }

  /// The socket is closed right after COMMIT is sent: the server commits,
  /// its reply is lost; the reconnect finds the apply's state: applied.
  @Test func aCommitWhoseReplyWasLostIsSaidApplied() throws {
    let fixture = try Fixture()
    let lost = try fixture.apply(fault: "cut-after-commit-sent")
    #expect(lost.status == 0, "\(lost.stderr)")
    #expect(lost.stderr.contains("lost during COMMIT"), "\(lost.stderr)")
    #expect(lost.stderr.contains("reconnected: the directory records the state this write made"), "\(lost.stderr)")
    #expect(lost.stderr.contains("it was applied"), "\(lost.stderr)")
    #expect(lost.stdout.contains("Applied as run 2"), "\(lost.stdout)")
    #expect(try fixture.setup.directoryState() != fixture.before)
    let again = try fixture.setup.run(["apply", fixture.plan])
    #expect(again.status == 10, "\(again.stderr)")
    #expect(again.stdout.contains("already applied as run 2"), "\(again.stdout)")
  }

  /// The server stopped while the apply waits at COMMIT, and not back
  /// within the reconnect wait: the outcome is unknown, said as such with
  /// exit 14 and how to find out; once the server is back, `history` tells.
  @Test func aCommitLostWithTheServerGoneIsSaidUnknown() throws {
    let server = try ThrowawayPostgreSQLServer()
    defer { server.stop() }
    let fixture = try Fixture(directoryURL: server.directoryURL(name: "gone"))
    let marker = fixture.setup.scratch.url.appendingPathComponent("at-commit").path
    let apply = Process()
    apply.executableURL = SisSyncProcess.binary
    apply.arguments = ["apply", fixture.plan, "--directory", fixture.setup.directory]
    apply.environment = ProcessInfo.processInfo.environment.merging([
      "SIS_SYNC_TEST_COMMIT_FAULT": "pause-before-commit", "SIS_SYNC_TEST_PAUSE_MARKER": marker,
      "SIS_SYNC_TEST_PAUSE_SECONDS": "2", "SIS_SYNC_TEST_RECONNECT_SECONDS": "2",
    ]) { $1 }
    let errors = Pipe()
    apply.standardOutput = FileHandle.nullDevice
    apply.standardError = errors
    try apply.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: marker) && apply.isRunning && Date() < deadline { usleep(20_000) }
    try server.killServer()
    let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    apply.waitUntilExit()
    #expect(apply.terminationStatus == 14, "\(said)")
    #expect(said.contains("lost during COMMIT"), "\(said)")
    #expect(said.contains("whether the change was written is unknown"), "\(said)")
    #expect(said.contains("'sis-sync history'"), "\(said)")
    try server.restart()
    try server.waitUntilReady()
    // Here COMMIT never reached the server: history shows no apply.
    #expect(!(try fixture.setup.run(["history"]).stdout.contains("apply")))
    #expect(try fixture.setup.directoryState() == fixture.before)
  }
}
