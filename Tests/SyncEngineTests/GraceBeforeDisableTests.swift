import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Issue 15, item 2: an account absent from the export waits out a grace
/// before it is disabled; committed runs record and clear it.
@Suite struct GraceBeforeDisableTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Tia,,Moe,tia@x.org,T1,S1,Teacher,,,Active",
    "Bo,,Li,bo@x.org,2001,S2,Student,,4,Active",
    "Cy,,Do,cy@x.org,2002,S2,Student,,4,Active",
    "Ed,,Ox,ed@x.org,T2,S2,Teacher,,,Active",
  ]
  /// Every account, as the directory has it.
  static let full = accounts
  /// Roosevelt's (S2) students missing for a night; its teacher still listed.
  static let gap = [accounts[0], accounts[1], accounts[4]]

  /// Midnight of day `day` (day 0: 2025-03-01).
  static func day(_ day: Int, hour: Int = 2) -> Date {
    Date(timeIntervalSince1970: 1_740_787_200 + Double(day * 86_400 + hour * 3_600))
  }

  static func options(day: Int, grace: String = "14d", thresholds: [Threshold] = []) -> PlanOptions {
    var options = PlanOptions(disableMissing: true, thresholds: thresholds)
    options.disableGrace = GraceDuration(grace)!
    options.now = Self.day(day)
    return options
  }

  private func pending(_ fixture: SyncFixture) throws -> [PendingDisableRecord] {
    try fixture.directory.read { try $0.pendingDisables() }
  }

  private func applied(_ outcome: ApplyOutcome) -> RunRecord? {
    if case .applied(let run) = outcome { return run }
    return nil
  }

  @Test(arguments: StoreKind.allCases) func aOneNightGapDisablesNoOne(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let night = try fixture.plan(Self.gap, options: Self.options(day: 1))
    #expect(night.summary.disable == 0)
    #expect(night.changes.isEmpty)
    #expect(night.pendingDisables.map(\.customID) == ["2001", "2002"])
    #expect(night.pendingDisables.allSatisfy { $0.isNew && $0.missingSince == "2025-03-02T02:00:00Z" })
    #expect(night.pendingDisables.first?.disableAfter == "2025-03-16T02:00:00Z")
    #expect(night.pendingDisables.first?.daysLeft(at: Self.day(1)) == 14)
    // Planning records nothing: only the committed run does.
    #expect(try pending(fixture).isEmpty)
    let run = try #require(applied(try fixture.directory.apply(night)))
    #expect(run.counts == [RecordedChange.pendingDisableAction: 2, RunRecord.unchangedRows: 3])
    #expect(try pending(fixture).map(\.missingSince) == ["2025-03-02T02:00:00Z", "2025-03-02T02:00:00Z"])
    #expect(try pending(fixture).allSatisfy { $0.runID == run.id })
    // The next night they are back: cleared, nobody disabled.
    let back = try fixture.plan(Self.full, options: Self.options(day: 2))
    #expect(back.changes.isEmpty)
    #expect(back.clearedPendingDisables.map(\.customID) == ["2001", "2002"])
    _ = try #require(applied(try fixture.directory.apply(back)))
    #expect(try pending(fixture).isEmpty)
    #expect(try fixture.accountLines().filter { $0.hasSuffix("Disabled") }.isEmpty)
  }

  @Test(arguments: StoreKind.allCases) func stillMissingAfterTheGraceIsDisabled(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    _ = try #require(applied(try fixture.directory.apply(try fixture.plan(Self.gap, options: Self.options(day: 1)))))
    // A week later: still waiting, nothing to record again.
    let week = try fixture.plan(Self.gap, options: Self.options(day: 8))
    #expect(week.changes.isEmpty && !week.hasChanges)
    #expect(week.pendingDisables.map { $0.daysLeft(at: Self.day(8)) } == [7, 7])
    #expect(week.pendingDisables.allSatisfy { !$0.isNew })
    // 15 days after: disabled, and their records gone.
    let late = try fixture.plan(Self.gap, options: Self.options(day: 16))
    #expect(late.summary.disable == 2)
    #expect(late.changes.map(\.customID) == ["2001", "2002"])
    #expect(late.pendingDisables.isEmpty)
    _ = try #require(applied(try fixture.directory.apply(late)))
    #expect(try fixture.accountLines().contains("Bo,,Li,bo@x.org,2001,S2,Student,,4,Disabled"))
    #expect(try pending(fixture).isEmpty)
  }

  @Test(arguments: StoreKind.allCases) func theSameExportTwiceOnOneDayChangesNothingTheSecondTime(store: StoreKind)
    throws
  {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let first = try fixture.plan(Self.gap, options: Self.options(day: 1))
    _ = try #require(applied(try fixture.directory.apply(first)))
    let recorded = try pending(fixture)
    var later = Self.options(day: 1)
    later.now = Self.day(1, hour: 9)
    let second = try fixture.plan(Self.gap, options: later)
    #expect(!second.hasChanges)
    guard case .nothingToApply = try fixture.directory.apply(second) else {
      Issue.record("the second apply changed something")
      return
    }
    #expect(try pending(fixture) == recorded)
    // The first plan again is "already applied", not stale.
    #expect(throws: PlanAlreadyApplied.self) { try fixture.directory.apply(first) }
  }

  @Test(arguments: StoreKind.allCases) func thresholdsCountTheDisablesAfterTheGrace(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let limit = [Threshold(action: .disable, maxCount: 1, maxShare: nil)]
    let night = try fixture.plan(Self.gap, options: Self.options(day: 1, thresholds: limit))
    #expect(night.holds.isEmpty)
    _ = try #require(applied(try fixture.directory.apply(night)))
    let late = try fixture.plan(Self.gap, options: Self.options(day: 16, thresholds: limit))
    #expect(late.isHeld)
    #expect(late.holds.map(\.count) == [2])
  }

  @Test(arguments: StoreKind.allCases) func revertsUndoWhatTheGraceRecorded(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let recording = try #require(
      applied(try fixture.directory.apply(try fixture.plan(Self.gap, options: Self.options(day: 1)))))
    let disabling = try #require(
      applied(try fixture.directory.apply(try fixture.plan(Self.gap, options: Self.options(day: 16)))))
    // Reverting the disabling run re-enables and puts the pending disables back.
    _ = try fixture.directory.revert(runID: disabling.id)
    #expect(try fixture.accountLines().filter { $0.hasSuffix("Disabled") }.isEmpty)
    #expect(try pending(fixture).map(\.runID) == [recording.id, recording.id])
    // Reverting the run that recorded them removes them.
    let revert = try fixture.directory.revert(runID: recording.id)
    #expect(revert.reverted.count == 2)
    #expect(try pending(fixture).isEmpty)
  }

  @Test func aZeroGraceDisablesAtOnceAsBefore() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(Self.gap, options: Self.options(day: 1, grace: "0"))
    #expect(plan.summary.disable == 2)
    #expect(plan.pendingDisables.isEmpty)
  }

  @Test func theFlagOverridesTheSettingAndImpliesDisableMissing() throws {
    let settings = DirectorySettings(stored: [SettingsRegistry.disableGraceKey: "3d"])
    #expect(settings.planOptions().disableGrace == GraceDuration("3d"))
    #expect(!settings.planOptions().disableMissing)
    let flagged = settings.planOptions(disableGrace: GraceDuration("36h"))
    #expect(flagged.disableGrace.seconds == 36 * 3_600)
    #expect(flagged.disableMissing && flagged.disableGraceOrigin == .flag)
    #expect(GraceDuration("14d")?.description == "14d")
    #expect(GraceDuration("2w") == nil && GraceDuration("-1d") == nil)
    #expect(try SettingsRegistry.definition("disable_grace").checked("14D") == "14d")
  }

  @Test func thePlanReportListsPendingDisables() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(Self.gap, options: Self.options(day: 1))
    let validation = try ExportValidator.validate(file: try fixture.export(Self.gap))
    let json = PlanReport.json(plan, validation: validation)
    #expect(json.contains("\"pending_disables\":[{\"account_id\":3,\"custom_id\":\"2001\""))
    #expect(json.contains("\"disable_after\":\"2025-03-16T02:00:00Z\""))
    #expect(json.contains("\"pending_disable\":2"))
    let text = PlanReport.text(plan, validation: validation, directoryPath: "d")
    #expect(text.contains("2 pending disable (absent; grace 14d), 2 first found missing"))
    #expect(
      text.contains("2001  missing since 2025-03-02T02:00:00Z, disabled after 2025-03-16T02:00:00Z (14 days left)"))
  }
}
