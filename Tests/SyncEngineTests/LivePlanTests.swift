import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// A review's plan is updated decision by decision, re-planning only the
/// rows a decision touches. It must always equal planning from scratch with
/// the same decisions.
@Suite struct LivePlanTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Cy,,Wu,cy@x.org,1003,S2,Student,,3,Disabled",
    "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
    "Fay,,Po,fay@x.org,1006,S2,Student,,2,Active",
    "Ivy,,Ma,ivy@x.org,1101,Riverside Academy,Student,,7,Active",
  ]
  static let rows = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",  // 2 update
    "Bo,,Li,bo@x.org,1001,S1,Student,,4,Active",  // 3 duplicate custom_id with line 2
    "Cy,,Wu,cy@x.org,1003,S9,Student,,3,Active",  // 4 unknown building S9
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",  // 5 assign ID
    "New,,Kid,new@x.org,2001,S2,Student,,K,Active",  // 6 create
    "Ivy,,Ma,ivy@x.org,1101,RSA,Student,,7,Active",  // 7 unknown until RSA is set
    "Old,,Kid,old@x.org,2002,S1,Student,,K,Disabled",  // 8 nothing to do
    "Zed,,Zo,zed@x.org,3001,S1,Student,,1,Active",  // 9 create
    "Dup,,Mail,ZED@x.org,3002,S1,student,,1,Active",  // 10 duplicate email with line 9; case warning
  ]

  private func compare(_ fixture: SyncFixture, decisions: [Decision], disableMissing: Bool) throws {
    let export = try fixture.export(Self.rows)
    let options = PlanOptions(disableMissing: disableMissing)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: options, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: options,
      exportSHA256: baseline.plan.exportSHA256)
    #expect(live.plan().comparableLines == baseline.plan.comparableLines, "no decisions")
    for (count, decision) in decisions.enumerated() {
      live.apply(decision)
      let scratch = try PlanPipeline.run(
        PlanPipeline.Input(
          exportPath: export, decisions: ReviewDecisions(Array(decisions.prefix(count + 1))), options: options),
        directory: fixture.directory)
      #expect(live.plan().comparableLines == scratch.plan.comparableLines, "after \(decision.summary)")
    }
    for count in stride(from: decisions.count - 1, through: 0, by: -1) {
      live.undo()
      let scratch = try PlanPipeline.run(
        PlanPipeline.Input(
          exportPath: export, decisions: ReviewDecisions(Array(decisions.prefix(count))), options: options),
        directory: fixture.directory)
      #expect(live.plan().comparableLines == scratch.plan.comparableLines, "after undoing to \(count) decisions")
    }
  }

  @Test(arguments: [false, true])
  func everyDecisionMatchesPlanningFromScratch(disableMissing: Bool) throws {
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Riverside Academy,school"],
      accounts: Self.accounts)
    let academy = try #require(try fixture.directory.organizations().first { $0.name == "Riverside Academy" })
    try compare(
      fixture,
      decisions: [
        .editCustomID(line: 3, customID: "1002"),  // fixes the duplicate on lines 2 and 3
        .remapBuildingID(from: "S9", to: "S2"),
        .exclude(line: 6),
        .setOrganizationExternalID(organizationID: academy.id, externalID: "RSA"),
        .assignID(line: 9, accountID: 4),
        .changeBuildingID(line: 2, buildingID: "S2"),
        .editCustomID(line: 2, customID: "1006"),  // now names Fay's account
        .include(line: 6),
        .excludeLines([8, 9], reason: "test"),
        .editCustomID(line: 4, customID: "1001"),  // a new duplicate? No: line 2 moved away from 1001
        .editCustomID(line: 10, customID: "3003"),  // still an error: the email is a duplicate
      ], disableMissing: disableMissing)
  }

  @Test func onlyTheTouchedRowsAreReplanned() throws {
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Riverside Academy,school"],
      accounts: Self.accounts)
    let export = try fixture.export(Self.rows)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: PlanOptions(),
      exportSHA256: baseline.plan.exportSHA256)
    #expect(live.apply(.exclude(line: 6)) == [4])
    // Editing line 3's custom_id touches its old group (lines 2 and 3) and its new one (none).
    #expect(live.apply(.editCustomID(line: 3, customID: "1002")) == [0, 1])
    #expect(live.outcome(row: 0) == .update)
    #expect(live.outcome(row: 1) == .unchanged)
  }

  /// Undo puts back what the decision overwrote, without replaying the
  /// decisions before it, and says which rows it put back; excluding rows
  /// that name their accounts leaves the whole-export results (ID changes,
  /// what disable-missing disables) as they are (issue 17: `x` and `u`
  /// cost what they touch, at any size).
  @Test func undoPutsBackOnlyTheTouchedRows() throws {
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Riverside Academy,school"],
      accounts: Self.accounts)
    let export = try fixture.export(Self.rows)
    let options = PlanOptions(disableMissing: true)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: options, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: options,
      exportSHA256: baseline.plan.exportSHA256)
    let across = live.acrossRowsVersion
    // Lines 2 and 3 share custom_id 1001, Ana's account: both name it.
    #expect(live.apply(.exclude(line: 2)) == [0, 1])
    #expect(live.acrossRowsVersion == across)
    // Line 6 names no account: an unapplied row disable-missing looks at.
    #expect(live.apply(.exclude(line: 6)) == [4])
    #expect(live.acrossRowsVersion > across)
    let last = try #require(live.undoLast())
    #expect(last.decision == .exclude(line: 6))
    #expect(last.rows == [4])
    let first = try #require(live.undoLast())
    #expect(first.decision == .exclude(line: 2))
    #expect(first.rows == [0, 1])
    #expect(live.decisions == ReviewDecisions())
    #expect(live.plan().comparableLines == baseline.plan.comparableLines)
    #expect(live.undoLast() == nil)
  }
}

