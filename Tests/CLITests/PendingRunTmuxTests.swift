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

    let tmux = try TmuxSession(
      scratch: setup.scratch, columns: 120, rows: 40,
      arguments: [ReviewTmuxTests.binary, "review", "--pending", "1", "--directory", setup.directory])
    defer { tmux.close() }
    let screen = try tmux.waitFor("nightly.csv")
    #expect(PaneText.count(of: "Updates", in: screen) == 10)
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
    // The review's folder for the held run's files is gone.
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter {
      $0.hasPrefix("sis-sync-pending-")
    }
    #expect(leftovers.isEmpty)
  }
}
