import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Settings stored in the directory (issue 15, item 0): checked through the
/// registry, each change a run (history, revert, a new state), and read by
/// the plans that follow, a flag over them for one run only.
@Suite struct SettingsTests {
  /// Ten students at Lincoln.
  static let students = (0..<10).map { "S\($0),,Pupil,s\($0)@x.org,\(1000 + $0),S1,Student,,3,Active" }

  static func fixture(_ store: StoreKind) throws -> SyncFixture {
    try SyncFixture(accounts: students, store: store)
  }

  static func settings(_ fixture: SyncFixture) throws -> DirectorySettings {
    try fixture.directory.settings().settings
  }

  // MARK: - The registry

  @Test func valuesAreCheckedAndStoredInOneSpelling() throws {
    let disable = try SettingsRegistry.definition("threshold.disable")
    #expect(try disable.checked(" 500, 20% ") == "500,20%")
    #expect(try disable.checked("20%") == "20%")
    #expect(try disable.checked("none") == "off")
    #expect(try disable.checked("off") == "off")
    #expect(try SettingsRegistry.definition("disable_missing").checked("YES") == "yes")
    #expect(throws: SettingError.self) { try disable.checked("") }
    #expect(throws: SettingError.self) { try disable.checked("500,120%") }
    #expect(throws: SettingError.self) { try disable.checked("-1") }
  }

