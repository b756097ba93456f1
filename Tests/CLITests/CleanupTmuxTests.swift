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
}
