import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// Emails the mapping's generate rule proposes, in review: shown as
/// proposed, accepted per row (`p`) or all at once (`P`), decisions like
/// any other (undo, the live plan equal to planning from scratch).
@Suite struct ProposedEmailReviewTests {
  static let mapping = try! MappingFileParser.parse(
    "[email]\ngenerate = {first_name:lower}.{last_name:lower}@x.org\n", file: "gen.map")
  static let rows = [
    exportHeaderLine,
    "Ann,,Lee,,3001,S1,Student,,5,Active",  // 2 create, proposed ann.lee@x.org
    "Ann,,Lee,,3002,S1,Student,,5,Active",  // 3 create, proposed ann.lee2@x.org
    "Kay,,Day,kay@x.org,3003,S1,Student,,5,Active",  // 4 create
  ]

  private func fixture() throws -> ReviewFixture {
    try ReviewFixture(rows: Self.rows, mapping: Self.mapping)
  }

  @Test func theDetailsShowTheProposedEmail() throws {
    let fixture = try fixture()
    fixture.press(.character("2"))
    #expect(fixture.screen.contains("ann.lee@x.org (proposed; p accepts)"))
    fixture.press(.down)
    #expect(fixture.screen.contains("ann.lee2@x.org (proposed"))
  }

  @Test func pAcceptsTheRowAndPAcceptsAll() throws {
    let fixture = try fixture()
    fixture.press(.character("2"), .character("p"))
    #expect(fixture.app.model.decisions == [.acceptGeneratedEmail(line: 2)])
    #expect(fixture.screen.contains("ann.lee@x.org (accepted)"))
    #expect(fixture.app.model.livePlan.proposedEmailRows.count == 1)
    // The row with its own email has nothing to accept.
    fixture.press(.down, .down, .character("p"))
    #expect(fixture.lines[22] == " This row has no proposed email to accept")
    fixture.press(.character("P"))
    #expect(fixture.app.model.livePlan.proposedEmailRows.isEmpty)
    #expect(fixture.app.disabledReason(.acceptAllProposedEmails) != nil)
    let plan = fixture.app.currentPlan()
    #expect(plan.changes.map(\.generatedEmail) == [.accepted, .accepted, nil])
    fixture.press(.character("u"))
    #expect(fixture.app.model.livePlan.proposedEmailRows.count == 1)
  }

  @Test func theLivePlanEqualsPlanningFromScratch() throws {
    let fixture = try fixture()
    fixture.press(.character("2"), .character("p"), .down, .down, .character("x"))
    let live = fixture.app.currentPlan()
    let scratch = try PlanPipeline.run(
      PlanPipeline.Input(
        exportPath: fixture.exportPath, mapping: Self.mapping,
        decisions: ReviewDecisions(fixture.app.model.decisions), keepsRows: true),
      directory: fixture.directory
    ).plan
    #expect(live.changes == scratch.changes)
    #expect(live.summary == scratch.summary)
  }

  /// A decision that re-plans a row with a proposed email keeps the email
  /// first proposed (a re-read of the row has no generate rule).
  @Test func aReplannedRowKeepsItsProposedEmail() throws {
    let fixture = try fixture()
    fixture.app.model.apply(.changeBuildingID(line: 3, buildingID: "S2"))
    fixture.app.model.apply(.acceptGeneratedEmail(line: 3))
    let live = fixture.app.currentPlan()
    let scratch = try PlanPipeline.run(
      PlanPipeline.Input(
        exportPath: fixture.exportPath, mapping: Self.mapping,
        decisions: ReviewDecisions(fixture.app.model.decisions), keepsRows: true),
      directory: fixture.directory
    ).plan
    #expect(live.changes == scratch.changes)
    #expect(live.changes.first { $0.line == 3 }?.after[.email] == "ann.lee2@x.org")
    #expect(live.changes.first { $0.line == 3 }?.generatedEmail == .accepted)
    #expect(live.findings.filter { $0.code == .generatedEmail }.map(\.line) == [2, 3])
  }

  /// A name no template can spell in ASCII (E053) leaves the email empty;
  /// re-reading the row for a decision must not add an "empty" finding
  /// (E020) that planning from scratch does not have.
  @Test func aReReadRowWithAnUnspellableNameKeepsItsOneFinding() throws {
    let mapping = try MappingFileParser.parse(
      "[email]\ntemplate = {first_name:lower:ascii}.{last_name:lower:ascii}@x.org\n", file: "t.map")
    let fixture = try ReviewFixture(
      rows: [exportHeaderLine, "Иван,,Петров,,3001,S1,Student,,5,Active", "Ann,,Lee,,3002,S1,Student,,5,Active"],
      mapping: mapping)
    fixture.app.model.apply(.changeBuildingID(line: 2, buildingID: "S2"))
    let live = fixture.app.currentPlan()
    let scratch = try PlanPipeline.run(
      PlanPipeline.Input(
        exportPath: fixture.exportPath, mapping: mapping,
        decisions: ReviewDecisions(fixture.app.model.decisions), keepsRows: true),
      directory: fixture.directory
    ).plan
    #expect(live.findings.filter { $0.line == 2 }.map(\.code) == [.notSpeltInASCII])
    #expect(live.findings.map(\.code) == scratch.findings.map(\.code))
    #expect(live.summary == scratch.summary)
  }

  @Test func aCommitAppliesOnlyAcceptedEmails() throws {
    let fixture = try fixture()
    fixture.press(.character("2"), .character("p"))
    let outcome = try fixture.services.commit(fixture.app.currentPlan())
    guard case .applied(_, let counts) = outcome else {
      Issue.record("not applied: \(outcome)")
      return
    }
    #expect(counts["create"] == 2)  // Ann (accepted) and Kay; the second Ann waits
  }
}
