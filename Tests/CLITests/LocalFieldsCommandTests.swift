import Foundation
import StoreKinds
import Testing

/// `sis-sync local-fields set|unset|list` and the setting `fields.local`,
/// and the plans and applies that follow them, through the binary, on the
/// SQLite file and a PostgreSQL server's directory.
@Suite(.serialized) struct LocalFieldsCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// Ten students; an export that gives 100000 and 100001 new emails and
  /// 100001 a new grade.
  static func setup(_ store: StoreKind) throws -> (Setup, String) {
    let setup = try Setup(accounts: 10, creates: 0, store: store)
    var listed = (0..<10).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    listed[0] = "A0,,Old,a0@sis.org,100000,S1,Student,,3,Active"
    listed[1] = "A1,,Old,a1@sis.org,100001,S1,Student,,4,Active"
    let export = try setup.scratch.write("emails.csv", ([exportHeader] + listed).joined(separator: "\n") + "\n")
    return (setup, export)
  }

  static func account(_ setup: Setup, _ customID: String) throws -> String {
    try #require(
      try setup.directoryState().split(separator: "\n").map(String.init).first { $0.contains(",\(customID),") })
  }

  @Test(arguments: SyncCommandTests.stores) func anEmailLocalToOneAccountIsKeptAcrossAnApply(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    let set = try setup.run(["local-fields", "set", "100000", "email"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout.hasPrefix("custom_id 100000: email local, as run 2."), "\(set.stdout)")
    #expect(try setup.run(["local-fields", "set", "#2", "email,first_name"]).status == 0)
    let list = try setup.run(["local-fields", "list"])
    #expect(list.stdout.contains("Every account: none"), "\(list.stdout)")
    #expect(list.stdout.contains("(custom_id 100000): email"), "\(list.stdout)")
    #expect(list.stdout.contains("(custom_id 100001): first_name, email"), "\(list.stdout)")
    let json = try setup.run(["local-fields", "list", "--format", "json"])
    #expect(json.stdout.contains(#""fields":["first_name","email"]"#), "\(json.stdout)")

    let plan = try setup.run(["plan", export])
    #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
    #expect(plan.stdout.contains("~ 1 to update"), "\(plan.stdout)")
    #expect(plan.stdout.contains("1 unchanged but for local fields, kept (local):"), "\(plan.stdout)")
    #expect(plan.stdout.contains("= line 2  100000  Old, A0: email kept (local), export has a0@sis.org"))
    #expect(plan.stdout.contains("grade 3 → 4; email kept (local), export has a1@sis.org"), "\(plan.stdout)")
    let planJSON = try setup.run(["plan", export, "--format", "json"])
    #expect(planJSON.stdout.contains(#""kept_local":2"#), "\(planJSON.stdout)")
    let apply = try setup.run(["apply", export, "--yes"])
    #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
    #expect(try Self.account(setup, "100000").hasPrefix("A0,,Old,a0@x.org,100000,S1,Student,,3,Active"))
    #expect(try Self.account(setup, "100001").hasPrefix("A1,,Old,a1@x.org,100001,S1,Student,,4,Active"))

    // Unset: the next run writes the export's email.
    let unset = try setup.run(["local-fields", "unset", "100000", "email"])
    #expect(unset.status == 0, "\(unset.stderr)")
    let history = try setup.run(["history"])
    #expect(
      history.stdout.contains("1 account's local fields changed  sis-sync local-fields: unset custom_id 100000 email"),
      "\(history.stdout)")
    #expect(try setup.run(["apply", export, "--yes"]).status == 0)
    #expect(try Self.account(setup, "100000").hasPrefix("A0,,Old,a0@sis.org,100000"))
  }

  @Test(arguments: SyncCommandTests.stores) func anEmailLocalToEveryAccountAndRevertOfTheMarking(store: StoreKind)
    throws
  {
    let (setup, export) = try Self.setup(store)
    let set = try setup.run(["settings", "set", "fields.local", "email"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(try setup.run(["local-fields", "list"]).stdout.contains("Every account: email"))
    let apply = try setup.run(["apply", export, "--yes"])
    #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
    #expect(try Self.account(setup, "100000").hasPrefix("A0,,Old,a0@x.org,100000,S1,Student,,3,Active"))
    #expect(try Self.account(setup, "100001").hasPrefix("A1,,Old,a1@x.org,100001,S1,Student,,4,Active"))
    // Reverting the setting's run: the emails are the sync's again.
    #expect(try setup.run(["revert", "2"]).status == 0)
    let plan = try setup.run(["plan", export])
    #expect(plan.stdout.contains("~ 2 to update"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("kept (local)"))

    // The same with one account's marking: revert undoes it.
    #expect(try setup.run(["local-fields", "set", "100000", "email"]).status == 0)
    let marked = try setup.run(["plan", export])
    #expect(marked.stdout.contains("~ 1 to update"), "\(marked.stdout)")
    #expect(marked.stdout.contains("= line 2  100000  Old, A0: email kept (local)"), "\(marked.stdout)")
    // Runs: 2 the setting, 3 the apply, 4 its revert, 5 the marking.
    let shown = try setup.run(["show", "5", "--format", "json"])
    #expect(shown.stdout.contains(#""local_fields":{"before":[],"after":["email"]}"#), "\(shown.stdout)")
    let revert = try setup.run(["revert", "5"])
    #expect(revert.status == 0, "\(revert.stdout)\n\(revert.stderr)")
    #expect(try setup.run(["local-fields", "list"]).stdout.contains("No account has local fields of its own."))
  }

  @Test(arguments: SyncCommandTests.stores) func aPlanMadeBeforeAMarkingIsRefused(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    let planFile = setup.scratch.url.appendingPathComponent("saved.plan").path
    #expect(try setup.run(["plan", export, "--out", planFile]).status == 0)
    #expect(try setup.run(["local-fields", "set", "100000", "email"]).status == 0)
    let refused = try setup.run(["apply", planFile])
    #expect(refused.status == 12)
    #expect(refused.stderr.contains("local fields change: set custom_id 100000 email (run 2)"), "\(refused.stderr)")
  }

  @Test(arguments: SyncCommandTests.stores) func badInputExits64(store: StoreKind) throws {
    let (setup, _) = try Self.setup(store)
    let unknown = try setup.run(["local-fields", "set", "424242", "email"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("no account has custom_id 424242"))
    let status = try setup.run(["local-fields", "set", "100000", "status"])
    #expect(status.status == 64)
    #expect(status.stderr.contains("'status' is not a field that can be local"), "\(status.stderr)")
    #expect(try setup.run(["local-fields", "set", "100000"]).status == 64)
    #expect(try setup.run(["settings", "set", "fields.local", "custom_id"]).status == 64)
    #expect(try setup.run(["history"]).stdout.contains("local-fields") == false)
  }
}
