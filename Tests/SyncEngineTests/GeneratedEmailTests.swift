import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// `[email] generate = …`: emails proposed for rows without one, with a
/// counter past every taken email, held back until accepted, recorded in
/// the directory, stable across runs.
@Suite struct GeneratedEmailTests {
  private static let mapping = try! MappingFileParser.parse(
    "[email]\ngenerate = {first_name:lower:ascii}.{last_name:lower:ascii}@x.org\n", file: "gen.map")

  private func plan(_ fixture: SyncFixture, _ rows: [String], keepsRows: Bool = false) throws -> Plan {
    let path = try fixture.export(rows)
    return try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, mapping: Self.mapping, keepsRows: keepsRows), directory: fixture.directory
    ).plan
  }

  @Test func counterSkipsTheDirectoryTheExportAndEarlierRows() throws {
    // ann.lee@x.org is held by an unmanaged, disabled account; ann.lee2 by a row.
    let fixture = try SyncFixture(accounts: [
      "Old,,Account,Ann.Lee@x.org,,S1,Teacher,,,Disabled"
    ])
    let plan = try plan(
      fixture,
      [
        "Ann,,Lée,,1,S1,Student,,5,Active",
        "Other,,Person,ann.lee2@x.org,2,S1,Student,,5,Active",
        "Ann,,Lee,,3,S1,Student,,5,Active",
        "Bo,,Li,,4,S1,Student,,5,Active",
      ])
    #expect(plan.count(.error) == 0)
    #expect(plan.change(line: 2)?.after[.email] == "ann.lee3@x.org")
    #expect(plan.change(line: 4)?.after[.email] == "ann.lee4@x.org")
    #expect(plan.change(line: 5)?.after[.email] == "bo.li@x.org")
    #expect(plan.change(line: 2)?.generatedEmail == .proposed)
    #expect(plan.change(line: 3)?.generatedEmail == nil)
    let proposals = plan.findings.filter { $0.code == .generatedEmail }
    #expect(proposals.map(\.line) == [2, 4, 5])
    #expect(!plan.findings.contains { $0.code == .missingValue })
  }

  /// Many rows with one proposal (a common name, or a rule without a
  /// per-person part) count on from the last email given, past the
  /// directory's and the export's, in file order, the same whatever the
  /// letter case of the names.
  @Test func manyRowsWithOneProposalCountOnInFileOrder() throws {
    let fixture = try SyncFixture(accounts: ["Ann,,Lee,ann.lee7@x.org,,S1,Teacher,,,Active"])
    let rows =
      (1...3_000).map { "\($0 % 2 == 0 ? "ANN" : "Ann"),,Lee,,\($0),S1,Student,,5,Active" }
      + ["Other,,Person,ann.lee12@x.org,9001,S1,Student,,5,Active"]
    let plan = try plan(fixture, rows)
    let emails = (2...3_001).compactMap { plan.change(line: $0)?.after[.email] }
    let expected = (1...3_002).filter { $0 != 7 && $0 != 12 }.prefix(3_000).map {
      $0 == 1 ? "ann.lee@x.org" : "ann.lee\($0)@x.org"
    }
    #expect(emails == Array(expected))
  }

  @Test func theSamePlanWhetherRowsAreKeptOrNot() throws {
    let fixture = try SyncFixture(accounts: [])
    let rows = ["Ann,,Lee,,1,S1,Student,,5,Active", "Ann,,Lee,,2,S1,Student,,5,Active"]
    let streamedOrNot = try plan(fixture, rows)
    let kept = try plan(fixture, rows, keepsRows: true)
    #expect(streamedOrNot.changes == kept.changes)
    #expect(kept.changes.map { $0.after[.email] } == ["ann.lee@x.org", "ann.lee2@x.org"])
  }

  @Test func anExistingAccountKeepsItsEmail() throws {
    let fixture = try SyncFixture(accounts: ["Ann,,Lee,ann@school.org,1,S1,Student,,5,Active"])
    let plan = try plan(fixture, ["Ann,,Lee,,1,S1,Student,,6,Active"])
    let change = try #require(plan.change(line: 2))
    #expect(change.action == .update)
    #expect(change.after[.email] == "ann@school.org")
    #expect(change.changedColumns == [.grade])
    #expect(change.generatedEmail == nil)
    #expect(!plan.findings.contains { $0.code == .generatedEmail })
  }

  @Test func withoutATemplateValueTheEmptyEmailIsStillAnError() throws {
    let fixture = try SyncFixture(accounts: [])
    let plan = try plan(fixture, ["Ann,,,,1,S1,Student,,5,Active"])
    #expect(plan.findings.contains { $0.code == .missingValue && $0.column == "email" })
    #expect(plan.changes.isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func heldBackUnlessAcceptedThenRecordedAndStable(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: [], store: store)
    let rows = ["Ann,,Lee,,1,S1,Student,,5,Active", "Bo,,Li,bo@school.org,2,S1,Student,,5,Active"]
    let first = try plan(fixture, rows)
    guard case .applied(let run) = try fixture.directory.apply(first) else {
      Issue.record("nothing applied")
      return
    }
    // Only Bo: Ann's proposed email is not accepted.
    #expect(run.counts["create"] == 1)
    #expect(try fixture.accountLines().filter { $0.contains("Ann") }.isEmpty)
    let second = try plan(fixture, rows)
    #expect(second.unacceptedEmailLines == [2])
    guard case .applied = try fixture.directory.apply(second.acceptingGeneratedEmails()) else {
      Issue.record("nothing applied")
      return
    }
    #expect(try fixture.accountLines().contains { $0.contains("ann.lee@x.org,1,S1") })
    let marked = try fixture.directory.read { try $0.accountIDsWithGeneratedEmail() }
    #expect(marked.count == 1)
    // Next run: the row still has no email; the account keeps its own.
    let third = try plan(fixture, rows)
    #expect(third.changes.isEmpty)
    #expect(third.summary.unchanged == 2)
  }

  @Test func aSavedPlanKeepsItsProposals() throws {
    let fixture = try SyncFixture(accounts: [])
    let plan = try plan(fixture, ["Ann,,Lee,,1,S1,Student,,5,Active", "Bo,,Li,,2,S1,Student,,5,Active"])
    var partly = plan
    partly.changes[1].generatedEmail = .accepted
    let path = fixture.folder.appendingPathComponent("plan.json").path
    try PlanFile.save(partly, to: path)
    let loaded = try PlanFile.load(path: path)
    #expect(loaded.changes.map(\.generatedEmail) == [.proposed, .accepted])
  }

  @Test func theCounterGoesBeforeTheAt() {
    #expect(EmailGeneration.counted("ann.lee@x.org", 2) == "ann.lee2@x.org")
    #expect(EmailGeneration.counted("a@b@x.org", 3) == "a@b3@x.org")
    #expect(EmailGeneration.counted("nobody", 2) == "nobody2")
  }

  @Test func theJSONPlanMarksProposedEmails() throws {
    let fixture = try SyncFixture(accounts: [])
    let path = try fixture.export(["Ann,,Lee,,1,S1,Student,,5,Active"])
    let output = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, mapping: Self.mapping), directory: fixture.directory)
    let json = PlanReport.json(output.plan, validation: output.validation)
    #expect(json.contains(#""generated":["email"]"#))
    #expect(json.contains(#""generated_status":"proposed""#))
    #expect(json.contains("W054"))
  }
}
