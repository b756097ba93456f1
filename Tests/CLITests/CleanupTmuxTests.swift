import Foundation
import Testing

/// The cleanup screen as a person uses it: the real binary in a tmux pane
/// on the demo directory, no export.
@Suite(.serialized) struct CleanupTmuxTests {
  static let graduatingClass = "grade:12 type:Student"

  /// custom_id → status of the graduating class, as `cleanup --filter` lists it.
  static func graduatingClass(in directory: String) throws -> [String: String] {
    let listed = try SisSyncProcess.run([
      "cleanup", "--directory", directory, "--filter", graduatingClass, "--format", "json",
    ])
    try #require(listed.status == 0, "\(listed.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
    let accounts = try #require(object["accounts"] as? [[String: Any]])
    var statuses: [String: String] = [:]
    for account in accounts {
      let id = account["custom_id"] as? String ?? ""
      if !id.isEmpty { statuses[id] = account["status"] as? String }
    }
    return statuses
  }

  @Test func disablingAGraduatingClassThroughTheScreenIsOneRunThatRevertUndoes() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("demo.sqlite").path
    let created = try SisSyncProcess.run(["demo", "--directory", directory, "--no-review"])
    try #require(created.status == 0, "\(created.stderr)")
    let before = try Self.graduatingClass(in: directory)
    let active = before.filter { $0.value == "Active" }.count
    try #require(active > 0)

    let tmux = try TmuxSession(
      scratch: scratch, columns: 110, rows: 30,
      arguments: [
        ReviewTmuxTests.binary, "cleanup", "--review", "--directory", directory, "--threshold", "disable=100000,100%",
      ])
    defer { tmux.close() }
    try tmux.waitFor("sis-sync cleanup · filter: all")
    try tmux.press("f", "C-u")
    try tmux.type(Self.graduatingClass)
    try tmux.press("Enter")
    try tmux.waitFor("filter: \(Self.graduatingClass) ·")
    try tmux.press("d")
    try tmux.waitFor("Staged: disable")
    try tmux.press("c")
    try tmux.waitFor("- \(active) disable")
    try tmux.press("y")
    let screen = try tmux.waitFor("Applied as run")
    let runText = try #require(screen.firstMatch(of: /Applied as run (\d+)/)?.1)
    try tmux.press("Enter", "q")
    #expect(try tmux.waitForExit() == 0)

    let after = try Self.graduatingClass(in: directory)
    #expect(after.keys == before.keys)
    #expect(after.values.allSatisfy { $0 == "Disabled" })
    let history = try SisSyncProcess.run(["history", "--directory", directory])
    #expect(history.stdout.contains("sis-sync cleanup: "))

    let reverted = try SisSyncProcess.run(["revert", String(runText), "--directory", directory])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(try Self.graduatingClass(in: directory) == before)
  }

  /// Staged, saved, planned headless, stopped by a signal and offered back,
  /// then resumed and committed: the staged changes are never lost.
  @Test func stagedChangesAreSavedResumedAndSurviveASignal() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("demo.sqlite").path
    let session = scratch.url.appendingPathComponent("graduates.session").path
    let created = try SisSyncProcess.run(["demo", "--directory", directory, "--no-review"])
    try #require(created.status == 0, "\(created.stderr)")
    let active = try Self.graduatingClass(in: directory).filter { $0.value == "Active" }.count
    let screen = [
      ReviewTmuxTests.binary, "cleanup", "--review", "--directory", directory, "--session", session,
      "--threshold", "disable=100000,100%",
    ]

    let first = try TmuxSession(
      scratch: scratch, columns: 110, rows: 30, arguments: screen + ["--filter", Self.graduatingClass])
    try first.waitFor("filter: \(Self.graduatingClass) ·")
    try first.press("d", "s")
    try first.waitFor("Save the cleanup session")
    try first.press("Enter")
    try first.waitFor("Saved 1 staged change to \(session)")
    try first.press("q")
    #expect(try first.waitForExit() == 0)
    first.close()
    let attributes = try FileManager.default.attributesOfItem(atPath: session)
    #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)

    // The saved session, planned without the screen (each pane has its own
    // folder for its pid and exit files; the directory and session stay here).
    let planned = try SisSyncProcess.run([
      "cleanup", "--directory", directory, "--session", session, "--threshold", "disable=100000,100%",
    ])
    #expect(planned.status == 0, "\(planned.stderr)")
    #expect(
      planned.stdout.contains("- \(active) to disable"), "\(planned.stdout)"
    )

    // Resumed; one more change staged; then a signal before it is saved.
    let second = try TmuxSession(scratch: try ScratchFolder(), columns: 110, rows: 30, arguments: screen)
    try second.waitFor("Resumed 1 staged change from the saved session")
    try second.press("f", "C-u")
    try second.type("grade:11 type:Student")
    try second.press("Enter")
    try second.waitFor("filter: grade:11 type:Student ·")
    try second.press("p")
    try second.type("Junior")
    try second.press("Enter")
    try second.waitFor("Staged: disable")
    try second.waitFor("set position Junior")
    kill(try second.programPID(), SIGTERM)
    #expect(try second.waitForExit() == 128 + SIGTERM)
    let pane = try second.capture(joined: true)
    #expect(pane.contains("the 2 staged changes are kept in \(session).journal"))
    second.close()

    let third = try TmuxSession(scratch: try ScratchFolder(), columns: 110, rows: 30, arguments: screen)
    defer { third.close() }
    try third.waitFor("A cleanup stopped before it was saved")
    try third.press("r")
    try third.waitFor("Resumed 2 staged changes from the journal")
    try third.press("c")
    try third.waitFor("- \(active) disable")
    try third.press("y")
    try third.waitFor("Applied as run")
    try third.press("Enter", "q")
    #expect(try third.waitForExit() == 0)
    #expect(try Self.graduatingClass(in: directory).values.allSatisfy { $0 == "Disabled" })
    #expect(!FileManager.default.fileExists(atPath: session + ".journal"))
  }
}
