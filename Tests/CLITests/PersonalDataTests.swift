import Foundation
import Testing

/// Issue 6, personal data: owner-only files everywhere a name can land,
/// nothing personal where it was not asked for, and `--redact`.
@Suite struct PersonalDataTests {
  static func mode(_ path: String) throws -> Int {
    try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
  }

  @Test func everyFileHoldingPeopleIsOwnerOnly() throws {
    let setup = try SyncCommandTests.Setup(accounts: 3, creates: 2)
    let plan = setup.scratch.url.appendingPathComponent("p.plan").path
    let report = setup.scratch.url.appendingPathComponent("report.csv").path
    let organizations = setup.scratch.url.appendingPathComponent("o.csv").path
    let accounts = setup.scratch.url.appendingPathComponent("a.csv").path
    #expect(try setup.run(["plan", setup.export, "--out", plan]).status == 0)
    #expect(try SisSyncProcess.run(["validate", setup.export, "--format", "csv", "-o", report]).status == 0)
    #expect(
      try setup.run(["directory", "export", "--organizations", organizations, "--accounts", accounts]).status == 0)
    for path in [setup.directory, setup.directory + ".snapshot", plan, report, organizations, accounts] {
      #expect(try Self.mode(path) == 0o600, "\(path)")
    }
  }

  @Test func redactedReportsKeepLinesAndFindingsButNoNamesOrEmails() throws {
    let scratch = try ScratchFolder()
    let path = try scratch.write(
      "x.csv",
      exportHeader + "\nAnastasia,,Rosenberg,anastasia.rosenberg@school.org,1,S1,Student,,5,Active\n"
        + "Bartholomew,,Lindqvist,not-an-email,2,S1,Teacher,,,Active\n"
        + "Cordelia,,Featherstone,cordelia.featherstone@school.org,2,S1,Student,,12,Active\n")
    for format in ["text", "json", "csv"] {
      let result = try SisSyncProcess.run(["validate", path, "--redact", "--format", format])
      #expect(result.status == 1)
      for secret in ["Bartholomew", "not-an-email", "cordelia.featherstone", "anastasia.rosenberg"] {
        #expect(!result.stdout.contains(secret), "\(format) shows \(secret)")
      }
      #expect(result.stdout.contains("E021"), "\(format) keeps the finding")
      #expect(result.stdout.contains("n…"), "\(format): the bad email, masked")
      #expect(result.stdout.contains("E030"), "\(format): the duplicate custom_id is not personal data")
    }
    let text = try SisSyncProcess.run(["validate", path, "--redact"])
    #expect(text.stdout.contains("line 3, email: 'n…' is not a valid email address"))
  }

  @Test func redactedPlansMaskEveryChangeButTheSavedPlanKeepsTheValues() throws {
    let setup = try SyncCommandTests.Setup(accounts: 2, creates: 2)
    let plan = setup.scratch.url.appendingPathComponent("p.plan").path
    let result = try setup.run(["plan", setup.export, "--redact", "--format", "json", "--out", plan])
    #expect(result.status == 0)
    #expect(!result.stdout.contains("n0@x.org"))
    #expect(result.stdout.contains("n…@x.org"))
    #expect(result.stdout.contains("500000"), "custom_ids are kept")
    #expect(try String(contentsOfFile: plan, encoding: .utf8).contains("n0@x.org"))
  }

  @Test func errorMessagesAndTimingsNameNoOne() throws {
    let setup = try SyncCommandTests.Setup(accounts: 2, creates: 2)
    let result = try setup.run(["plan", setup.export], environment: ["SIS_SYNC_TIMING": "1"])
    #expect(result.status == 0)
    // Standard error carries timings and memory only.
    for line in result.stderr.split(separator: "\n") { #expect(line.hasPrefix("timing: "), "\(line)") }
    #expect(!result.stderr.contains("@x.org"))
  }
}
