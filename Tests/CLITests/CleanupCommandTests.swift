import Foundation
import Testing

/// `sis-sync cleanup` on a real directory file, as an admin uses it.
@Suite(.serialized) struct CleanupCommandTests {
  /// Seniors (grade 12) and juniors in S1, teachers in S2, two unmanaged accounts.
  struct Setup {
    let scratch: ScratchFolder
    let directory: String

    init() throws {
      scratch = try ScratchFolder()
      directory = scratch.url.appendingPathComponent("directory.sqlite").path
      let organizations = try scratch.write(
        "orgs.csv", "external_id,name,kind\nD,District,district\nS1,Lincoln,school\nS2,Roosevelt,school\n")
      var accounts = (0..<20).map { "Sen\($0),,Ior,sen\($0)@x.org,\(1000 + $0),S1,Student,,12,Active" }
      accounts += (0..<30).map { "Jun\($0),,Ior,jun\($0)@x.org,\(2000 + $0),S1,Student,,11,Active" }
      accounts += (0..<5).map { "Tea\($0),,Cher,tea\($0)@x.org,\(3000 + $0),S2,Teacher,Math,,Active" }
      accounts += ["Una,,Man,una@x.org,,S1,Student,,12,Active", "Ned,,Man,ned@x.org,,S2,Teacher,,,Active"]
      let accountsPath = try scratch.write("accounts.csv", ([exportHeader] + accounts).joined(separator: "\n") + "\n")
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accountsPath,
      ])
      precondition(imported.status == 0, imported.stderr)
    }

    func run(_ arguments: [String]) throws -> SisSyncProcess.Output {
      try SisSyncProcess.run(arguments + ["--directory", directory])
    }

    func accounts() throws -> String {
      let organizations = scratch.url.appendingPathComponent("state-orgs.csv").path
      let accounts = scratch.url.appendingPathComponent("state-accounts.csv").path
      let result = try run(["directory", "export", "--organizations", organizations, "--accounts", accounts])
      precondition(result.status == 0, result.stderr)
      return try String(contentsOfFile: accounts, encoding: .utf8)
    }
  }

  @Test func disablingTheGraduatingClassIsPlannedAppliedWithYesAndReverted() throws {
    let setup = try Setup()
    let before = try setup.accounts()
    let filter = "school:S1 type:Student grade:12 status:Active"
    // Without --yes: the plan, nothing written; 20 of the school's 50 managed
    // accounts is more than 10%: held until overridden (exit 11, as plan's).
    let planned = try setup.run(["cleanup", "--filter", filter, "--disable"])
    #expect(planned.status == 11, "\(planned.stderr)")
    #expect(planned.stdout.contains("- 20 to disable\n"))
    #expect(planned.stdout.contains("20 disable of 50 managed accounts in scope (40%)"))
    // The unmanaged senior is listed as left out, with the reason.
    #expect(planned.stdout.contains("Left out (1):\n  account #56: not managed (no custom_id)"))
    #expect(try setup.accounts() == before)
    let unheld = try setup.run(["cleanup", "--filter", filter, "--disable", "--override-threshold"])
    #expect(unheld.status == 0 && unheld.stdout.contains("add --yes to apply"))
    let held = try setup.run(["cleanup", "--filter", filter, "--disable", "--yes"])
    #expect(held.status == 11 && held.stdout.contains("HELD"))
    #expect(try setup.accounts() == before)
    let applied = try setup.run(["cleanup", "--filter", filter, "--disable", "--yes", "--override-threshold"])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(applied.stdout.contains("Applied as run"))
    let disabled = try setup.accounts()
    #expect(disabled.components(separatedBy: ",12,Disabled").count - 1 == 20)
    let history = try setup.run(["history", "--format", "json"])
    #expect(history.stdout.contains("sis-sync cleanup: "))
    // The same cleanup again: nothing left to change.
    let again = try setup.run(["cleanup", "--filter", filter, "--disable", "--yes"])
    #expect(again.status == 10)
    let runID = try #require(
      applied.stdout.split(separator: "\n").first { $0.hasPrefix("Applied as run") }?
        .split(separator: " ")[3].dropLast())
    let reverted = try setup.run(["revert", String(runID)])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(try setup.accounts() == before)
  }

  @Test func aSavedCleanupPlanIsAppliedByApplyAndJSONSaysWhatWasLeftOut() throws {
    let setup = try Setup()
    let plan = setup.scratch.url.appendingPathComponent("move.plan").path
    let result = try setup.run([
      "cleanup", "--filter", "school:S2 type:Teacher", "--move-to", "S1", "--out", plan, "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect((json?["left_out"] as? [[String: Any]])?.count == 1)
    #expect((json?["plan"] as? [String: Any]) != nil && json?["run"] is NSNull)
    let applied = try setup.run(["apply", plan])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(try setup.accounts().components(separatedBy: ",S1,Teacher,Math,").count - 1 == 5)
  }

  @Test func aSavedSessionIsPlannedAndAppliedWithoutTheScreenAndRefusedOnAnotherDirectory() throws {
    let setup = try Setup()
    let listed = try setup.run(["cleanup", "--filter", "grade:12", "--disable", "--format", "json"])
    let plan = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])["plan"]
    let directoryID = try #require((plan as? [String: Any])?["directory_id"] as? String)
    // A session as the screen saves it: teachers moved, one account that a
    // restored backup lacks.
    let session = try setup.scratch.write(
      "move.session",
      """
      {"format": "sis-sync cleanup session 1", "directory_id": "\(directoryID)", "saved_at": "2026-11-30T10:00:00Z",
       "filter": "type:Teacher", "steps": [{"action": {"kind": "move_to", "value": "S1"},
       "accounts": [{"account": 51, "custom_id": "3000", "email": "tea0@x.org"},
                    {"account": 52, "custom_id": "3001", "email": "tea1@x.org"},
                    {"account": 999, "custom_id": "9999", "email": "gone@x.org"}]}]}
      """)
    let planned = try setup.run(["cleanup", "--session", session, "--format", "json"])
    #expect(planned.status == 0, "\(planned.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
    let notStaged = try #require(json["not_staged"] as? [String])
    #expect(notStaged == ["move to S1: account 999, 9999 (gone@x.org), is no longer in the directory; left out"])
    let applied = try setup.run(["cleanup", "--session", session, "--yes"])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(applied.stdout.contains("Saved changes not staged (1):"))
    #expect(try setup.accounts().components(separatedBy: ",S1,Teacher,Math,").count - 1 == 2)

    let other = try Setup()
    let refused = try other.run(["cleanup", "--session", session])
    #expect(refused.status == 5)
    #expect(refused.stderr.contains("this cleanup session was saved on 2026-11-30T10:00:00Z for another directory"))
    let mixed = try setup.run(["cleanup", "--session", session, "--disable", "--filter", "grade:12"])
    #expect(mixed.status == 64)
  }

  @Test func listsWithoutAnActionAndRefusesABadFilterOrBuilding() throws {
    let setup = try Setup()
    let listed = try setup.run(["cleanup", "--filter", "managed:no"])
    #expect(listed.status == 0 && listed.stdout.hasPrefix("2 accounts selected"))
    let badFilter = try setup.run(["cleanup", "--filter", "grade:13", "--disable"])
    #expect(badFilter.status == 64 && badFilter.stderr.contains("filter column 1: 'grade:13'"))
    let badBuilding = try setup.run(["cleanup", "--filter", "grade:12", "--move-to", "S9"])
    #expect(badBuilding.status == 64 && badBuilding.stderr.contains("no organization 'S9'"))
    let noAction = try setup.run(["cleanup", "--filter", "grade:12", "--yes"])
    #expect(noAction.status == 64)
  }

  @Test func assignIDsFromAListReportsEachLeftOutLineAndAppliesTheRestAsOneRun() throws {
    let setup = try Setup()
    let before = try setup.accounts()
    let list = try setup.scratch.write(
      "ids.csv",
      "custom_id,email,first_name,last_name,building\n9001,una@x.org,,,\n9002,,Ned,Man,S2\n9003,nobody@x.org,,,\n"
        + "9004,sen1@x.org,,,\n")
    let result = try setup.run(["cleanup", "--assign-ids", list, "--yes"])
    #expect(result.status == 1, "\(result.stderr)")  // lines left out
    #expect(result.stdout.contains("= 2 to give an ID"))
    #expect(result.stdout.contains("line 4: unmatched: no account has this email"))
    #expect(result.stdout.contains("line 5: unmatched: the email belongs to account #"))
    #expect(result.stdout.contains("Applied as run"))
    #expect(try setup.accounts().contains("9002,S2,Teacher"))
    let runID = try #require(
      result.stdout.split(separator: "\n").first { $0.hasPrefix("Applied as run") }?
        .split(separator: " ")[3].dropLast())
    #expect(try setup.run(["revert", String(runID)]).status == 0)
    #expect(try setup.accounts() == before)
  }
}
