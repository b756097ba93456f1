import Foundation
import Testing

/// `apply --yes` with a mapping that generates emails: rows with a proposed
/// email are held back unless `--accept-generated`.
@Suite(.serialized) struct GeneratedEmailCommandTests {
  @Test func applyHoldsProposedEmailsBackUnlessAccepted() throws {
    let setup = try SyncCommandTests.Setup(accounts: 1, creates: 0)
    let mapping = try setup.scratch.write(
      "gen.map", "[email]\ngenerate = {first_name:lower}.{last_name:lower}@x.org\n")
    let export = try setup.scratch.write(
      "gen.csv",
      exportHeader + "\nAnn,,Lee,,900001,S1,Student,,5,Active\nBo,,Li,bo@x.org,900002,S1,Student,,5,Active\n")
    let held = try setup.run(["apply", export, "--yes", "--mapping", mapping])
    #expect(held.status == 1, "\(held.stderr)")
    #expect(held.stderr.contains("1 rows held back"))
    #expect(held.stdout.contains("1 rows were held back"))
    #expect(!held.stderr.contains("ann.lee"))  // no personal data on stderr
    #expect(try !setup.directoryState().contains("ann.lee@x.org"))
    #expect(try setup.directoryState().contains("bo@x.org"))

    let planned = try setup.run(["plan", export, "--mapping", mapping, "--format", "json"])
    #expect(planned.stdout.contains(#""generated_status":"proposed""#))

    let accepted = try setup.run(["apply", export, "--yes", "--mapping", mapping, "--accept-generated"])
    #expect(accepted.status == 0, "\(accepted.stderr)")
    #expect(try setup.directoryState().contains("ann.lee@x.org,900001"))
  }

  /// A scheduled run that waits (--wait) for another apply and plans again
  /// says once that rows are held back, not once per planning.
  @Test func theHeldBackLineIsSaidOnceWhenAWaitingRunPlansAgain() throws {
    let setup = try SyncCommandTests.Setup(accounts: 50, creates: 400)
    let mapping = try setup.scratch.write(
      "gen.map", "[email]\ngenerate = {first_name:lower}.{last_name:lower}@x.org\n")
    let exportText = try String(contentsOfFile: setup.export, encoding: .utf8)
    let later = try setup.scratch.write("later.csv", exportText + "Ann,,Lee,,900001,S1,Student,,5,Active\n")
    let first = try setup.startPausedApply(plan: setup.export, afterChanges: 200, seconds: 3, arguments: ["--yes"])
    let waited = try setup.run(["apply", later, "--yes", "--mapping", mapping, "--wait", "60"])
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(waited.stderr.contains("planning again"), "\(waited.stderr)")
    #expect(waited.stderr.components(separatedBy: "1 rows held back").count == 2, "\(waited.stderr)")
    #expect(waited.status == 1, "\(waited.stderr)")
  }
}
