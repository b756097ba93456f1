import Foundation
import StoreKinds
import Testing

/// `sis-sync person` (a person's timeline) and `revert --dry-run` / `--only`,
/// on a real directory file.
@Suite(.serialized) struct PersonAndRevertTests {
  typealias Setup = SyncCommandTests.Setup

  /// The export of the setup's students with each row changed by `change`.
  func export(_ setup: Setup, accounts: Int, name: String, row: (Int) -> String) throws -> String {
    try setup.scratch.write(name, ([exportHeader] + (0..<accounts).map(row)).joined(separator: "\n") + "\n")
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: SyncCommandTests.stores) func personListsEveryRunThatTouchedTheAccountInOrder(store: StoreKind)
    throws
  {
    let setup = try Setup(accounts: 2, creates: 1, store: store)
    let created = try setup.run(["apply", setup.export, "--yes"])
    #expect(created.status == 0, "\(created.stderr)")
    let existing = (0..<2).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    func newcomer(grade: Int, last: String) -> String { "Emma,,\(last),emma@x.org,500000,S2,Student,,\(grade),Active" }
    let second = try setup.scratch.write(
      "second.csv", ([exportHeader] + existing + [newcomer(grade: 5, last: "New")]).joined(separator: "\n") + "\n")
    #expect(try setup.run(["apply", second, "--yes"]).status == 0)
    let third = try setup.scratch.write(
      "third.csv", ([exportHeader] + existing + [newcomer(grade: 5, last: "Stone")]).joined(separator: "\n") + "\n")
    #expect(try setup.run(["apply", third, "--yes"]).status == 0)
    let history = try setup.run(["history", "--format", "json"])
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
    let lastApply = try #require(runs.first?["run_id"] as? Int)
    #expect(try setup.run(["revert", String(lastApply)]).status == 0)

    let shown = try setup.run(["person", "500000"])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stderr.isEmpty)
    let runLines = shown.stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }
    #expect(runLines.count == 4, "\(shown.stdout)")
    #expect(runLines.map { $0.split(separator: " ")[2] } == ["apply", "apply", "apply", "revert"])
    #expect(runLines[0].contains("export.csv (sha256 "))
    #expect(runLines[0].contains("by \(NSUserName())@"))
    #expect(shown.stdout.contains("grade 4 → 5"))
    #expect(shown.stdout.contains("last_name New → Stone"))
    #expect(shown.stdout.contains("last_name Stone → New"))

    // The same person by email (any case) and by account ID, in JSON.
    let byEmail = try setup.run(["person", "EMMA@X.ORG", "--format", "json"])
    #expect(byEmail.status == 0, "\(byEmail.stderr)")
    let person = try json(byEmail.stdout)
    let accountID = try #require(person["account_id"] as? Int)
    let timeline = try #require(person["runs"] as? [[String: Any]])
    #expect(timeline.map { $0["kind"] as? String } == ["apply", "apply", "apply", "revert"])
    #expect(timeline.compactMap { $0["run_id"] as? Int } == timeline.compactMap { $0["run_id"] as? Int }.sorted())
    #expect((timeline[0]["export_sha256"] as? String)?.count == 64)
    let fields = try #require((timeline[1]["changes"] as? [[String: Any]])?.first?["fields"] as? [String: Any])
    #expect((fields["grade"] as? [String: Any])?["after"] as? String == "5")
    let byID = try setup.run(["person", "#\(accountID)", "--format", "json"])
    #expect(try json(byID.stdout)["account_id"] as? Int == accountID)
  }

  @Test func personRefusesAnUnknownOrAmbiguousKeyWithoutNamesOnStandardError() throws {
    let setup = try Setup(accounts: 2, creates: 0)
    // A newcomer whose custom_id is "1": account #1 is someone else.
    let export = try setup.scratch.write(
      "export-1.csv",
      [
        exportHeader, "A0,,Old,a0@x.org,100000,S1,Student,,3,Active", "A1,,Old,a1@x.org,100001,S1,Student,,3,Active",
        "Zed,,Oddname,zed@x.org,1,S1,Student,,3,Active",
      ].joined(separator: "\n") + "\n")
    #expect(try setup.run(["apply", export, "--yes"]).status == 0)
    let ambiguous = try setup.run(["person", "1"])
    #expect(ambiguous.status == 64)
    #expect(ambiguous.stderr.contains("more than one account"))
    #expect(ambiguous.stdout.contains("Oddname"))
    #expect(ambiguous.stdout.contains("(by account ID)"))
    #expect(!ambiguous.stderr.contains("Oddname") && !ambiguous.stderr.contains("@"))
    let unknown = try setup.run(["person", "nobody@x.org"])
    #expect(unknown.status == 64)
    #expect(!unknown.stderr.contains("nobody"))
  }

  /// One person of a 100-change run is restored; the other 99 stay, and a
  /// later revert of the same run restores them, once.
  @Test(arguments: SyncCommandTests.stores) func revertOnlyRestoresOnePersonOfAHundredChangeRun(store: StoreKind) throws
  {
    let setup = try Setup(accounts: 100, creates: 0, store: store)
    let promoted = try export(setup, accounts: 100, name: "promoted.csv") {
      "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,4,Active"
    }
    let applied = try setup.run(["apply", promoted, "--yes", "--format", "json"])
    let runID = try #require(try json(applied.stdout)["run_id"] as? Int)
    #expect((try json(applied.stdout)["summary"] as? [String: Any])?["update"] as? Int == 100)

    let one = try setup.run(["revert", String(runID), "--only", "100005"])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains("1 reverted, 0 kept (changed since), 0 failed"))
    let state = try setup.directoryState()
    #expect(state.contains("A5,,Old,a5@x.org,100005,S1,Student,,3,Active"))
    #expect(state.contains("A6,,Old,a6@x.org,100006,S1,Student,,4,Active"))
    #expect(state.components(separatedBy: ",Student,,4,Active").count - 1 == 99)

    let again = try setup.run(["revert", String(runID), "--only", "100005"])
    #expect(again.status == 10)
    let stranger = try setup.run(["revert", String(runID), "--only", "999999"])
    #expect(stranger.status == 64)

    let rest = try setup.run(["revert", String(runID)])
    #expect(rest.status == 0, "\(rest.stderr)")
    #expect(rest.stdout.contains("99 reverted, 0 kept (changed since), 0 failed"))
    #expect(try setup.directoryState().components(separatedBy: ",Student,,3,Active").count - 1 == 100)
    #expect(try setup.run(["revert", String(runID)]).status == 10)
  }

  @Test(arguments: SyncCommandTests.stores) func revertDryRunWritesNothing(store: StoreKind) throws {
    let setup = try Setup(accounts: 3, creates: 0, store: store)
    let promoted = try export(setup, accounts: 3, name: "promoted.csv") {
      "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,4,Active"
    }
    let applied = try setup.run(["apply", promoted, "--yes", "--format", "json"])
    let runID = try #require(try json(applied.stdout)["run_id"] as? Int)
    // Someone changes A2 since: a revert keeps it.
    let later = try export(setup, accounts: 3, name: "later.csv") {
      "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,\($0 == 2 ? 5 : 4),Active"
    }
    #expect(try setup.run(["apply", later, "--yes"]).status == 0)

    func generation() throws -> String {
      let backup = setup.scratch.url.appendingPathComponent("backup-\(UUID().uuidString).sqlite").path
      let result = try setup.run(["directory", "backup", backup])
      return try #require(result.stdout.firstRange(of: /generation \d+/).map { String(result.stdout[$0]) })
    }
    let before = (try generation(), try setup.directoryState(), try setup.run(["history"]).stdout)
    let preview = try setup.run(["revert", String(runID), "--dry-run"])
    #expect(preview.status == 0, "\(preview.stderr)")
    #expect(preview.stdout.contains("would restore 2, keep 1 (changed since), fail 0"))
    #expect(preview.stdout.contains("grade 4 → 3"))
    let previewJSON = try setup.run(["revert", String(runID), "--dry-run", "--format", "json"])
    #expect(try json(previewJSON.stdout)["result"] as? String == "dry_run")
    let after = (try generation(), try setup.directoryState(), try setup.run(["history"]).stdout)
    #expect(before == after)

    // The revert itself does what the preview said.
    let reverted = try setup.run(["revert", String(runID)])
    #expect(reverted.stdout.contains("2 reverted, 1 kept (changed since), 0 failed"))
  }
}
