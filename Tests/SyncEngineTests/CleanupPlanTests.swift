import Foundation
import Testing

@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

@Suite struct CleanupPlanTests {
  /// Three seniors (one disabled already, one unmanaged), a junior, a teacher.
  private func school() throws -> SyncFixture {
    try SyncFixture(accounts: [
      "Ann,,Lee,ann@x.org,1001,S1,Student,,12,Active",
      "Bob,,Ray,bob@x.org,1002,S1,Student,,12,Active",
      "Cal,,Fox,cal@x.org,1003,S1,Student,,12,Disabled",
      "Dee,,Kim,dee@x.org,,S1,Student,,12,Active",
      "Eve,,Poe,eve@x.org,1005,S1,Student,,11,Active",
      "Flo,,Ash,flo@x.org,1006,S2,Teacher,Math,,Active",
    ])
  }

  @Test func theFilterReadsEveryTermAndNamesTheColumnOfABadOne() throws {
    let filter = try CleanupFilter.parse(
      "school:S1 type:student grade:11,12 status:Active managed:yes changed-before:2026-01-01 never-exported")
    #expect(filter.schools == ["S1"] && filter.userTypes == ["Student"] && filter.grades == ["11", "12"])
    #expect(filter.statuses == ["Active"] && filter.managed == true && filter.changedBefore == "2026-01-01")
    #expect(filter.neverExported && filter.needsHistory)
    #expect(
      filter.text
        == "school:S1 type:Student grade:11,12 status:Active managed:yes changed-before:2026-01-01 never-exported")
    #expect(throws: CleanupFilterError(message: "filter column 11: 'grade:13': '13' is not a known grade")) {
      try CleanupFilter.parse("school:S1 grade:13")
    }
    #expect(throws: CleanupFilterError.self) { try CleanupFilter.parse("colour:red") }
    #expect(throws: CleanupFilterError.self) { try CleanupFilter.parse("changed-before:2026-13-01") }
    #expect(throws: CleanupFilterError.self) { try CleanupFilter.parse("managed:maybe") }
  }

  @Test func theFilterSelectsBySchoolTypeGradeStatusAndManaged() throws {
    let fixture = try school()
    let snapshot = try fixture.directory.snapshot()
    func emails(_ text: String) throws -> [String] {
      try CleanupFilter.parse(text).accounts(in: snapshot, history: nil).map { snapshot.values(ofAccount: $0)[.email] }
    }
    #expect(try emails("school:S1 grade:12") == ["ann@x.org", "bob@x.org", "cal@x.org", "dee@x.org"])
    #expect(try emails("school:S1 grade:12 status:Active managed:yes") == ["ann@x.org", "bob@x.org"])
    #expect(try emails("managed:no") == ["dee@x.org"])
    #expect(try emails("school:Roosevelt type:Teacher") == ["flo@x.org"])
  }

  @Test func disablingAGraduatingClassIsOneRunThatReverts() throws {
    let fixture = try school()
    let before = try fixture.accountLines()
    let snapshot = try fixture.directory.snapshot()
    let accounts = try CleanupFilter.parse("school:S1 grade:12").accounts(in: snapshot, history: nil)
    let outcome = try CleanupPlan.plan(
      accounts: accounts, action: .disable, description: "school:S1 grade:12 → disable", directory: snapshot)
    #expect(outcome.plan.changes.map(\.customID) == ["1001", "1002"])
    #expect(outcome.plan.changes.allSatisfy { $0.action == .disable && $0.after[.status] == "Disabled" })
    #expect(outcome.plan.summary.unchanged == 1)  // Cal is disabled already
    #expect(outcome.leftOut.map(\.accountID) == [snapshot.accountIDs[3]])  // Dee has no custom_id
    #expect(outcome.plan.managedAccountsInScope == 4 && !outcome.plan.isHeld)
    guard case .applied(let run) = try fixture.directory.apply(outcome.plan) else {
      Issue.record("not applied")
      return
    }
    #expect(run.counts["disable"] == 2 && CleanupPlan.isCleanupSource(run.exportPath))
    #expect(try fixture.accountLines() != before)
    _ = try fixture.directory.revert(runID: run.id)
    #expect(try fixture.accountLines() == before)
  }

  @Test func movesAndGradesAreUpdatesAndAnUnknownBuildingOrGradeIsRefused() throws {
    let fixture = try school()
    let snapshot = try fixture.directory.snapshot()
    let seniors = try CleanupFilter.parse("grade:12 managed:yes").accounts(in: snapshot, history: nil)
    let move = try CleanupPlan.plan(accounts: seniors, action: .moveTo("S2"), description: "move", directory: snapshot)
    #expect(move.plan.changes.count == 3 && move.plan.changes.allSatisfy { $0.after[.schoolExternalID] == "S2" })
    guard case .applied = try fixture.directory.apply(move.plan) else {
      Issue.record("not applied")
      return
    }
    let moved = try fixture.directory.snapshot()
    #expect(try CleanupFilter.parse("school:S2 grade:12").accounts(in: moved, history: nil).count == 3)
    #expect(throws: CleanupError.self) {
      try CleanupPlan.plan(accounts: seniors, action: .moveTo("S9"), description: "", directory: snapshot)
    }
    #expect(throws: CleanupError.self) {
      try CleanupPlan.plan(accounts: seniors, action: .setGrade("13"), description: "", directory: snapshot)
    }
    let grade = try CleanupPlan.plan(accounts: [4], action: .setGrade("12"), description: "", directory: moved)
    #expect(grade.plan.changes.map(\.after[.grade]) == ["12"] && grade.plan.changes[0].action == .update)
  }

  @Test func aThresholdHoldsACleanupUntilOverridden() throws {
    let fixture = try school()
    let snapshot = try fixture.directory.snapshot()
    let limit = [Threshold(action: .disable, maxCount: 1, maxShare: nil)]
    let held = try CleanupPlan.plan(
      accounts: [0, 1], action: .disable, description: "", directory: snapshot,
      options: PlanOptions(thresholds: limit))
    #expect(held.plan.isHeld)
    #expect(throws: ApplyRefusal.self) { _ = try fixture.directory.apply(held.plan) }
    let overridden = try CleanupPlan.plan(
      accounts: [0, 1], action: .disable, description: "", directory: snapshot,
      options: PlanOptions(thresholds: limit, overrideThresholds: true))
    #expect(!overridden.plan.isHeld)
  }

  @Test func historyTermsUseRunsDatesAndExports() throws {
    let fixture = try school()
    // Bob is changed by an export's run.
    let plan = try fixture.plan(["Bob,,Ray,bob@x.org,1002,S1,Student,,11,Active"])
    _ = try fixture.directory.apply(plan)
    let snapshot = try fixture.directory.snapshot()
    func selected(_ text: String) throws -> [String] {
      let filter = try CleanupFilter.parse(text)
      let history = try CleanupHistory.read(for: filter, from: fixture.directory)
      return filter.accounts(in: snapshot, history: history).map { snapshot.values(ofAccount: $0)[.customID] }
    }
    #expect(try selected("managed:yes never-exported") == ["1001", "1003", "1005", "1006"])
    // Before any run: nothing was changed that early (the import is a run too).
    #expect(try selected("changed-before:2000-01-01").isEmpty)
    // Far ahead: every account's last change was before it.
    #expect(try selected("changed-before:2999-01-01").count == 6)
  }

  @Test func threeHundredLinesFiveAmbiguousFiveUnmatchedAssignTwoHundredNinetyInOneRunThatReverts() throws {
    var accounts = (0..<290).map { "F\($0),,L\($0),p\($0)@x.org,,S1,Student,,5,Active" }
    // Five pairs of namesakes in one building.
    for pair in 0..<5 {
      accounts += (0..<2).map { "Twin\(pair),,Same,twin\(pair)-\($0)@x.org,,S1,Student,,5,Active" }
    }
    let fixture = try SyncFixture(accounts: accounts)
    let before = try fixture.accountLines()
    var lines = ["custom_id,email,first_name,last_name,building"]
    lines += (0..<280).map { "ID\($0),P\($0)@x.org,,," }  // email, in another case
    lines += (280..<290).map { "ID\($0),,F\($0),L\($0),S1" }  // name and building
    lines += (0..<5).map { "T\($0),,Twin\($0),Same,S1" }  // two accounts each
    lines += (0..<5).map { "U\($0),nobody\($0)@x.org,,," }  // no one
    let path = try SyncFixture.write(fixture.folder, "ids.csv", lines)
    let list = try AssignIDsList.read(path: path)
    #expect(list.count == 300)
    let outcome = AssignIDsPlan.plan(
      lines: list, source: path, sourceSHA256: "sha", directory: try fixture.directory.snapshot(),
      options: PlanOptions(overrideThresholds: true))
    #expect(outcome.plan.changes.count == 290 && outcome.plan.changes.allSatisfy { $0.action == .assignID })
    #expect(outcome.problems.map(\.line) == Array(292...301))
    #expect(
      outcome.problems.prefix(5).allSatisfy { $0.kind == .ambiguous && $0.reason.hasPrefix("2 unmanaged accounts") })
    #expect(outcome.problems.suffix(5).allSatisfy { $0.kind == .unmatched && $0.reason == "no account has this email" })
    guard case .applied(let run) = try fixture.directory.apply(outcome.plan) else {
      Issue.record("not applied")
      return
    }
    #expect(run.counts["assign_id"] == 290)
    let snapshot = try fixture.directory.snapshot()
    #expect(snapshot.account(customID: "ID285").map { snapshot.values(ofAccount: $0)[.email] } == "p285@x.org")
    _ = try fixture.directory.revert(runID: run.id)
    #expect(try fixture.accountLines() == before)
  }

  @Test func aListLineThatCannotBeReadNamesFileLineAndColumn() throws {
    let fixture = try SyncFixture(accounts: [])
    let path = try SyncFixture.write(fixture.folder, "ids.csv", ["custom_id,email", "A1,a@x.org", ",b@x.org", "A3"])
    #expect(
      throws: CleanupError(
        message: "\(path):3:1: custom_id is empty\n\(path):4:1: expected 2 fields as in the header, found 1")
    ) {
      try AssignIDsList.read(path: path)
    }
    let noKeys = try SyncFixture.write(fixture.folder, "bad.csv", ["custom_id,first_name", "A1,Ann"])
    #expect(throws: CleanupError.self) { try AssignIDsList.read(path: noKeys) }
  }
}