  @Test func aBadKeyOrValueIsRefusedNamingTheKeyAndWhatItExpects() throws {
    let badKey = #expect(throws: SettingError.self) { try SettingsRegistry.definition("threshold.delete") }
    #expect(badKey?.message.contains("there is no setting 'threshold.delete'") == true)
    #expect(badKey?.message.contains("threshold.disable") == true)
    let badValue = #expect(throws: SettingError.self) {
      try SettingsRegistry.definition("threshold.disable").checked("lots")
    }
    #expect(
      badValue?.message == "'lots' is not a value of setting threshold.disable: expected "
        + "COUNT,PERCENT% (either part may be left out) or off (default 250,10%)")
    let badYesNo = #expect(throws: SettingError.self) {
      try SettingsRegistry.definition("disable_missing").checked("maybe")
    }
    #expect(badYesNo?.message.contains("yes or no") == true)
  }

  @Test func theDefaultsAreTheBuiltInOnes() {
    let settings = DirectorySettings()
    #expect(settings.planOptions().thresholds == PlanOptions().thresholds)
    #expect(settings.planOptions().thresholds == Threshold.defaults)
    #expect(Set(settings.planOptions().thresholdOrigins.values) == [.builtIn])
    #expect(settings.planOptions().disableMissing == false)
    #expect(Set(SettingsRegistry.all.map(\.key)).count == SettingsRegistry.all.count)
  }

  @Test func aStoredValueThisVersionCannotReadStopsRuns() {
    let settings = DirectorySettings(stored: ["threshold.disable": "lots", "future.key": "1"])
    let error = #expect(throws: SettingError.self) { try settings.check() }
    #expect(error?.message.contains("threshold.disable holds 'lots'") == true)
    #expect(settings.unknownKeys == ["future.key"])
    let listed = SettingsReport.text(settings)
    #expect(listed.contains("threshold.disable     lots  (stored; not a value of this setting"))
    #expect(listed.contains("future.key  1  (stored; unknown to this version of sis-sync, not used)"))
  }

  @Test(arguments: StoreKind.allCases) func aSettingWrittenInAFailedTransactionIsRolledBack(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try fixture.directory.write { directory in
        _ = try directory.moveToNewState()
        try directory.setSetting("threshold.disable", to: "1")
        throw Failure()
      }
    }
    #expect(try fixture.directory.read { try $0.settings() } == [:])
  }

  // MARK: - Stored, recorded, reverted

  @Test(arguments: StoreKind.allCases) func aChangeIsStoredAsARunAndRenewsTheState(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let before = try fixture.directory.state
    let run = try #require(try fixture.directory.changeSetting("threshold.disable", to: "500,20%"))
    #expect(run.exportPath == "sis-sync settings: set threshold.disable 500,20%")
    #expect(run.counts == [RecordedChange.settingAction: 1])
    let after = try fixture.directory.state
    #expect(after.generation == before.generation + 1)
    #expect(after.token != before.token)
    #expect(try Self.settings(fixture).value("threshold.disable") == ("500,20%", .stored))
    let (_, changes) = try #require(try fixture.directory.run(id: run.id))
    #expect(changes.map(RunReport.describe) == ["  changed setting threshold.disable: (default) → 500,20%"])
    // The same value again changes nothing and records nothing.
    #expect(try fixture.directory.changeSetting("threshold.disable", to: "500, 20%") == nil)
    #expect(try fixture.directory.state == after)

    let unset = try #require(try fixture.directory.changeSetting("threshold.disable", to: nil))
    #expect(unset.exportPath == "sis-sync settings: unset threshold.disable")
    #expect(try Self.settings(fixture).value("threshold.disable") == ("250,10%", .builtIn))
    #expect(try fixture.directory.read { try $0.settings() } == [:])
    #expect(try fixture.directory.runs().map(\.id).prefix(2) == [unset.id, run.id])
  }

  @Test(arguments: StoreKind.allCases) func aBadKeyOrValueChangesNothing(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let state = try fixture.directory.state
    #expect(throws: SettingError.self) { try fixture.directory.changeSetting("threshold.nope", to: "1") }
    #expect(throws: SettingError.self) { try fixture.directory.changeSetting("disable_missing", to: "perhaps") }
    #expect(try fixture.directory.state == state)
    #expect(try fixture.directory.runs().count == 1)
  }

  @Test(arguments: StoreKind.allCases) func revertRestoresThePreviousValue(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let first = try #require(try fixture.directory.changeSetting("threshold.disable", to: "5"))
    let second = try #require(try fixture.directory.changeSetting("threshold.disable", to: "7,50%"))
    let token = try fixture.directory.state.token
    let undone = try fixture.directory.revert(runID: second.id)
    #expect(undone.reverted.count == 1)
    #expect(try Self.settings(fixture).value("threshold.disable") == ("5", .stored))
    #expect(try fixture.directory.state.token != token)
    // The first run's value was changed since by the second (its revert
    // put it back): reverting the first now restores the default.
    _ = try fixture.directory.revert(runID: first.id)
    #expect(try Self.settings(fixture).value("threshold.disable") == ("250,10%", .builtIn))
    #expect(try fixture.directory.read { try $0.settings() } == [:])
  }

  @Test(arguments: StoreKind.allCases) func revertKeepsASettingChangedSince(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let first = try #require(try fixture.directory.changeSetting("disable_missing", to: "yes"))
    _ = try fixture.directory.changeSetting("disable_missing", to: "no")
    let result = try fixture.directory.revert(runID: first.id)
    #expect(result.reverted.isEmpty)
    #expect(result.kept.count == 1)
    #expect(try Self.settings(fixture).value("disable_missing") == ("no", .stored))
  }

  // MARK: - Plans read them

  /// An export listing the first `listed` students (the rest are missing).
  static func plan(_ fixture: SyncFixture, listing listed: Int, flags: [Threshold] = [], disableMissing: Bool? = true)
    throws -> Plan
  {
    let options = try settings(fixture).planOptions(disableMissing: disableMissing, thresholds: flags)
    return try fixture.plan(Array(students.prefix(listed)), options: options)
  }

  @Test(arguments: StoreKind.allCases) func aStoredDisableThresholdHoldsWhatTheDefaultWouldNot(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    // One of ten missing: under the default (250, 10%) it goes through.
    #expect(try Self.plan(fixture, listing: 9).isHeld == false)
    _ = try fixture.directory.changeSetting("threshold.disable", to: "0")
    let held = try Self.plan(fixture, listing: 9)
    #expect(held.isHeld)
    #expect(held.holds.map(\.threshold) == [Threshold(action: .disable, maxCount: 0, maxShare: nil)])
    #expect(held.options.thresholdOrigins[.disable] == .stored)
    #expect(PlanReport.origin(of: held.holds[0], in: held) == "the directory's setting threshold.disable")
    // A flag overrides it for that run only.
    let flagged = try Self.plan(fixture, listing: 9, flags: [Threshold.parse("disable=5")!])
    #expect(flagged.isHeld == false)
    #expect(flagged.options.thresholdOrigins[.disable] == .flag)
    #expect(try Self.plan(fixture, listing: 9).isHeld)
    // Unset: back to the default.
    _ = try fixture.directory.changeSetting("threshold.disable", to: nil)
    let unset = try Self.plan(fixture, listing: 9)
    #expect(unset.isHeld == false)
    #expect(unset.options.thresholdOrigins[.disable] == .builtIn)
  }

  @Test(arguments: StoreKind.allCases) func aStoredThresholdLetsThroughWhatTheDefaultHolds(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    // Seven of ten missing: 70% is over the default's 10%.
    #expect(try Self.plan(fixture, listing: 3).isHeld)
    _ = try fixture.directory.changeSetting("threshold.disable", to: "off")
    let plan = try Self.plan(fixture, listing: 3)
    #expect(plan.summary.disable == 7)
    #expect(plan.isHeld == false)
    #expect(plan.options.thresholds.contains { $0.action == .disable } == false)
  }

  @Test(arguments: StoreKind.allCases) func storedDisableMissingIsUsedUnlessAFlagSaysOtherwise(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    #expect(try Self.plan(fixture, listing: 9, disableMissing: nil).summary.disable == 0)
    _ = try fixture.directory.changeSetting("disable_missing", to: "yes")
    #expect(try Self.plan(fixture, listing: 9, disableMissing: nil).summary.disable == 1)
    #expect(try Self.plan(fixture, listing: 9, disableMissing: false).summary.disable == 0)
  }

  @Test(arguments: StoreKind.allCases) func aPlanMadeBeforeASettingsChangeIsRefusedAsStale(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let plan = try Self.plan(fixture, listing: 9)
    let run = try #require(try fixture.directory.changeSetting("threshold.disable", to: "0"))
    let error = #expect(throws: ApplyRefusal.self) { try fixture.directory.apply(plan) }
    #expect(error?.staleChanges == ["setting threshold.disable (run \(run.id): changed)"])
    #expect(error.map { "\($0)" }?.contains("(1 setting)") == true)
    // Its revert makes a plan made before it stale too, and says so.
    let again = try Self.plan(fixture, listing: 10)
    let revert = try fixture.directory.revert(runID: run.id)
    let refused = #expect(throws: ApplyRefusal.self) { try fixture.directory.apply(again) }
    #expect(refused?.staleChanges == ["setting threshold.disable (run \(revert.run.id): revert of run \(run.id))"])
  }

  @Test(arguments: StoreKind.allCases) func aCleanupReadsTheStoredThresholds(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let snapshot = try fixture.directory.snapshot()
    _ = try fixture.directory.changeSetting("threshold.disable", to: "1")
    let options = try Self.settings(fixture).planOptions()
    let outcome = try CleanupPlan.plan(
      accounts: [0, 1], action: .disable, description: "two", directory: snapshot, options: options)
    #expect(outcome.plan.isHeld)
  }
}
