import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// `organizations match` and `directory import --organizations` with the
/// SIS's own organizations files, on a real directory file.
@Suite(.serialized) struct OrganizationsCommandTests {
  /// A directory whose schools have no external IDs yet (as on a platform
  /// set up by hand), one account in Lincoln.
  struct Setup {
    let scratch: ScratchFolder
    let directory: String

    init() throws {
      scratch = try ScratchFolder()
      directory = scratch.url.appendingPathComponent("directory.sqlite").path
      let organizations = try scratch.write(
        "organizations.csv",
        "external_id,name,kind\n,Springfield District,district\n,LINCOLN ELEM.,school\n,Roosevelt MS,school\n"
          + "S9,Adams High,school\n")
      let accounts = try scratch.write(
        "accounts.csv", exportHeader + "\nAnn,,Lee,ann@x.org,1001,LINCOLN ELEM.,Student,,3,Active\n")
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accounts,
      ])
      precondition(imported.status == 0, imported.stderr)
    }

    func run(_ arguments: [String]) throws -> SisSyncProcess.Output {
      try SisSyncProcess.run(arguments + ["--directory", directory])
    }

    func organizations() throws -> String {
      let organizations = scratch.url.appendingPathComponent("out-orgs.csv").path
      let accounts = scratch.url.appendingPathComponent("out-accounts.csv").path
      let result = try run(["directory", "export", "--organizations", organizations, "--accounts", accounts])
      precondition(result.status == 0, result.stderr)
      return try String(contentsOfFile: organizations, encoding: .utf8)
    }

    func orgsFile() throws -> String {
      try scratch.write(
        "orgs.csv",
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
          + "d1,active,,Springfield Public Schools,district,0617,\n"
          + "0042,active,,Lincoln Elementary School,school,06170042,d1\n"
          + "0043,active,,Roosevelt Middle School,school,06170043,d1\n"
          + "0099,active,,Washington High School,school,06170099,d1\n")
    }
  }

  @Test func matchShowsProposalsAndAppliesNothingWithoutYes() throws {
    let setup = try Setup()
    let before = try setup.organizations()
    let result = try setup.run(["organizations", "match", try setup.orgsFile()])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Organizations read as OneRoster orgs.csv"))
    #expect(result.stdout.contains("LINCOLN ELEM."))
    #expect(result.stdout.contains("0042") && result.stdout.contains("100%"))
    #expect(result.stdout.contains("Springfield Public Schools (2)"))
    #expect(result.stdout.contains("Not matched in the directory") && result.stdout.contains("Adams High"))
    #expect(result.stdout.contains("Not matched in the file") && result.stdout.contains("Washington High School"))
    #expect(result.stdout.contains("Nothing applied: pass --yes"))
    #expect(try setup.organizations() == before)
  }

  @Test func matchApplyHistoryRevert() throws {
    let setup = try Setup()
    let before = try setup.organizations()
    let applied = try setup.run(["organizations", "match", try setup.orgsFile(), "--yes", "--json"])
    #expect(applied.status == 0, "\(applied.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
    #expect(json["result"] as? String == "applied")
    let runID = try #require(json["run_id"] as? Int)
    let proposals = try #require(json["proposals"] as? [[String: Any]])
    #expect(proposals.map { $0["proposed_external_id"] as? String } == ["d1", "0042", "0043"])
    #expect(
      try setup.organizations()
        == "external_id,name,kind\nd1,Springfield District,district\n0042,LINCOLN ELEM.,school\n"
        + "0043,Roosevelt MS,school\nS9,Adams High,school\n")

    let history = try setup.run(["history"])
    #expect(history.stdout.contains("run \(runID)  apply"))
    #expect(history.stdout.contains("3 schools' external IDs set"))
    #expect(history.stdout.contains("orgs.csv"))

    let again = try setup.run(["organizations", "match", try setup.orgsFile(), "--yes"])
    #expect(again.status == 10)
    #expect(again.stdout.contains("Nothing to change"))

    let reverted = try setup.run(["revert", String(runID)])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(try setup.organizations() == before)
  }

  @Test func minConfidenceLeavesWeakMatchesOut() throws {
    let setup = try Setup()
    let orgs = try setup.scratch.write("School.csv", "SIS ID,Name\n0042,Lincon Elementary\n")
    let strict = try setup.run(["organizations", "match", orgs, "--min-confidence", "95", "--json"])
    #expect(strict.status == 10)
    let loose = try setup.run(["organizations", "match", orgs, "--min-confidence", "70", "--json"])
    #expect(loose.status == 0)
    #expect(loose.stdout.contains("\"proposed_external_id\":\"0042\""))
    #expect(loose.stdout.contains("\"result\":\"proposed\""))
  }

  @Test func aBadFileIsRefusedNamingLineAndColumn() throws {
    let setup = try Setup()
    let orgs = try setup.scratch.write("orgs.csv", "sourcedId,name,type\n0042,Lincoln,campus\n")
    let result = try setup.run(["organizations", "match", orgs, "--yes"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("orgs.csv:2:3: type must be one of"))
    let unknown = try setup.scratch.write("users.csv", exportHeader + "\n")
    let notOrgs = try setup.run(["organizations", "match", unknown])
    #expect(notOrgs.status == 2)
    #expect(notOrgs.stderr.contains("not an organizations file"))
  }

  @Test func listShowsKindIDAndAccounts() throws {
    let setup = try Setup()
    let result = try setup.run(["organizations", "list"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
    #expect(lines.contains(["LINCOLN", "ELEM.", "school", "(none)", "1"]))
    #expect(lines.contains(["Adams", "High", "school", "S9", "0"]))
  }

  /// Each SIS organizations file shipped with the presets imports into a
  /// new directory; a file without a district gets one, and says so.
  @Test(arguments: [
    "infinite-campus/orgs.csv", "oneroster-1.1/orgs.csv", "oneroster-1.2/orgs.csv", "sds-v2.1/orgs.csv",
    "sds-v1/School.csv", "clever/schools.csv",
  ])
  func importsEachSISForm(_ file: String) throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("d.sqlite").path
    let accounts = try scratch.write("accounts.csv", exportHeader + "\n")
    let path = repository.appendingPathComponent("Fixtures/presets").appendingPathComponent(file).path
    let result = try SisSyncProcess.run([
      "directory", "import", "--directory", directory, "--organizations", path, "--accounts", accounts,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let noDistrict = file.hasPrefix("sds-v1") || file.hasPrefix("clever")
    #expect(result.stdout.contains("added the district organization 'District'") == noDistrict)
    #expect(result.stdout.contains("4 organizations"))
  }
}
