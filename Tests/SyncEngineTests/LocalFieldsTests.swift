import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Field ownership (issue 15, item 5): fields marked local, for one account
/// or for every account, keep the directory's value across exports that
/// change them; the account's other fields still follow the export; each
/// marking is a run that revert undoes.
@Suite struct LocalFieldsTests {
  /// Three students at Lincoln.
  static let students = (0..<3).map { "S\($0),,Pupil,s\($0)@x.org,\(1000 + $0),S1,Student,,3,Active" }

  static func fixture(_ store: StoreKind) throws -> SyncFixture {
    try SyncFixture(accounts: students, store: store)
  }

  /// The plan of `rows` under the directory's settings (local fields included).
  static func output(_ fixture: SyncFixture, _ rows: [String]) throws -> PlanPipeline.Output {
    let options = try fixture.directory.settings().settings.planOptions()
    return try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(rows), options: options), directory: fixture.directory)
  }

  /// Student `index` with the email IT changed in the SIS export.
  static func reEmailed(_ index: Int, grade: String = "3") -> String {
    "S\(index),,Pupil,new\(index)@sis.org,\(1000 + index),S1,Student,,\(grade),Active"
  }

  static func line(_ fixture: SyncFixture, _ customID: String) throws -> String {
    try #require(try fixture.accountLines().first { $0.contains(",\(customID),") })
  }

  static func accountID(_ fixture: SyncFixture, _ customID: String) throws -> Int64 {
    let snapshot = try fixture.directory.snapshot()
    return snapshot.accountIDs[try #require(snapshot.account(customID: customID))]
  }

  @Test(arguments: StoreKind.allCases) func anEmailLocalToOneAccountIsKeptWhileItsOtherFieldsUpdate(
    store: StoreKind
  ) throws {
    let fixture = try Self.fixture(store)
    try #require(try fixture.directory.markLocal(["email"], of: .customID("1000")) != nil)
    // The export changes the emails of 1000 (local: kept) and 1001 (updated).
    let rows = [Self.reEmailed(0), Self.reEmailed(1), Self.students[2]]
    let output = try Self.output(fixture, rows)
    let plan = output.plan
    #expect(plan.changes.map(\.customID) == ["1001"])
    #expect(plan.summary.update == 1)
    #expect(plan.summary.unchanged == 2)
    #expect(plan.rowOutcomes.first == .unchanged)
    #expect(plan.keptLocal.map(\.customID) == ["1000"])
    #expect(plan.keptLocal.first?.fields == [KeptLocalField(column: .email, exportValue: "new0@sis.org")])
    let text = PlanReport.text(plan, validation: output.validation, directoryPath: "d")
    #expect(text.contains("1 unchanged but for local fields, kept (local):"), "\(text)")
    #expect(text.contains("= line 2  1000  Pupil, S0: email kept (local), export has new0@sis.org"), "\(text)")
    let id = try Self.accountID(fixture, "1000")
    let json = PlanReport.json(plan, validation: output.validation)
    #expect(json.contains(#""kept_local":1"#), "\(json)")
    #expect(
      json.contains(
        #""kept_local":[{"account_id":"# + "\(id)"
          + #","custom_id":"1000","line":2,"fields":{"email":{"kept":"s0@x.org","export":"new0@sis.org"}}}]"#
      ), "\(json)")
    _ = try fixture.directory.apply(plan)
    #expect(try Self.line(fixture, "1000").contains("s0@x.org"))
    #expect(try Self.line(fixture, "1001").contains("new1@sis.org"))

    // The next export also changes 1000's grade: the grade updates, the email stays.
    let regraded = try Self.output(fixture, [Self.reEmailed(0, grade: "4"), Self.reEmailed(1), Self.students[2]])
    let change = try #require(regraded.plan.changes.first)
    #expect(regraded.plan.changes.count == 1)
    #expect(change.customID == "1000")
    #expect(change.changedColumns == [.grade])
    #expect(change.keptLocal == [KeptLocalField(column: .email, exportValue: "new0@sis.org")])
    #expect(regraded.plan.keptLocal.isEmpty)
    let changeText = PlanReport.describe(change)
    #expect(changeText.hasSuffix("grade 3 → 4; email kept (local), export has new0@sis.org"), "\(changeText)")
    #expect(
      PlanReport.json(regraded.plan, validation: regraded.validation).contains(
        #""fields":{"grade":{"before":"3","after":"4"}},"kept_local":{"email":{"kept":"s0@x.org","export":"new0@sis.org"}}"#
      ))
    _ = try fixture.directory.apply(regraded.plan)
    let after = try Self.line(fixture, "1000")
    #expect(after.contains("s0@x.org") && after.contains(",4,Active"), "\(after)")
  }

  @Test(arguments: StoreKind.allCases) func anEmailLocalToEveryAccountIsKept(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    try #require(try fixture.directory.changeSetting(SettingsRegistry.localFieldsKey, to: "email") != nil)
    let rows = [Self.reEmailed(0, grade: "4"), Self.reEmailed(1), Self.students[2]]
    let plan = try Self.output(fixture, rows).plan
    #expect(plan.changes.map(\.customID) == ["1000"])
    #expect(plan.changes.first?.changedColumns == [.grade])
    #expect(plan.keptLocal.map(\.customID) == ["1001"])
    _ = try fixture.directory.apply(plan)
    #expect(try Self.line(fixture, "1000").contains("s0@x.org"))
    #expect(try Self.line(fixture, "1001").contains("s1@x.org"))
    // A new account still takes the export's email.
    let created = try Self.output(fixture, rows + ["N,,New,n@sis.org,1009,S1,Student,,3,Active"]).plan
    #expect(created.changes.map(\.action) == [.create])
    #expect(created.changes.first?.after[.email] == "n@sis.org")
    #expect(created.changes.first?.keptLocal == [])
    // Unset: the next run writes the export's emails.
    _ = try fixture.directory.changeSetting(SettingsRegistry.localFieldsKey, to: nil)
    let following = try Self.output(fixture, rows).plan
    #expect(following.changes.map(\.customID) == ["1000", "1001"])
    #expect(following.keptLocal.isEmpty)
  }

  @Test(arguments: StoreKind.allCases) func unmarkingLetsTheNextRunChangeItAndRevertUndoesTheMarking(
    store: StoreKind
  ) throws {
    let fixture = try Self.fixture(store)
    let state = try fixture.directory.state
    let mark = try #require(try fixture.directory.markLocal(["email", "first_name"], of: .customID("1000")))
    #expect(mark.exportPath == "sis-sync local-fields: set custom_id 1000 first_name,email")
    #expect(mark.counts == [RecordedChange.localFieldsAction: 1])
    #expect(try fixture.directory.state.token != state.token)
    let (_, changes) = try #require(try fixture.directory.run(id: mark.id))
    let id = try Self.accountID(fixture, "1000")
    #expect(
      changes.map(RunReport.describe) == [
        "  changed the local fields of 1000 (account #\(id)): none local → local: first_name, email"
      ])
    // The same again changes nothing.
    #expect(try fixture.directory.markLocal(["email"], of: .customID("1000")) == nil)
    #expect(try fixture.directory.localFieldEntries().map(\.fields) == [[.firstName, .email]])
    #expect(try Self.output(fixture, [Self.reEmailed(0)]).plan.keptLocal.count == 1)

    let unmark = try #require(try fixture.directory.unmarkLocal(["email"], of: .customID("1000")))
    #expect(try fixture.directory.localFieldEntries().map(\.fields) == [[.firstName]])
    let next = try Self.output(fixture, [Self.reEmailed(0)] + Self.students[1...]).plan
    #expect(next.changes.map(\.customID) == ["1000"])
    #expect(next.changes.first?.after[.email] == "new0@sis.org")

    // Reverting the unmark makes the email local again; reverting the mark, nothing local.
    _ = try fixture.directory.revert(runID: unmark.id)
    #expect(try fixture.directory.localFieldEntries().map(\.fields) == [[.firstName, .email]])
    let reverted = try fixture.directory.revert(runID: mark.id)
    #expect(reverted.reverted.count == 1, "\(reverted)")
    #expect(try fixture.directory.read { try $0.localFields() }.isEmpty)
    #expect(try Self.output(fixture, [Self.reEmailed(0)]).plan.changes.map(\.customID) == ["1000"])
  }

  @Test(arguments: StoreKind.allCases) func aPlanMadeBeforeAMarkingIsRefusedAsStale(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let plan = try Self.output(fixture, [Self.reEmailed(0)] + Self.students[1...]).plan
    let run = try #require(try fixture.directory.markLocal(["email"], of: .customID("1000")))
    let error = #expect(throws: ApplyRefusal.self) { try fixture.directory.apply(plan) }
    #expect(error?.staleChanges == ["local fields change: set custom_id 1000 email (run \(run.id))"])
  }

  @Test(arguments: StoreKind.allCases) func aPlanThatWouldWriteALocalFieldIsRefusedAtTheWrite(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    _ = try fixture.directory.markLocal(["email"], of: .customID("1000"))
    let before = try fixture.accountLines()
    // Planned as a library caller might, without reading the local fields.
    let plan = try fixture.plan([Self.reEmailed(0)] + Self.students[1...], options: PlanOptions())
    #expect(plan.changes.map(\.customID) == ["1000"])
    let error = #expect(throws: (any Error).self) { try fixture.directory.apply(plan) }
    let message = error.map { "\($0)" } ?? ""
    let id = try Self.accountID(fixture, "1000")
    #expect(message.contains("it would write email, local to account #\(id)"), "\(message)")
    #expect(!message.contains("new0@sis.org"))
    #expect(try fixture.accountLines() == before)
  }

  /// A local email is not written, so another account holding the row's
  /// email is no conflict: the account's other fields update.
  @Test func aLocalEmailAnotherAccountHoldsIsNoConflict() throws {
    let fixture = try Self.fixture(.sqlite)
    let row = "S0,,Pupil,s1@x.org,1000,S1,Student,,4,Active"
    let conflicting = try Self.output(fixture, [row]).plan
    #expect(conflicting.findings.map(\.code) == [.emailConflict])
    _ = try fixture.directory.markLocal(["email"], of: .customID("1000"))
    let plan = try Self.output(fixture, [row]).plan
    #expect(plan.findings.isEmpty)
    #expect(plan.changes.map(\.changedColumns) == [[.grade]])
    #expect(plan.changes.first?.keptLocal == [KeptLocalField(column: .email, exportValue: "s1@x.org")])
  }

  /// A cleanup is the district's own edit: it may set a local field.
  @Test(arguments: StoreKind.allCases) func aCleanupMaySetALocalField(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    _ = try fixture.directory.changeSetting(SettingsRegistry.localFieldsKey, to: "grade")
    let snapshot = try fixture.directory.snapshot()
    let outcome = try CleanupPlan.plan(
      accounts: [0], action: .setGrade("4"), description: "set grade 4", directory: snapshot,
      options: try fixture.directory.settings().settings.planOptions())
    #expect(outcome.plan.changes.map(\.customID) == ["1000"])
    _ = try fixture.directory.apply(outcome.plan)
    #expect(try Self.line(fixture, "1000").hasSuffix(",4,Active"))
  }

  @Test(arguments: StoreKind.allCases) func badFieldsAndUnknownAccountsAreRefused(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let state = try fixture.directory.state
    #expect(throws: LocalFieldsError.self) { try fixture.directory.markLocal(["custom_id"], of: .customID("1000")) }
    #expect(throws: LocalFieldsError.self) { try fixture.directory.markLocal(["colour"], of: .customID("1000")) }
    #expect(throws: ProtectionError(message: "no account has custom_id 9999")) {
      try fixture.directory.markLocal(["email"], of: .customID("9999"))
    }
    #expect(throws: SettingError.self) { try fixture.directory.changeSetting("fields.local", to: "status") }
    #expect(try fixture.directory.state == state)
    #expect(try fixture.directory.changeSetting("fields.local", to: "grade, email") != nil)
    #expect(try fixture.directory.settings().settings.value("fields.local").value == "email,grade")
  }

  /// The review screen's live plan keeps what planning from scratch keeps.
  @Test func theLivePlanKeepsWhatPlanningFromScratchKeeps() throws {
    let fixture = try Self.fixture(.sqlite)
    _ = try fixture.directory.markLocal(["email"], of: .customID("1000"))
    let options = try fixture.directory.settings().settings.planOptions()
    let path = try fixture.export([Self.reEmailed(0), Self.reEmailed(1, grade: "4"), Self.students[2]])
    let output = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, options: options, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: output.validation, directory: output.directory, options: options,
      exportSHA256: output.plan.exportSHA256)
    #expect(live.plan().comparableLines == output.plan.comparableLines)
    #expect(live.keptLocal(row: 0)?.fields.map(\.column) == [.email])
    // Editing the row's custom_id to 1001's makes it no longer 1000's row.
    live.apply(.editCustomID(line: 2, customID: "1009"))
    #expect(live.keptLocal(row: 0) == nil)
    live.undo()
    #expect(live.keptLocal(row: 0)?.fields.map(\.column) == [.email])
  }
}
