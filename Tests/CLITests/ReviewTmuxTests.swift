import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The review screen as a person uses it: the real binary in a tmux pane,
/// keys sent, the screen read back, the terminal checked afterwards.
/// Serialized: each test starts its own tmux server and sis-sync process.
@Suite(.serialized) struct ReviewTmuxTests {
  static let binary = SisSyncProcess.binary.path
  static let fixtureExport = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/exports/demo-district.csv").path

  /// A scratch folder with a demo directory and a copy of the demo export, so
  /// that a recovery session is written here and not into Fixtures.
  struct Demo {
    let scratch: ScratchFolder
    let directory: String
    let export: String

    init() throws {
      scratch = try ScratchFolder()
      directory = scratch.url.appendingPathComponent("demo.sqlite").path
      export = scratch.url.appendingPathComponent("demo-district.csv").path
      let created = try SisSyncProcess.run(["demo", "--directory", directory, "--no-review"])
      try #require(created.status == 0, "\(created.stderr)")
      try FileManager.default.copyItem(atPath: ReviewTmuxTests.fixtureExport, toPath: export)
    }

    func openReview(columns: Int = 100, rows: Int = 30, environment: [String] = []) throws -> TmuxSession {
      try TmuxSession(
        scratch: scratch, columns: columns, rows: rows,
        arguments: ["/usr/bin/env"] + environment + [
          ReviewTmuxTests.binary, "review", export, "--directory", directory,
        ])
    }
  }

  /// False (with an issue, never a silent skip) when tmux is missing.
  static func tmuxIsInstalled() -> Bool {
    guard TmuxSession.executable == nil else { return true }
    Issue.record("tmux is not on PATH, so the review screen was not tested: .ci/run installs tmux")
    return false
  }

  // MARK: - Tests

  @Test func demoSessionFixesExcludesAndCommits() throws {
    guard Self.tmuxIsInstalled() else { return }
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("demo.sqlite").path
    let tmux = try TmuxSession(
      scratch: scratch, columns: 100, rows: 30, arguments: [Self.binary, "demo", "--directory", directory])
    defer { tmux.close() }
    var screen = try tmux.waitFor("demo-district.csv → demo.sqlite")
    #expect(try tmux.alternateScreenIsOn())
    let errorsBefore = try #require(PaneText.count(of: "Errors", in: screen))

    // The first duplicate custom_id (E030) and the rows sharing it, from the plan.
    let planned = try SisSyncProcess.run(["plan", Self.fixtureExport, "--directory", directory, "--format", "json"])
    let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
    let findings = try #require(plan["findings"] as? [[String: Any]])
    let duplicate = try #require(findings.first { $0["code"] as? String == "E030" })
    let line = try #require(duplicate["line"] as? Int)
    let pair = [line] + (duplicate["related_lines"] as? [Int] ?? [])
    // Fixing the ID clears every row of the pair only if they have no other error.
    let otherErrors = findings.filter {
      pair.contains($0["line"] as? Int ?? 0) && $0["severity"] as? String == "error" && $0["code"] as? String != "E030"
    }
    #expect(otherErrors.isEmpty)
    // Line 154 is Camila López, whose account in Fixtures/demo has custom_id
    // 187044: her own ID clears the duplicate (a made-up ID would be a create
    // with her account's email, and so an email conflict, E041).
    try #require(line == 154)
    let ownID = "187044"

    try tmux.press("1", "f")
    try tmux.type("code:E030")
    try tmux.press("Enter")
    screen = try tmux.waitFor("(filtered from \(errorsBefore)) · 1/\(pair.count)")
    #expect(PaneText.selectedRow(in: screen)?.line == line)
    try tmux.press("e")
    try tmux.waitFor("custom_id of line \(line)")
    try tmux.press("C-u")
    try tmux.type(ownID)
    try tmux.press("Enter")
    screen = try tmux.waitFor("Line \(line): custom_id → \(ownID) (u undoes)")
    #expect(PaneText.count(of: "Errors", in: screen) == errorsBefore - pair.count)
    #expect(screen.contains("· \(errorsBefore - pair.count) errors ·"))

    // In Creates: give the first row a new ID, exclude the second.
    try tmux.press("F", "2")
    screen = try tmux.waitFor("Creates · 10 rows · 1/10")
    let edited = try #require(PaneText.selectedRow(in: screen))
    try tmux.press("e")
    try tmux.waitFor("custom_id of line \(edited.line)")
    try tmux.press("C-u")
    try tmux.type("777001")
    try tmux.press("Enter")
    try tmux.waitFor("Line \(edited.line): custom_id → 777001 (u undoes)")
    try tmux.press("j")
    screen = try tmux.waitFor("Creates · 10 rows · 2/10")
    let excluded = try #require(PaneText.selectedRow(in: screen))
    try tmux.press("x")
    screen = try tmux.waitFor("Exclude line \(excluded.line) (u undoes)")
    #expect(PaneText.count(of: "Creates", in: screen) == 9)
    #expect(PaneText.count(of: "Excluded", in: screen) == 1)

    try tmux.press("c")
    try tmux.waitFor("Commit the approved plan?")
    try tmux.press("y")
    try tmux.waitFor("Applied as run 2")
    try tmux.press("Space")
    try tmux.waitForScreen("the result dialog to close") { !$0.contains("Any key closes") }
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    try expectTerminalRestored(tmux)
    #expect(try tmux.capture(joined: true).contains("Applied as run 2. See it with: sis-sync show 2"))

    let history = try SisSyncProcess.run(["history", "--directory", directory])
    #expect(history.stdout.contains("run 2  apply"))
    let shown = try SisSyncProcess.run(["show", "2", "--directory", directory, "--format", "json"])
    let run = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    let changes = try #require(run["changes"] as? [[String: Any]])
    let create = changes.first { $0["line"] as? Int == edited.line }
    #expect(create?["action"] as? String == "create")
    #expect(create?["custom_id"] as? String == "777001")
    #expect(!changes.contains { $0["custom_id"] as? String == edited.customID })
    #expect(!changes.contains { $0["line"] as? Int == excluded.line })
    #expect(!changes.contains { $0["custom_id"] as? String == excluded.customID })
  }

