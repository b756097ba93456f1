import Foundation
import StoreKinds
import Testing

/// `sis-sync settings` and the runs that read them, through the binary, on
/// the SQLite file and a PostgreSQL server's directory.
@Suite(.serialized) struct SettingsCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// Ten students, and an export listing the first nine (one missing).
  static func setup(_ store: StoreKind) throws -> (Setup, String) {
    let setup = try Setup(accounts: 10, creates: 0, store: store)
    let listed = (0..<9).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    let export = try setup.scratch.write("nine.csv", ([exportHeader] + listed).joined(separator: "\n") + "\n")
    return (setup, export)
  }

  @Test(arguments: SyncCommandTests.stores) func listSetUnsetAndTheirRuns(store: StoreKind) throws {
    let (setup, _) = try Self.setup(store)
    let listed = try setup.run(["settings"])
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("threshold.disable     250,10%  (default)"))
    #expect(listed.stdout.contains("disable_missing       no  (default)"))

    let set = try setup.run(["settings", "set", "threshold.disable", "500, 20%"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(set.stdout.hasPrefix("threshold.disable: 250,10% (the default) → 500,20%, as run 2."))
    #expect(try setup.run(["settings"]).stdout.contains("threshold.disable     500,20%  (stored)"))
    let json = try setup.run(["settings", "--format", "json"])
    #expect(json.stdout.contains(#"{"key":"threshold.disable","value":"500,20%","stored":true,"default":"250,10%""#))

    let history = try setup.run(["history"])
    #expect(history.stdout.contains("1 setting changed  sis-sync settings: set threshold.disable 500,20%"))
    let shown = try setup.run(["show", "2", "--format", "json"])
    #expect(shown.stdout.contains(#""setting":{"key":"threshold.disable","before":null,"after":"500,20%"}"#))

    let unset = try setup.run(["settings", "unset", "threshold.disable"])
    #expect(unset.status == 0, "\(unset.stderr)")
    #expect(try setup.run(["settings"]).stdout.contains("threshold.disable     250,10%  (default)"))
    // Reverting the unset puts the stored value back.
    let reverted = try setup.run(["revert", "3"])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(try setup.run(["settings"]).stdout.contains("threshold.disable     500,20%  (stored)"))
  }

  @Test(arguments: SyncCommandTests.stores) func aBadKeyOrValueExits64NamingIt(store: StoreKind) throws {
    let (setup, _) = try Self.setup(store)
    let badKey = try setup.run(["settings", "set", "threshold.delete", "5"])
    #expect(badKey.status == 64)
    #expect(badKey.stderr.contains("there is no setting 'threshold.delete'; the settings are: threshold.create"))
    let badValue = try setup.run(["settings", "set", "disable_missing", "perhaps"])
    #expect(badValue.status == 64)
    #expect(badValue.stderr.contains("'perhaps' is not a value of setting disable_missing: expected yes or no"))
    #expect(try setup.run(["settings", "unset", "nope"]).status == 64)
    #expect(try setup.run(["history"]).stdout.contains("setting") == false)
  }

  @Test(arguments: SyncCommandTests.stores) func theNextPlanReadsThemAndAFlagOverridesForOneRun(store: StoreKind)
    throws
  {
    let (setup, export) = try Self.setup(store)
    // One of ten missing: the default (250, 10%) lets it through.
    #expect(try setup.run(["plan", export, "--disable-missing"]).status == 0)
    #expect(try setup.run(["settings", "set", "threshold.disable", "0"]).status == 0)
    let held = try setup.run(["plan", export, "--disable-missing"])
    #expect(held.status == 11)
    #expect(held.stdout.contains("(the directory's setting threshold.disable)"))
    let json = try setup.run(["plan", export, "--disable-missing", "--format", "json"])
    #expect(json.stdout.contains(#""max_count":0"#) && json.stdout.contains(#""origin":"setting""#))
    // A flag for this run only.
    #expect(try setup.run(["plan", export, "--disable-missing", "--threshold", "disable=5"]).status == 0)
    #expect(try setup.run(["plan", export, "--disable-missing"]).status == 11)
    // The cleanup reads them too.
    let cleanup = try setup.run(["cleanup", "--filter", "grade:3", "--disable"])
    #expect(cleanup.status == 11, "\(cleanup.stderr)")
    #expect(try setup.run(["settings", "unset", "threshold.disable"]).status == 0)
    #expect(try setup.run(["plan", export, "--disable-missing"]).status == 0)
  }

  @Test(arguments: SyncCommandTests.stores) func storedDisableMissingAndItsFlags(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    #expect(try setup.run(["settings", "set", "disable_missing", "yes"]).status == 0)
    let plan = try setup.run(["plan", export])
    #expect(plan.stdout.contains("- 1 to disable (1 absent from the export)"), "\(plan.stdout)")
    let without = try setup.run(["plan", export, "--no-disable-missing"])
    #expect(without.stdout.contains("- 0 to disable"), "\(without.stdout)")
    let applied = try setup.run(["apply", export, "--yes"])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(try setup.directoryState().contains("A9,,Old,a9@x.org,100009,S1,Student,,3,Disabled"))
  }

  @Test(arguments: SyncCommandTests.stores) func aPlanMadeBeforeASettingsChangeIsRefused(store: StoreKind) throws {
    let (setup, export) = try Self.setup(store)
    let planFile = setup.scratch.url.appendingPathComponent("saved.plan").path
    #expect(try setup.run(["plan", export, "--disable-missing", "--out", planFile]).status == 0)
    #expect(try setup.run(["settings", "set", "threshold.disable", "0"]).status == 0)
    let refused = try setup.run(["apply", planFile])
    #expect(refused.status == 12)
    #expect(refused.stderr.contains("setting threshold.disable (run 2: changed)"), "\(refused.stderr)")
  }
}

extension SettingsCommandTests {
  /// A settings change while an apply writes: refused as any second writer
  /// is (exit 13), nothing stored.
  @Test(arguments: SyncCommandTests.stores) func aChangeWhileAnApplyWritesExits13(store: StoreKind) throws {
    let setup = try Setup(accounts: 10, creates: 500, store: store)
    let plan = setup.scratch.url.appendingPathComponent("creates.plan").path
    #expect(try setup.run(["plan", setup.export, "--out", plan]).status == 0)
    let apply = try setup.startPausedApply(plan: plan, afterChanges: 200, seconds: 3)
    let refused = try setup.run(["settings", "set", "disable_missing", "yes"])
    apply.waitUntilExit()
    #expect(refused.status == 13)
    #expect(refused.stderr.contains("another apply is writing to this directory"))
    #expect(try setup.run(["settings"]).stdout.contains("disable_missing       no  (default)"))
  }
}
