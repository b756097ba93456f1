import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Every row of SPEC §5's outcome table, and each directory-side outcome.
@Suite struct PlannerTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Cy,,Wu,cy@x.org,1003,S1,Student,,3,Disabled",
    "Di,,Ng,di@x.org,1004,S2,Teacher,Teacher Math,,Active",
    "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
    "Fay,,Po,fay@x.org,1006,S2,Student,,2,Active",
    "Gus,,Qi,gus@x.org,004512,S1,Student,,1,Active",
  ]

  @Test func createWhenNoAccountAndActive() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["New,,Kid,new@x.org,2001,S1,Student,,K,Active"])
    #expect(plan.summary.create == 1)
    let change = try #require(plan.change(line: 2))
    #expect(change.action == .create)
    #expect(change.accountID == nil)
    #expect(change.after[.grade] == "K")
    #expect(plan.rowOutcomes == [.create])
  }

  @Test func nothingToDoWhenNoAccountAndDisabled() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["Old,,Kid,old@x.org,2002,S1,Student,,K,Disabled"])
    #expect(plan.changes.isEmpty)
    #expect(plan.summary.skipped == 1)
    #expect(plan.findings.contains { $0.code == .nothingToDo && $0.line == 2 })
  }

  @Test func updateListsEachFieldAndASchoolMoveIsAnUpdate() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["Ana,,Ruiz-Lopez,ana@x.org,1001,S2,Student,,6,Active"])
    let change = try #require(plan.change(line: 2))
    #expect(change.action == .update)
    #expect(change.changedColumns == [.lastName, .schoolExternalID, .grade])
    #expect(change.before?[.schoolExternalID] == "S1")
    #expect(change.after[.schoolExternalID] == "S2")
    #expect(PlanReport.describe(change).contains("last_name Ruiz → Ruiz-Lopez"))
  }

  @Test func disableWhenActiveAccountIsDisabledInTheExport() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled"])
    #expect(plan.change(line: 2)?.action == .disable)
    #expect(plan.summary.disable == 1)
  }

  @Test func reactivateWithFieldUpdates() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["Cy,,Wu,cy@x.org,1003,S1,Student,,4,Active"])
    let change = try #require(plan.change(line: 2))
    #expect(change.action == .reactivate)
    #expect(change.changedColumns == [.grade, .status])
  }

  @Test func identicalRowIsUnchangedWhateverItsStatus() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan([
      "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "Cy,,Wu,CY@x.org,1003,S1,Student,,3,Disabled",
    ])
    // The email differs in case only: compared without regard to case? No:
    // the address is stored as given, so a case change is an update.
    #expect(plan.rowOutcomes[0] == .unchanged)
    #expect(plan.change(line: 3)?.changedColumns == [.email])
  }

  @Test func emailOfAnUnmanagedAccountProposesAssignID() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(["Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active"])
    let change = try #require(plan.change(line: 2))
    #expect(change.action == .assignID)
    #expect(change.before?[.customID] == "")
    #expect(change.after[.customID] == "1005")
    #expect(plan.summary.assignID == 1)
    #expect(plan.summary.create == 0)
  }

  @Test func emailOfAnotherManagedAccountIsAConflict() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan([
      "Zed,,Zo,bo@x.org,3001,S1,Student,,1,Active",  // new ID, Bo's email, another name: no ID change
      "Ana,,Ruiz,fay@x.org,1001,S1,Student,,5,Active",  // Ana takes Fay's email
    ])
    #expect(plan.changes.isEmpty)
    let conflicts = plan.findings.filter { $0.code == .emailConflict }
    #expect(conflicts.map(\.line) == [2, 3])
    #expect(conflicts[0].message.contains("custom_id 1002"))
    #expect(plan.summary.rowsWithErrors == 2)
  }

  /// An unmanaged account (no custom_id) is named, not "custom_id " with
  /// a blank.
  @Test func emailOfAnUnmanagedAccountSaysSoAndNamesThePerson() throws {
    let fixture = try SyncFixture(accounts: [
      "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "Pat,,Lee,pat@x.org,,S1,Teacher,Math,,Active",
    ])
    let plan = try fixture.plan(["Ana,,Ruiz,pat@x.org,1001,S1,Student,,5,Active"])  // Ana takes Pat's email
    let conflict = try #require(plan.findings.first { $0.code == .emailConflict })
    #expect(conflict.message.contains("Pat Lee"))
    #expect(conflict.message.contains("unmanaged"))
    #expect(!conflict.message.hasSuffix("custom_id "))
  }

  @Test func leadingZerosAreSuggested() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    // Same email: a conflict that explains itself.
    let plan = try fixture.plan(["Gus,,Qi,gus@x.org,4512,S1,Student,,1,Active"])
    let conflict = try #require(plan.findings.first { $0.code == .emailConflict })
    #expect(conflict.suggestedValue == "004512")
    let other = try fixture.plan(["Gus,,Qi,gus.other@x.org,4512,S1,Student,,1,Active"])
    let warning = try #require(other.findings.first { $0.code == .leadingZeros })
    #expect(warning.suggestedValue == "004512")
  }

  @Test func disableMissingIsOptInAndScopedToCoveredOrganizations() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    // Only S1 rows in the export; Bo (S1) is absent; Di and Fay (S2) are out of scope.
    let rows = ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"]
    let off = try fixture.plan(rows)
    #expect(off.summary.disable == 0)
    let on = try fixture.plan(rows, options: PlanOptions(disableMissing: true))
    let disables = on.changes.filter { $0.action == .disable }
    // Bo and Gus (S1, managed, active) are absent; Cy is already disabled; Ed is unmanaged.
    #expect(Set(disables.map(\.customID)) == ["1002", "004512"])
    #expect(disables.allSatisfy { $0.line == nil && $0.reason == "absent from the export" })
  }

  @Test func aRowWithErrorsStillCountsAsPresent() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(
      ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "Bo,,Li,not-an-email,1002,S1,Student,,4,Active"],
      options: PlanOptions(disableMissing: true))
    #expect(!plan.changes.contains { $0.customID == "1002" })
    #expect(plan.summary.rowsWithErrors == 1)
  }

  @Test func unknownBuildingIsAnErrorUntilAnOrganizationGetsTheID() throws {
    let fixture = try SyncFixture(
      organizations: ["DIST,District,district", "S1,Lincoln,school", ",Riverside Academy,school"],
      accounts: ["Ivy,,Ma,ivy@x.org,1101,Riverside Academy,Student,,7,Active"])
    let rows = ["Ivy,,Ma,ivy@x.org,1101,RSA,Student,,7,Active", "Jo,,Na,jo@x.org,1102,RSA,Student,,7,Active"]
    let before = try fixture.plan(rows)
    #expect(before.findings.filter { $0.code == .unknownOrganization }.map(\.line) == [2, 3])
    let academy = try #require(try fixture.directory.organizations().first { $0.name == "Riverside Academy" })
    let after = try fixture.plan(
      rows, decisions: [.setOrganizationExternalID(organizationID: academy.id, externalID: "RSA")])
    #expect(
      after.organizationChanges == [
        OrganizationChange(organizationID: academy.id, name: "Riverside Academy", before: nil, after: "RSA")
      ])
    #expect(after.rowOutcomes == [.unchanged, .create])
  }

  @Test func decisionsEditExcludeRemapAndAssign() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let rows = [
      "Ana,,Ruiz,ana@x.org,1001,S9,Student,,5,Active",  // unknown building S9
      "Bo,,Li,bo@x.org,9999,S1,Student,,4,Active",  // another custom_id, Bo absent: Bo's ID change
      "Kim,,Ro,kim@x.org,3001,S1,Student,,4,Active",  // new: excluded
      "Ed,,Ox,ed.ox@x.org,1005,S1,Teacher,Coach,,Active",  // Ed's account, email changed
    ]
    let plain = try fixture.plan(rows)
    #expect(plain.rowOutcomes == [.error, .idChange, .create, .create])
    let decided = try fixture.plan(
      rows,
      decisions: [
        .remapBuildingID(from: "S9", to: "S1"), .editCustomID(line: 3, customID: "1002"), .exclude(line: 4),
        .assignID(line: 5, accountID: 5),
      ])
    #expect(decided.rowOutcomes == [.unchanged, .unchanged, .excluded, .assignID])
    #expect(decided.change(line: 5)?.accountID == 5)
    #expect(decided.summary.excluded == 1)
  }

  @Test func disablingAWholeSchoolIsFlagged() throws {
    let accounts =
      (1...6).map { "P\($0),,Q,p\($0)@x.org,50\($0),S2,Student,,3,Active" } + [
        "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"
      ]
    let fixture = try SyncFixture(accounts: accounts)
    let plan = try fixture.plan(
      ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "P1,,Q,p1@x.org,501,S2,Student,,3,Disabled"]
        + (2...6).map { "P\($0),,Q,p\($0)@x.org,50\($0),S2,Student,,3,Disabled" })
    let flags = plan.findings.filter { $0.code == .probableBrokenExport }.map(\.message)
    #expect(flags.contains("all active accounts of Roosevelt (6) would be disabled"))
    #expect(flags.contains("all active grade 3 students of Roosevelt (6) would be disabled"))
  }

  /// W044's groups are counted on another thread when rows are planned as
  /// they are read, and inline when planned from a table: both flag the
  /// same clusters, and an account disabled is counted once.
  @Test func missingAccountsOfAWholeUserTypeAreFlaggedTheSameEitherWay() throws {
    let teachers = (1...6).map { "T\($0),,Q,t\($0)@x.org,70\($0),S1,Teacher,Coach,,Active" }
    let students = (1...3).map { "S\($0),,Q,s\($0)@x.org,80\($0),S1,Student,,3,Active" }
    let fixture = try SyncFixture(accounts: teachers + students)
    var options = PlanOptions()
    options.disableMissing = true
    let path = try fixture.export(students)
    let plans = try [false, true].map { keepsRows in
      try PlanPipeline.run(
        PlanPipeline.Input(exportPath: path, options: options, keepsRows: keepsRows), directory: fixture.directory
      ).plan
    }
    let flags = plans.map { $0.findings.filter { $0.code == .probableBrokenExport }.map(\.message) }
    #expect(flags[0] == ["all active Teacher accounts (6) would be disabled"])
    #expect(flags[1] == flags[0])
    #expect(plans.map(\.summary.disable) == [6, 6])
  }

  /// W044 counts each disabled account once, by its index among the
  /// directory's ids (ascending): ids in any order, twice, or unknown.
  @Test func disabledAccountsAreFoundByIDOnceEach() {
    let accountIDs: [Int64] = [2, 3, 5, 8, 13, 21]
    #expect(ClusterCheck.accountIndexes(of: [21, 2, 8, 8, 4, 99, 1, 13, 2], among: accountIDs) == [0, 3, 4, 5])
    #expect(ClusterCheck.accountIndexes(of: [], among: accountIDs) == [])
    #expect(ClusterCheck.accountIndexes(of: [5], among: []) == [])
    #expect(ClusterCheck.accountIndexes(of: [22, 30], among: accountIDs) == [])
  }
}

