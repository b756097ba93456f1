import Foundation
import StoreKinds
import Testing

/// `sis-sync protect`, `protect list` and `unprotect`, and the plans that
/// follow them, through the binary, on the SQLite file and a PostgreSQL
/// server's directory.
@Suite(.serialized) struct ProtectCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// Ten students; an export that changes 100000's grade and leaves out 100009.
  static func setup(_ store: StoreKind) throws -> (Setup, String) {
    let setup = try Setup(accounts: 10, creates: 0, store: store)
    var listed = (0..<9).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    listed[0] = "A0,,Old,a0@x.org,100000,S1,Student,,4,Active"
    let export = try setup.scratch.write("nine.csv", ([exportHeader] + listed).joined(separator: "\n") + "\n")
    return (setup, export)
  }

  @Test(arguments: SyncCommandTests.stores) func protectedAccountsAreHeldBackInEveryPlan(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    let protect = try setup.run(["protect", "100000", "--reason", "records hold"])
    #expect(protect.status == 0, "\(protect.stderr)")
    #expect(protect.stdout.hasPrefix("custom_id 100000: protected, as run 2."), "\(protect.stdout)")
    #expect(try setup.run(["protect", "#10", "--reason", "on leave", "--until", "2099-12-31"]).status == 0)
    let list = try setup.run(["protect", "list"])
    #expect(list.stdout.contains("(custom_id 100000): records hold — no end date"), "\(list.stdout)")
    #expect(list.stdout.contains("(custom_id 100009): on leave — until 2099-12-31"), "\(list.stdout)")
    let json = try setup.run(["protect", "list", "--format", "json"])
    #expect(json.stdout.contains(#""kind":"account","#) && json.stdout.contains(#""until":"2099-12-31","holds":true"#))

    let plan = try setup.run(["plan", export, "--disable-missing"])
    #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
    #expect(plan.stdout.contains("2 held back by protection (not changed):"))
    #expect(plan.stdout.contains("! line 2 100000  Old, A0: would update — protected: records hold"))
    #expect(plan.stdout.contains("! 100009  Old, A9: would disable — protected: on leave (until 2099-12-31)"))
    let planJSON = try setup.run(["plan", export, "--disable-missing", "--format", "json"])
    #expect(planJSON.stdout.contains(#""would":"disable","reason":"protected: on leave","until":"2099-12-31""#))
    let apply = try setup.run(["apply", export, "--disable-missing", "--yes"])
    #expect(apply.status == 10, "\(apply.stdout)\n\(apply.stderr)")
    #expect(
      try setup.directoryState().split(separator: "\n").map(String.init).contains {
        $0.hasPrefix("A9,,Old,a9@x.org,100009,S1,Student,,3,Active")
      })

    // Unprotected: the next plan changes them.
    let unprotect = try setup.run(["unprotect", "100000"])
    #expect(unprotect.status == 0, "\(unprotect.stderr)")
    let after = try setup.run(["plan", export, "--disable-missing"])
    #expect(after.stdout.contains("~ 1 to update"), "\(after.stdout)")
    #expect(after.stdout.contains("1 held back by protection"))
    let history = try setup.run(["history"])
    #expect(history.stdout.contains("1 protection changed  sis-sync protect: unprotect custom_id 100000"))
    // Reverting the unprotect protects it again.
    #expect(try setup.run(["revert", "4"]).status == 0)
    #expect(try setup.run(["protect", "list"]).stdout.contains("records hold"))
  }

  @Test(arguments: SyncCommandTests.stores) func aProtectedSchoolIsUpdatedButNotDisabledAsMissing(store: StoreKind)
    throws
  {
    let (setup, export) = try Self.setup(store)
    #expect(try setup.run(["protect", "--organization", "S1", "--reason", "pilot"]).status == 0)
    let apply = try setup.run(["apply", export, "--disable-missing", "--yes"])
    #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
    let accounts = try setup.directoryState().split(separator: "\n").map(String.init)
    #expect(accounts.contains { $0.hasPrefix("A0,,Old,a0@x.org,100000,S1,Student,,4,Active") })
    #expect(accounts.contains { $0.hasPrefix("A9,,Old,a9@x.org,100009,S1,Student,,3,Active") })
  }

  @Test(arguments: SyncCommandTests.stores) func anExpiredProtectionLapsesWithANote(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    #expect(try setup.run(["protect", "100000", "--reason", "hold", "--until", "2026-03-01"]).status == 0)
    let held = try setup.run(["plan", export], environment: ["SIS_SYNC_TEST_NOW": "2026-03-01T12:00:00Z"])
    #expect(held.stdout.contains("1 held back by protection"), "\(held.stdout)")
    let lapsed = try setup.run(["plan", export], environment: ["SIS_SYNC_TEST_NOW": "2026-03-02T12:00:00Z"])
    #expect(lapsed.stdout.contains("~ 1 to update"), "\(lapsed.stdout)")
    #expect(lapsed.stdout.contains("I063"))
    #expect(lapsed.stdout.contains("(custom_id 100000) expired on 2026-03-01"), "\(lapsed.stdout)")
  }

  @Test(arguments: SyncCommandTests.stores) func aPlanMadeBeforeProtectIsRefused(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    let planFile = setup.scratch.url.appendingPathComponent("saved.plan").path
    #expect(try setup.run(["plan", export, "--out", planFile]).status == 0)
    #expect(try setup.run(["protect", "100000", "--reason", "hold"]).status == 0)
    let refused = try setup.run(["apply", planFile])
    #expect(refused.status == 12)
    #expect(refused.stderr.contains("protection change: protect custom_id 100000 (run 2)"), "\(refused.stderr)")
  }

  @Test(arguments: SyncCommandTests.stores) func badInputExits64(store: StoreKind) throws {
    let (setup, _) = try Self.setup(store)
    let unknown = try setup.run(["protect", "424242", "--reason", "x"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("no account has custom_id 424242"))
    #expect(try setup.run(["protect", "100000"]).status == 64)
    #expect(try setup.run(["protect", "100000", "--reason", "x", "--until", "31/12/2026"]).status == 64)
    #expect(try setup.run(["unprotect", "--organization", "Nowhere"]).status == 64)
    #expect(try setup.run(["history"]).stdout.contains("protect") == false)
  }
}
