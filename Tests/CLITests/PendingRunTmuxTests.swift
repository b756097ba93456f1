import Foundation
import Testing

/// A held scheduled run at a real terminal: kept as a pending run, the
/// nightly file replaced, opened with `review --pending 1` (its export
/// from the directory), committed past its threshold, and so approved.
@Suite(.serialized) struct PendingRunTmuxTests {
  @Test func aHeldRunIsOpenedFromTheDirectoryAndCommitted() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let setup = try SyncCommandTests.Setup(accounts: 20, creates: 0)
    // Ten students move up a grade: over a threshold of five updates.
    let rows = (0..<10).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,4,Active" }
    let export = try setup.scratch.write("nightly.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
    let held = try setup.run(["apply", export, "--yes", "--threshold", "update=5"])
    #expect(held.status == 11, "\(held.stderr)")
    #expect(held.stderr.contains("kept as pending run 1"))
    try FileManager.default.removeItem(atPath: export)

    let foldersBefore = try Self.pendingFolders()
    let tmux = try TmuxSession(
      scratch: setup.scratch, columns: 120, rows: 40,
      arguments: [ReviewTmuxTests.binary, "review", "--pending", "1", "--directory", setup.directory])
    defer { tmux.close() }
    let screen = try tmux.waitFor("Updates · 10 rows · 1/10")
    #expect(screen.contains("HELD by the update threshold · nightly.csv"))
    // One student excluded: nine updates, still over five.
    try tmux.press("x")
    try tmux.waitFor("Exclude line 2 (u undoes)")
    try tmux.press("c")
    try tmux.waitFor("To apply anyway, type override")
    try tmux.type("override")
    try tmux.press("Enter")
    try tmux.waitFor("Applied as run 2")
    try tmux.press("Space")
    try tmux.waitForScreen("the result dialog to close") { !$0.contains("Any key closes") }
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    #expect(try tmux.capture(joined: true).contains("Applied as run 2. Pending run 1 approved."))

    let listed = try setup.run(["pending", "--all", "--format", "json"])
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.first?["status"] as? String == "approved")
    #expect(runs.first?["applied_run"] as? Int == 2)
    #expect(runs.first?["reason"] as? String == "reviewed and committed")
    let shown = try setup.run(["show", "2", "--format", "json"])
    let run = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    #expect((run["summary"] as? [String: Any])?["update"] as? Int == 9)
    // The review's folder for the held run's files is gone.
    #expect(try Self.pendingFolders().subtracting(foldersBefore).isEmpty)
  }

  /// The folders `review --pending` makes for a held run's files.
  static func pendingFolders() throws -> Set<String> {
    Set(
      try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter {
        $0.hasPrefix("sis-sync-pending-")
      })
  }
}
