import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// A value shared by many rows (a placeholder email such as
/// `noemail@district.org`, one custom_id) makes every one of those rows a
/// duplicate. Each finding lists the first few other lines and counts the
/// rest, so memory and time stay linear in the number of rows.
@Suite struct SharedValueTests {
  static let rowCount = 20_000
  static let sharedEmail = "noemail@district.org"
  static let sharedCustomID = "00042"

  /// `count` valid students; `column` (email or custom_id) holds one value
  /// in every row, the other column a distinct one.
  static func rows(sharing column: ExportColumn, count: Int = rowCount) -> [String] {
    (0..<count).map { index in
      let email = column == .email ? sharedEmail : "p\(index)@district.org"
      let customID = column == .customID ? sharedCustomID : String(100_000 + index)
      return "First\(index),,Last,\(email),\(customID),S1,Student,,5,Active"
    }
  }

  static func validate(_ rows: [String]) throws -> ValidationResult {
    try ExportValidator.validate(
      source: MemoryByteSource(([exportHeaderLine] + rows).joined(separator: "\n") + "\n"), name: "shared.csv",
      options: ValidationOptions(keepsRows: true))
  }

  static func code(for column: ExportColumn) -> FindingCode {
    column == .email ? .duplicateEmail : .duplicateCustomID
  }