  @Test func resizeMidSession() throws {
    guard Self.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview()
    defer { tmux.close() }
    try tmux.waitFor("demo-district.csv → demo.sqlite")

    // Every row used: the header on the first line, the key hints on the last.
    func fills(_ rows: Int) -> (String) -> Bool {
      { screen in
        let lines = PaneText.lines(screen)
        return lines.count == rows && lines.first?.contains("demo-district.csv →") == true
          && lines.last?.contains("? help") == true
      }
    }
    try tmux.resize(columns: 120, rows: 40)
    try tmux.waitForScreen("a 120×40 frame", until: fills(40))
    try tmux.resize(columns: 70, rows: 20)
    let small = try tmux.waitFor("sis-sync review needs at least 80×24.")
    #expect(small.contains("This terminal is 70×20"))
    try tmux.resize(columns: 100, rows: 30)
    let screen = try tmux.waitForScreen("a 100×30 frame", until: fills(30))
    #expect(PaneText.count(of: "Errors", in: screen) == 12)
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    try expectTerminalRestored(tmux)
  }

  @Test(arguments: [SIGTERM, SIGHUP]) func signalSavesDecisionsAndRestoresTheTerminal(signal: Int32) throws {
    guard Self.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview()
    defer { tmux.close() }
    let screen = try tmux.waitForSteady("demo-district.csv → demo.sqlite")
    let row = try #require(PaneText.selectedRow(in: screen))
    try tmux.press("x")
    try tmux.waitFor("Exclude line \(row.line) (u undoes)")

    kill(try tmux.programPID(), signal)
    #expect(try tmux.waitForExit() == 128 + signal)
    try expectTerminalRestored(tmux)
    let recovery = demo.scratch.url.appendingPathComponent("demo-district.recovered.session").path
    let attributes = try FileManager.default.attributesOfItem(atPath: recovery)
    #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    let session = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: recovery))) as? [String: Any])
    #expect((session["decisions"] as? [Any])?.count == 1)
    let pane = try tmux.capture(joined: true)
    #expect(pane.contains("review stopped by signal \(signal)"))
    #expect(pane.contains("saved to \(recovery)"))
  }

  @Test func aCrashStillRestoresTheTerminal() throws {
    guard Self.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview(environment: ["SIS_SYNC_TEST_CRASH_KEY=Z"])
    defer { tmux.close() }
    try tmux.waitFor("demo-district.csv → demo.sqlite")
    #expect(try tmux.alternateScreenIsOn())
    try tmux.press("Z")  // a failed precondition, on purpose
    let status = try tmux.waitForExit()
    #expect(status > 128, "killed by a fatal signal, not a normal exit: \(status)")
    try expectTerminalRestored(tmux)
  }

  @Test func refusesWithoutATerminal() throws {
    let demo = try Demo()
    // Standard output is a pipe here (and standard input whatever the tests got).
    let result = try SisSyncProcess.run(["review", demo.export, "--directory", demo.directory])
    #expect(result.status == 64)
    #expect(result.stderr.contains("needs a terminal"))
  }

  // MARK: - Helpers

  /// The program left the alternate screen, the shell's lines are back and
  /// the terminal modes are as before.
  private func expectTerminalRestored(_ tmux: TmuxSession) throws {
    #expect(try tmux.alternateScreenIsOn() == false)
    #expect(try tmux.capture().contains(TmuxSession.marker))
    let modes = try tmux.terminalModes()
    #expect(!modes.before.isEmpty)
    #expect(modes.before == modes.after)
  }
}
