import Foundation
import StoreKinds
import Testing

@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

/// Issue 15: the lifecycle rules together. Each item has its own tests;
/// these show what happens where two meet — a pending disable whose
/// person comes back under a new custom_id, and a protected account that
/// is missing past the grace.
@Suite struct LifecycleInteractionTests {
  private func applied(_ outcome: ApplyOutcome) -> RunRecord? {
    if case .applied(let run) = outcome { return run }
    return nil
  }

  private func pending(_ fixture: SyncFixture) throws -> [String] {
    let snapshot = try fixture.directory.snapshot()
    return try fixture.directory.read { try $0.pendingDisables() }.compactMap { record in
      snapshot.accountIndex(id: record.accountID).map { snapshot.accounts.value(row: $0, column: .customID) }
    }
  }

  /// Bo is missing one night (pending), then comes back re-numbered: the
  /// re-key is his ID change, and it ends his pending disable — never a
  /// create plus a later disable.
  @Test(arguments: StoreKind.allCases) func aPendingPersonBackUnderANewIDIsAnIDChangeThatClearsIt(store: StoreKind)
    throws
  {
    let fixture = try SyncFixture(accounts: GraceBeforeDisableTests.accounts, store: store)
    let night = try fixture.plan(GraceBeforeDisableTests.gap, options: GraceBeforeDisableTests.options(day: 1))
    _ = try #require(applied(try fixture.directory.apply(night)))
    #expect(try pending(fixture) == ["2001", "2002"])

    let renumbered = GraceBeforeDisableTests.accounts[2].replacingOccurrences(of: ",2001,", with: ",9001,")
    var options = GraceBeforeDisableTests.options(day: 3)
    options.acceptIDChanges = true
    let back = try fixture.plan(GraceBeforeDisableTests.gap + [renumbered], options: options)
    #expect(back.summary.idChange == 1)
    #expect(back.summary.create == 0 && back.summary.disable == 0)
    #expect(back.changes.first { $0.action == .idChange }?.customID == "9001")
    #expect(back.clearedPendingDisables.map(\.customID) == ["2001"])
    #expect(back.pendingDisables.map(\.customID) == ["2002"])
    _ = try #require(applied(try fixture.directory.apply(back)))
    #expect(try pending(fixture) == ["2002"])
    #expect(try fixture.accountLines().contains("Bo,,Li,bo@x.org,9001,S2,Student,,4,Active"))
  }

  /// Protection outlasts the grace: a protected account missing past it
  /// is held back (never disabled) and keeps its pending record, so the
  /// disable comes only once the protection is lifted.
  @Test(arguments: StoreKind.allCases) func aProtectedAccountMissingPastTheGraceIsHeldBackNotDisabled(
    store: StoreKind
  ) throws {
    let fixture = try SyncFixture(accounts: GraceBeforeDisableTests.accounts, store: store)
    let night = try fixture.plan(GraceBeforeDisableTests.gap, options: GraceBeforeDisableTests.options(day: 1))
    _ = try #require(applied(try fixture.directory.apply(night)))
    try #require(try fixture.directory.protect(.customID("2001"), reason: "medical leave", until: nil) != nil)

    var late = GraceBeforeDisableTests.options(day: 16)
    late.protections = PlanProtections(
      records: try fixture.directory.read { try $0.protections() }, today: "2025-03-17")
    let plan = try fixture.plan(GraceBeforeDisableTests.gap, options: late)
    #expect(plan.changes.map(\.customID) == ["2002"])
    #expect(plan.heldBack.map(\.would.customID) == ["2001"])
    #expect(plan.heldBack.first?.would.action == .disable)
    _ = try #require(applied(try fixture.directory.apply(plan)))
    #expect(try fixture.accountLines().contains("Bo,,Li,bo@x.org,2001,S2,Student,,4,Active"))
    #expect(try pending(fixture) == ["2001"])

    // Unprotected, the next run past the grace disables him.
    try #require(try fixture.directory.unprotect(.customID("2001")) != nil)
    var after = GraceBeforeDisableTests.options(day: 17)
    after.protections = PlanProtections(records: [], today: "2025-03-18")
    let lifted = try fixture.plan(GraceBeforeDisableTests.gap, options: after)
    #expect(lifted.changes.map(\.customID) == ["2001"])
    _ = try #require(applied(try fixture.directory.apply(lifted)))
    #expect(try fixture.accountLines().contains("Bo,,Li,bo@x.org,2001,S2,Student,,4,Disabled"))
    #expect(try pending(fixture).isEmpty)
  }
}