  @Test(arguments: [ExportColumn.email, .customID])
  func aValueSharedByEveryRowListsTheFirstLinesAndCountsAll(column: ExportColumn) throws {
    let result = try Self.validate(Self.rows(sharing: column))
    let duplicates = result.findings.filter { $0.code == Self.code(for: column) }
    #expect(duplicates.count == Self.rowCount)
    #expect(result.rowsWithErrors == Self.rowCount)
    // Exact counts, cut lists: the first lines other than the finding's own.
    #expect(duplicates.allSatisfy { $0.relatedCount == Self.rowCount - 1 })
    #expect(duplicates.allSatisfy { $0.relatedLines.count == LineList.cap })
    #expect(duplicates[0].relatedLines == Array(3...12))
    #expect(duplicates[5].line == 7)
    #expect(duplicates[5].relatedLines == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12])
    #expect(duplicates.last?.relatedLines == Array(2...11))
    // Linear in the rows: no finding holds more than the cap, no message
    // lists every line.
    let listed = duplicates.reduce(0) { $0 + $1.relatedLines.count }
    #expect(listed <= Self.rowCount * LineList.cap)
    let messageBytes = duplicates.reduce(0) { $0 + $1.message.utf8.count }
    #expect(messageBytes <= Self.rowCount * 100)
    #expect(
      duplicates[0].message
        == "the same \(column.header) is on lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 19,990 more")
  }

  @Test func aSmallGroupStillNamesEveryLine() throws {
    var rows = Self.rows(sharing: .customID, count: 3)
    rows.append("Solo,,Kid,solo@district.org,777,S1,Student,,5,Active")
    let result = try Self.validate(rows)
    let duplicates = result.findings.filter { $0.code == .duplicateCustomID }
    #expect(duplicates.map(\.relatedLines) == [[3, 4], [2, 4], [2, 3]])
    #expect(duplicates.map(\.relatedCount) == [2, 2, 2])
    #expect(duplicates[0].message == "the same custom_id is on lines 2, 3, 4")
  }

  @Test(arguments: [ExportColumn.email, .customID])
  func planningKeepsTheListsCut(column: ExportColumn) throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"])
    let plan = try fixture.plan(Self.rows(sharing: column))
    let duplicates = plan.findings.filter { $0.code == Self.code(for: column) }
    #expect(duplicates.count == Self.rowCount)
    #expect(plan.summary.rowsWithErrors == Self.rowCount)
    #expect(duplicates.allSatisfy { $0.relatedLines.count == LineList.cap && $0.relatedCount == Self.rowCount - 1 })
  }

  /// `plan --format json` streams its report too; put together, the pieces
  /// are the report.
  @Test func theStreamedPlanJSONIsTheReport() throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"])
    let export = try fixture.export(
      Self.rows(sharing: .email, count: 1_000) + Self.rows(sharing: .customID, count: 1_000))
    let output = try PlanPipeline.run(PlanPipeline.Input(exportPath: export), directory: fixture.directory)
    var pieces: [[UInt8]] = []
    PlanReport.streamJSON(output.plan, validation: output.validation) { pieces.append($0) }
    #expect(pieces.count > 5)
    let whole = PlanReport.json(output.plan, validation: output.validation)
    #expect(String(decoding: pieces.joined(), as: UTF8.self) == whole)
  }

  /// The review's live plan rewrites a duplicate's message after a
  /// decision; it must read as the validator's, cut the same way.
  @Test func aLivePlanWordsLargeGroupsAsPlanningFromScratch() throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"])
    var rows = Self.rows(sharing: .customID, count: 30)
    rows.append("Solo,,Kid,solo@district.org,777,S1,Student,,5,Active")  // line 32
    let export = try fixture.export(rows)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: PlanOptions(),
      exportSHA256: baseline.plan.exportSHA256)
    let decisions: [Decision] = [
      .editCustomID(line: 5, customID: "999"),  // leaves the group
      .editCustomID(line: 32, customID: Self.sharedCustomID),  // joins it
    ]
    for (count, decision) in decisions.enumerated() {
      live.apply(decision)
      let scratch = try PlanPipeline.run(
        PlanPipeline.Input(exportPath: export, decisions: ReviewDecisions(Array(decisions.prefix(count + 1)))),
        directory: fixture.directory)
      #expect(live.plan().comparableLines == scratch.plan.comparableLines, "after \(decision.summary)")
    }
    let finding = try #require(live.plan().findings.first { $0.line == 32 && $0.code == .duplicateCustomID })
    #expect(finding.message == "the same custom_id is on lines 2, 3, 4, 6, 7, 8, 9, 10, 11, 12 and 20 more")
    #expect(finding.relatedLines == [2, 3, 4, 6, 7, 8, 9, 10, 11, 12])
    #expect(finding.relatedCount == 29)
  }

  /// Findings that stand for many rows (values ignored, Disabled rows
  /// without an account) list the first lines and count them all too.
  @Test func summaryFindingsCountEveryOtherLine() throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"])
    let rows = (0..<15).map { "T\($0),,Left,t\($0)@x.org,\(5_000 + $0),S1,Teacher,,7,Disabled" }
    let plan = try fixture.plan(rows)
    let ignored = try #require(plan.findings.first { $0.code == .ignoredValue })
    #expect(ignored.relatedCount == 14)
    #expect(ignored.relatedLines == Array(3...11))
    let nothing = try #require(plan.findings.first { $0.code == .nothingToDo })
    #expect(nothing.relatedCount == 14)
    #expect(nothing.relatedLines == Array(3...11))
  }

  /// A decision on one row of a 20,000-row group re-plans the group (its
  /// duplicates change) in time linear in the group.
  @Test func aDecisionInALargeGroupStaysLinear() throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"])
    let export = try fixture.export(Self.rows(sharing: .customID))
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: PlanOptions(),
      exportSHA256: baseline.plan.exportSHA256)
    let start = ContinuousClock.now
    let replanned = live.apply(.editCustomID(line: 7, customID: "999"))
    let elapsed = ContinuousClock.now - start
    #expect(replanned.count == Self.rowCount)
    let findings = live.plan().findings.filter { $0.code == .duplicateCustomID }
    #expect(findings.count == Self.rowCount - 1)
    #expect(findings.allSatisfy { $0.relatedLines.count == LineList.cap && $0.relatedCount == Self.rowCount - 2 })
    #expect(findings[0].message == "the same custom_id is on lines 2, 3, 4, 5, 6, 8, 9, 10, 11, 12 and 19,989 more")
    #expect(elapsed < .seconds(20), "one decision took \(elapsed)")
  }

  @Test func jsonGivesTheCutListAndTheCount() throws {
    let result = try Self.validate(Self.rows(sharing: .email, count: 12))
    let json = ValidationReport.json(result)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    let duplicates = findings.filter { $0["code"] as? String == FindingCode.duplicateEmail.id }
    #expect(duplicates.count == 12)
    #expect(duplicates[0]["related_lines"] as? [Int] == Array(3...12))
    #expect(duplicates[0]["related_count"] as? Int == 11)
    #expect(duplicates[11]["related_lines"] as? [Int] == Array(2...11))
    #expect(duplicates[11]["related_count"] as? Int == 11)
    // Findings without other lines carry neither member.
    let others = findings.filter { $0["code"] as? String != FindingCode.duplicateEmail.id }
    #expect(others.allSatisfy { $0["related_lines"] == nil && $0["related_count"] == nil })
  }

  /// `validate --format json` streams the report in pieces; put together
  /// they are the report.
  @Test func theStreamedJSONIsTheReport() throws {
    let result = try Self.validate(Self.rows(sharing: .email, count: 2_000))
    var pieces: [[UInt8]] = []
    ValidationReport.streamJSON(result) { pieces.append($0) }
    #expect(pieces.count > 5)
    #expect(pieces.dropLast().allSatisfy { $0.count < 80_000 })
    #expect(String(decoding: pieces.joined(), as: UTF8.self) == ValidationReport.json(result))
  }

  @Test func lineCountsAreGroupedByThousands() {
    #expect(LineList.grouped(7) == "7")
    #expect(LineList.grouped(999) == "999")
    #expect(LineList.grouped(1_000) == "1,000")
    #expect(LineList.grouped(99_996) == "99,996")
    #expect(LineList.grouped(1_234_567) == "1,234,567")
    #expect(LineList.describe(first: [4], total: 1) == "line 4")
    #expect(LineList.describe(first: [2, 3], total: 5) == "lines 2, 3 and 3 more")
  }
}