@Suite struct ThresholdTests {
  @Test func parsesLimits() {
    #expect(Threshold.parse("disable=250,10%") == Threshold(action: .disable, maxCount: 250, maxShare: 0.10))
    #expect(Threshold.parse("assign-id=5") == Threshold(action: .assignID, maxCount: 5, maxShare: nil))
    #expect(Threshold.parse("update=none") == Threshold(action: .update, maxCount: nil, maxShare: nil))
    #expect(Threshold.parse("disable=lots") == nil)
    #expect(Threshold.parse("delete=5") == nil)
  }

  @Test func aPlanOverAThresholdIsHeldUntilOverridden() throws {
    let accounts = (1...20).map { "P\($0),,Q,p\($0)@x.org,\(600 + $0),S1,Student,,3,Active" }
    let fixture = try SyncFixture(accounts: accounts)
    // 3 of 20 disabled = 15% > 10%.
    let rows = (1...20).map { "P\($0),,Q,p\($0)@x.org,\(600 + $0),S1,Student,,3,\($0 <= 3 ? "Disabled" : "Active")" }
    let plan = try fixture.plan(
      rows, options: PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 100, maxShare: 0.10)]))
    // Below the minimum count for shares (6): not held.
    #expect(!plan.isHeld)
    let strict = try fixture.plan(
      rows, options: PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 2, maxShare: nil)]))
    #expect(strict.isHeld)
    #expect(strict.holds.first?.message == "3 disable of 20 managed accounts in scope (15%): more than 2 by 1")
    let before = try fixture.accountLines()
    #expect(throws: ApplyRefusal.held(strict.holds)) { _ = try fixture.directory.apply(strict) }
    #expect(try fixture.accountLines() == before)
    let overridden = try fixture.plan(
      rows,
      options: PlanOptions(
        thresholds: [Threshold(action: .disable, maxCount: 2, maxShare: nil)], overrideThresholds: true))
    #expect(!overridden.isHeld)
    guard case .applied(let run) = try fixture.directory.apply(overridden) else {
      Issue.record("not applied")
      return
    }
    #expect(run.counts["disable"] == 3)
  }

  @Test func sharesHoldBeyondTheMinimumCount() throws {
    let accounts = (1...40).map { "P\($0),,Q,p\($0)@x.org,\(700 + $0),S1,Student,,3,Active" }
    let fixture = try SyncFixture(accounts: accounts)
    let rows = (1...40).map { "P\($0),,Q,p\($0)@x.org,\(700 + $0),S1,Student,,3,\($0 <= 8 ? "Disabled" : "Active")" }
    let plan = try fixture.plan(rows)
    #expect(plan.isHeld)
    #expect(plan.holds.first?.message == "8 disable of 40 managed accounts in scope (20%): more than 10% by 4")
  }
}
