import Foundation
import StoreKinds
import Testing

/// An SIS re-number through the commands: `plan` shows ID changes, `apply
/// --yes` holds them (exit 11) until `--accept-id-changes`, `person NEWID`
/// keeps the earlier runs, `revert` restores the old IDs.
@Suite(.serialized) struct IDChangeCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// The setup's 50 students (custom_ids 100000…), re-numbered 900000….
  func renumbered(_ setup: Setup) throws -> String {
    let rows = (0..<50).map { "A\($0),,Old,a\($0)@x.org,\(900_000 + $0),S1,Student,,3,Active" }
    return try setup.scratch.write("renumbered.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
  }

  @Test(arguments: SyncCommandTests.stores) func anSISRenumberIsHeldThenAppliedAsIDChangesAndReverted(
    store: StoreKind
  ) throws {
    let setup = try Setup(accounts: 50, creates: 0, store: store)
    // An earlier run touching the first student, for the history.
    var earlier = (0..<50).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    earlier[0] = earlier[0].replacingOccurrences(of: ",3,Active", with: ",4,Active")
    let earlierExport = try setup.scratch.write(
      "earlier.csv", ([exportHeader] + earlier).joined(separator: "\n") + "\n")
    #expect(try setup.run(["apply", earlierExport, "--yes"]).status == 0)
    let before = try setup.directoryState()
    let export = try renumbered(setup)

    let plan = try setup.run(["plan", export, "--format", "json", "--threshold", "id_change=none"])
    #expect(plan.status == 0, "\(plan.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
    let summary = try #require(json["summary"] as? [String: Any])
    #expect(summary["id_change"] as? Int == 50)
    #expect(summary["create"] as? Int == 0)
    #expect(json["held_for_id_changes"] as? Bool == true)
    let first = try #require((json["changes"] as? [[String: Any]])?.first)
    #expect(first["action"] as? String == "id_change")
    #expect(first["custom_id"] as? String == "900000")
    #expect(first["old_custom_id"] as? String == "100000")
    #expect(first["matched_by"] as? String == "email")
    let text = try setup.run(["plan", export, "--threshold", "id_change=none"])
    #expect(text.stdout.contains("> 50 ID changes"))
    #expect(text.stdout.contains("HELD: 50 ID changes must be accepted"))
    #expect(text.stdout.contains("900000 (was 100000)"))

    // Headless: held, with the reason and the way out; nothing written.
    let held = try setup.run(["apply", export, "--yes", "--disable-missing", "--threshold", "id_change=none"])
    #expect(held.status == 11, "\(held.stderr)")
    #expect(held.stderr.contains("50 ID changes"))
    #expect(held.stderr.contains("--accept-id-changes"))
    #expect(!held.stderr.contains("a0@x.org"))
    #expect(try setup.directoryState() == before)
    // The default id_change threshold holds 50 of 50 as well.
    let overLimit = try setup.run(["apply", export, "--yes", "--accept-id-changes"])
    #expect(overLimit.status == 11)
    #expect(overLimit.stderr.contains("id_change"))

    let applied = try setup.run([
      "apply", export, "--yes", "--accept-id-changes", "--override-threshold", "--format", "json",
    ])
    #expect(applied.status == 0, "\(applied.stderr)")
    let run = try #require(try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
    let runID = try #require(run["run_id"] as? Int)
    #expect((run["summary"] as? [String: Any])?["id_change"] as? Int == 50)
    #expect((run["summary"] as? [String: Any])?["create"] as? Int == 0)

    // The history is kept: the same account, with the earlier run.
    let person = try setup.run(["person", "900000"])
    #expect(person.status == 0, "\(person.stderr)")
    let runLines = person.stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }
    #expect(runLines.count == 2, "\(person.stdout)")
    #expect(person.stdout.contains("custom_id 100000 → 900000"))
    let shown = try setup.run(["show", String(runID)])
    #expect(shown.stdout.contains("changed the custom_id of 900000"), "\(shown.stdout)")

    #expect(try setup.run(["revert", String(runID)]).status == 0)
    #expect(try setup.directoryState() == before)
  }
}
