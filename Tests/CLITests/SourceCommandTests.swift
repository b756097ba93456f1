import Foundation
import StoreKinds
import Testing

/// Several sources through the binary (issue 15, item 4): the SIS and the
/// HR system each apply their own export with --source and
/// --disable-missing, on the SQLite file and a PostgreSQL server's directory.
@Suite(.serialized) struct SourceCommandTests {
  typealias Setup = SyncCommandTests.Setup

  static let students = (0..<4).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
  static let staff = (0..<2).map { "E\($0),,Staff,e\($0)@x.org,E20\($0),S1,Staff,Clerk,,Active" }

  /// Four students, two staff created before sources were declared, then
  /// the SIS's and HR's sources declared.
  static func setup(_ store: StoreKind) throws -> Setup {
    let setup = try Setup(accounts: 4, creates: 0, store: store)
    let everyone = try setup.scratch.write(
      "all.csv", ([exportHeader] + students + staff).joined(separator: "\n") + "\n")
    let created = try setup.run(["apply", everyone, "--yes"])
    precondition(created.status == 0, created.stderr)
    let declared = try setup.run(["settings", "set", "sources", "sis=Student,Teacher;hr=Staff,Administrator"])
    precondition(declared.status == 0, declared.stderr)
    return setup
  }

  @Test(arguments: SyncCommandTests.stores) func eachSourceDisablesOnlyItsOwn(store: StoreKind) throws {
    let setup = try Self.setup(store)
    // The SIS drops student 100003 and names HR's E200 (a finding, no change).
    let sis = try setup.scratch.write(
      "sis.csv",
      ([exportHeader] + Self.students.prefix(3) + [Self.staff[0].replacingOccurrences(of: "Clerk", with: "Chef")])
        .joined(separator: "\n") + "\n")
    let unsaid = try setup.run(["plan", sis, "--disable-missing"])
    #expect(unsaid.status == 64)
    #expect(
      unsaid.stderr.contains(
        "this directory declares several sources (hr, sis): say which one this export comes from with --source NAME"),
      "\(unsaid.stderr)")
    let unknown = try setup.run(["plan", sis, "--source", "clever"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("--source clever: this directory declares the sources hr, sis"))

    let plan = try setup.run(["plan", sis, "--source", "sis", "--disable-missing", "--format", "json"])
    #expect(plan.status == 1, "\(plan.stderr)")
    #expect(plan.stdout.contains(#""source":"sis""#))
    #expect(plan.stdout.contains(#""code":"E065""#))
    #expect(plan.stdout.contains(#""action":"disable","custom_id":"100003""#))
    #expect(!plan.stdout.contains(#""custom_id":"E201""#))
    let text = try setup.run(["plan", sis, "--source", "sis", "--disable-missing"])
    #expect(text.stdout.contains("  Source: sis ("), "\(text.stdout)")
    #expect(text.stdout.contains("- 1 to disable (1 absent from the export)"), "\(text.stdout)")
    let applied = try setup.run(["apply", sis, "--source", "sis", "--disable-missing", "--yes"])
    #expect(applied.status == 1, "\(applied.stdout)\n\(applied.stderr)")
    var accounts = try setup.directoryState()
    #expect(accounts.contains("A3,,Old,a3@x.org,100003,S1,Student,,3,Disabled"))
    #expect(accounts.contains("E0,,Staff,e0@x.org,E200,S1,Staff,Clerk,,Active"))
    #expect(accounts.contains("E1,,Staff,e1@x.org,E201,S1,Staff,Clerk,,Active"))

    // HR lists E200 only: E201 is disabled, no student is.
    let hr = try setup.scratch.write("hr.csv", ([exportHeader, Self.staff[0]]).joined(separator: "\n") + "\n")
    let hrApplied = try setup.run(["apply", hr, "--source", "HR", "--disable-missing", "--yes"])
    #expect(hrApplied.status == 0, "\(hrApplied.stdout)\n\(hrApplied.stderr)")
    accounts = try setup.directoryState()
    #expect(accounts.contains("E1,,Staff,e1@x.org,E201,S1,Staff,Clerk,,Disabled"))
    for index in 0..<3 { #expect(accounts.contains("\(100_000 + index),S1,Student,,3,Active")) }

    // History names the source of each run, in text and JSON; show too.
    let history = try setup.run(["history"]).stdout
    let lines = history.split(separator: "\n")
    #expect(lines.first?.contains("source hr") == true, "\(history)")
    #expect(lines.dropFirst().first?.contains("source sis") == true, "\(history)")
    #expect(lines.last?.contains("source") == false)
    let json = try setup.run(["history", "--format", "json"]).stdout
    #expect(json.contains(#""source":"hr""#) && json.contains(#""source":"sis""#) && json.contains(#""source":null"#))
    let show = try setup.run(["show", "5"])
    #expect(show.stdout.contains("source: hr"), "\(show.stdout)")
    #expect(show.stdout.contains("recorded the source of E201 (account #6): (none) → hr"), "\(show.stdout)")

    // Reverting HR's run re-activates E201 and forgets it was HR's.
    #expect(try setup.run(["revert", "5"]).status == 0)
    #expect(try setup.directoryState().contains("E1,,Staff,e1@x.org,E201,S1,Staff,Clerk,,Active"))
    let reverted = try setup.run(["show", "6"]).stdout
    #expect(reverted.contains("restored the source of E201 (account #6): hr → (none)"), "\(reverted)")
  }

  @Test func withoutSourcesASourceIsRefused() throws {
    let setup = try Setup(accounts: 2, creates: 0)
    let refused = try setup.run(["plan", setup.export, "--source", "sis"])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("--source sis: this directory declares no sources"))
    #expect(try setup.run(["plan", setup.export]).status == 0)
  }
}