/// The review screen's plan warns of a probable broken export (W044) as
/// planning from scratch does: `LivePlan` never ran the cluster check, so
/// the confirm dialog, report and commit never saw "all active accounts of
/// X would be disabled" (issue 13).
@Suite struct LivePlanClusterTests {
  @Test func anEmptiedSchoolIsFlaggedInTheLivePlanAsInAFreshPlan() throws {
    // Six students of S2 that the export leaves out; S2 stays covered by one
    // row that is excluded in review.
    let accounts =
      (1...6).map { "S\($0),,Two,s\($0)@x.org,20\($0),S2,Student,,3,Active" } + [
        "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"
      ]
    let fixture = try SyncFixture(accounts: accounts)
    let export = try fixture.export([
      "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "New,,Kid,new@x.org,3001,S2,Student,,3,Active",
    ])
    let options = PlanOptions(disableMissing: true, overrideThresholds: true)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: options, keepsRows: true), directory: fixture.directory)
    let warning = "all active accounts of Roosevelt (6) would be disabled"
    #expect(baseline.plan.findings.contains { $0.code == .probableBrokenExport && $0.message == warning })
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: options,
      exportSHA256: baseline.plan.exportSHA256)
    #expect(live.plan().findings.filter { $0.code == .probableBrokenExport }.map(\.message).contains(warning))
    #expect(live.plan().comparableLines == baseline.plan.comparableLines)
    // After a decision the warning stays, as planning again would give it.
    live.apply(.exclude(line: 3))
    let again = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, decisions: live.decisions, options: options, keepsRows: true),
      directory: fixture.directory
    ).plan
    #expect(live.plan().comparableLines == again.comparableLines)
    #expect(again.findings.contains { $0.code == .probableBrokenExport })
  }
}

/// Notes of a mapping survive decisions in the live plan, as planning from
/// scratch gives them: lines the preset skipped (I045) and lists cut to
/// their first value (I046). LivePlan dropped I045 at once and I046 once a
/// decision touched its row (issue 13).
@Suite struct LivePlanMappingNotesTests {
  @Test func skippedLinesAndFirstOfListNotesStayThroughDecisions() throws {
    let fixture = try SyncFixture(
      organizations: [
        "org-d1,Harbor Springs Unified,district", "org-s1,Bayview Elementary,school",
        "org-s2,Cypress Middle,school", "org-s3,Harbor Springs High,school",
      ],
      accounts: [])
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/presets/oneroster-1.1/users.csv")
    let export = fixture.folder.appendingPathComponent("users.csv").path
    try FileManager.default.copyItem(atPath: source.path, toPath: export)
    let mapping = try #require(MappingPreset.named("oneroster-1.1")).mapping
    func fresh(_ decisions: ReviewDecisions) throws -> PlanPipeline.Output {
      try PlanPipeline.run(
        PlanPipeline.Input(exportPath: export, mapping: mapping, decisions: decisions, keepsRows: true),
        directory: fixture.directory)
    }
    let baseline = try fresh(ReviewDecisions())
    let codes = Set(baseline.plan.findings.map(\.code))
    #expect(codes.contains(.skippedByMapping) && codes.contains(.firstOfList))
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: PlanOptions(),
      exportSHA256: baseline.plan.exportSHA256)
    #expect(live.plan().comparableLines == baseline.plan.comparableLines, "no decisions")
    // Line 8 has "org-s1,org-s2" (I046): exclude it, edit its ID, remap a building.
    for decision in [
      Decision.exclude(line: 8), .include(line: 8), .editCustomID(line: 8, customID: "T9999"),
      .remapBuildingID(from: "org-s3", to: "org-s2"),
    ] {
      live.apply(decision)
      #expect(live.plan().comparableLines == (try fresh(live.decisions)).plan.comparableLines, "after \(decision)")
    }
  }
}
