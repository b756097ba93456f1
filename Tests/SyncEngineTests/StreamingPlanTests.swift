import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Planning while the export is read must give exactly the plan that
/// planning from the finished table gives, also when the file is split in
/// two halves and duplicates only show at the end.
@Suite struct StreamingPlanTests {
  @Test(arguments: [false, true])
  func streamingEqualsPlanningFromTheTable(disableMissing: Bool) throws {
    var accounts: [String] = []
    for index in 0..<120 {
      let status = index % 9 == 0 ? "Disabled" : "Active"
      let id = index % 13 == 0 ? "00\(4000 + index)" : "\(4000 + index)"
      accounts.append(
        "P\(index),,Q,p\(index)@x.org,\(index % 17 == 0 ? "" : id),S\(index % 3 + 1),Student,,\(index % 12 + 1),\(status)"
      )
    }
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school", "S3,Kennedy,school"],
      accounts: accounts)
    var rows: [String] = []
    for index in 0..<160 {
      let id = index % 13 == 0 ? "\(4000 + index)" : "\(4000 + index)"  // leading zeros lost for some
      let grade = index % 5 == 0 ? "\(index % 12 + 2)" : "\(index % 12 + 1)"
      let status = index % 11 == 0 ? "Disabled" : (index % 9 == 0 ? "Active" : "Active")
      let email = index % 23 == 0 ? "p\(index + 1)@x.org" : "p\(index)@x.org"  // conflicts
      let school = index % 29 == 0 ? "S9" : "S\(index % 3 + 1)"  // unknown buildings
      let duplicate = index == 150 ? "4010" : id  // a duplicate across the halves
      rows.append("P\(index),,Q,\(email),\(duplicate),\(school),Student,,\(grade),\(status)")
      if index % 31 == 0 { rows.append("Bad\(index),,Row,not-an-email,\(9000 + index),S1,Student,,3,Active") }
    }
    let export = try fixture.export(rows)
    let options = PlanOptions(disableMissing: disableMissing)
    let snapshot = try fixture.directory.snapshot()
    let known = snapshot.organizationExternalIDs
    let validationOptions = ValidationOptions(
      directory: KnownOrganizations(organizationExternalIDs: known), keepsRows: true, parallelThreshold: 0)
    let validation = try ExportValidator.validate(file: export, options: validationOptions)
    let fromTable = Planner.plan(validation: validation, directory: snapshot, options: options, exportSHA256: "")
    let streamed = try Planner.validateAndPlan(
      file: try RegularFile(path: export), validationOptions: validationOptions, directory: snapshot, options: options)
    #expect(streamed.plan.comparableLines == fromTable.comparableLines)
    #expect(fromTable.summary.create > 0 && fromTable.summary.update > 0 && fromTable.summary.rowsWithErrors > 0)
    #expect(fromTable.findings.contains { $0.code == .duplicateCustomID })
    #expect(fromTable.findings.contains { $0.code == .emailConflict })
  }

  /// The planner keeps the values of plain lines where the reader read
  /// them, and must plan them before the reader reads the next chunk over
  /// them: a file of many chunks (256 KiB each) in every part, with
  /// quoted and decoded values (which are copied) between plain ones,
  /// plans as the table does.
  @Test func rowsHeldAcrossTheReadersChunksPlanAsTheTable() throws {
    let accounts = (0..<3000).map { "A\($0),,Old,a\($0)@x.org,\(70000 + $0),S\($0 % 3 + 1),Student,,5,Active" }
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school", "S3,Kennedy,school"],
      accounts: accounts)
    let rows = (0..<40000).map { index in
      let first = index % 7 == 0 ? "\"Ann, \(index)\"" : (index % 11 == 0 ? "Jos\u{E9}\(index)" : "First\(index)")
      return "\(first),M\(index % 97),Last\(index),p\(index)@example.org,\(70000 + index),S\(index % 3 + 1),Student,,"
        + "\(index % 12 + 1),Active"
    }
    let export = try fixture.export(rows)
    let (fromTable, streamed) = try fixture.planBothWays(export: export, options: PlanOptions(disableMissing: true))
    #expect(try FileManager.default.attributesOfItem(atPath: export)[.size] as! Int > 2_000_000)
    #expect(fromTable.summary.create == 37000 && fromTable.summary.update == 3000)
    // (The first line that differs, not forty thousand lines, on failure.)
    let (streamedLines, tableLines) = (streamed.comparableLines, fromTable.comparableLines)
    #expect(streamedLines.count == tableLines.count)
    #expect(zip(streamedLines, tableLines).first { $0 != $1 } == nil)
  }

  /// A part of the export that starts inside a quoted value reads lines
  /// of that value as rows: they must not count as naming an account (it
  /// would escape disable-missing) or covering a building (its absent
  /// accounts would be disabled). The plan is that of one pass.
  @Test func aDroppedPartMarksNoAccountAndNoBuilding() throws {
    var accounts = (0..<60).map { "P\($0),,Q,p\($0)@x.org,\(5000 + $0),S1,Student,,5,Active" }
    accounts.append("Gone,,Q,gone@x.org,6666,S1,Student,,5,Active")  // absent from the export
    accounts.append("Other,,Q,other@x.org,7000,S2,Student,,5,Active")  // in a building no row names
    let fixture = try SyncFixture(
      organizations: ["D,District,district", "S1,Lincoln,school", "S2,Roosevelt,school"], accounts: accounts)
    var rows = (0..<60).map { "P\($0),,Q,p\($0)@x.org,\(5000 + $0),S1,Student,,5,Active" }
    // A position whose lines look like rows naming both accounts, long
    // enough that a part starts inside it.
    let lookalike = "Gone,,Q,gone@x.org,6666,S2,Student,,5,Active\n"
    rows.append("T,,Q,t@x.org,5999,S1,Teacher,\"Coach\n" + String(repeating: lookalike, count: 120) + "\",,Active")
    rows += (0..<40).map { "N\($0),,Q,n\($0)@x.org,\(8000 + $0),S1,Student,,5,Active" }
    let export = try fixture.export(rows)
    let snapshot = try fixture.directory.snapshot()
    let options = PlanOptions(disableMissing: true)
    func plan(parallelThreshold: Int) throws -> Plan {
      let validationOptions = ValidationOptions(
        directory: KnownOrganizations(organizationExternalIDs: snapshot.organizationExternalIDs),
        parallelThreshold: parallelThreshold)
      return try Planner.validateAndPlan(
        file: try RegularFile(path: export), validationOptions: validationOptions, directory: snapshot,
        options: options
      ).plan
    }
    let onePass = try plan(parallelThreshold: .max)
    let inParts = try plan(parallelThreshold: 0)
    #expect(inParts.comparableLines == onePass.comparableLines)
    let disabled = onePass.changes.filter { $0.action == .disable }.map(\.customID)
    #expect(disabled == ["6666"])  // and 7000's building is not covered
  }

  @Test func thePipelineStreamsWhenTheSnapshotIsCached() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    _ = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(fixture.directory.cachedSnapshot() != nil)
    let cached = try fixture.plan(ApplyTests.rows)
    try FileManager.default.removeItem(atPath: fixture.directoryPath + ".snapshot")
    #expect(fixture.directory.cachedSnapshot() == nil)
    let uncached = try fixture.plan(ApplyTests.rows)
    #expect(cached.comparableLines == uncached.comparableLines)
    #expect(cached.exportSHA256 == uncached.exportSHA256 && !cached.exportSHA256.isEmpty)
    // The review screen asks for the rows: it gets them even when cached.
    _ = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    let withRows = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(ApplyTests.rows), keepsRows: true), directory: fixture.directory
    )
    #expect(withRows.validation.table?.rowCount == ApplyTests.rows.count)
  }

  /// A first plan (no snapshot cache) plans rows as it reads them too: it
  /// keeps no table of the export's rows, gives the plan a cached run
  /// gives, and leaves the cache for the next plan.
  @Test func theFirstPlanStreamsWithoutACachedSnapshot() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    #expect(fixture.directory.cachedSnapshot() == nil)
    let export = try fixture.export(ApplyTests.rows)
    let first = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: PlanOptions(disableMissing: true)), directory: fixture.directory)
    #expect(first.validation.table == nil)
    fixture.sqlite.waitForBackgroundWork()
    #expect(fixture.directory.cachedSnapshot() != nil)
    let second = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: PlanOptions(disableMissing: true)), directory: fixture.directory)
    #expect(first.plan.comparableLines == second.plan.comparableLines)
    #expect(first.plan.exportSHA256 == second.plan.exportSHA256 && !first.plan.exportSHA256.isEmpty)
  }

  /// Planning holds the snapshot cache write while it reads the rows: a
  /// held write is not started until asked, and then lands whole.
  @Test func aHeldSnapshotCacheWriteStartsWhenReleased() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let cachePath = fixture.directoryPath + ".snapshot"
    fixture.directory.holdBackgroundWork()
    let snapshot = try fixture.directory.snapshot()
    // Nothing was started: there is nothing to wait for yet.
    Thread.sleep(forTimeInterval: 0.2)
    #expect(!FileManager.default.fileExists(atPath: cachePath))
    fixture.directory.startHeldWork()
    fixture.sqlite.waitForBackgroundWork()
    #expect(FileManager.default.fileExists(atPath: cachePath))
    #expect(fixture.directory.cachedSnapshot()?.accountCount == snapshot.accountCount)
    // Without a hold, the write starts at once, as before.
    try FileManager.default.removeItem(atPath: cachePath)
    _ = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(FileManager.default.fileExists(atPath: cachePath))
  }
}
