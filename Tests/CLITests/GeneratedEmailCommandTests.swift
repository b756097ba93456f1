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
}
