import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Protected accounts and organizations (issue 15, item 3): the sync never
/// changes a protected account, a protected school's accounts are never
/// disabled as missing, protections lapse after their date, and each
/// protect or unprotect is a run in history.
@Suite struct ProtectionTests {
  /// Four students at Lincoln (S1) and one at Roosevelt (S2).
  static let students =
    (0..<4).map { "S\($0),,Pupil,s\($0)@x.org,\(1000 + $0),S1,Student,,3,Active" }
    + ["R0,,Pupil,r0@x.org,2000,S2,Student,,3,Active"]

  static func fixture(_ store: StoreKind) throws -> SyncFixture {
    try SyncFixture(accounts: students, store: store)
  }

  /// The plan of `rows` under the directory's settings and protections, on `today`.
  static func plan(_ fixture: SyncFixture, _ rows: [String], disableMissing: Bool = false, today: String = "2026-06-01")
    throws -> Plan
  {
    try output(fixture, rows, disableMissing: disableMissing, today: today).plan
  }

  static func output(
    _ fixture: SyncFixture, _ rows: [String], disableMissing: Bool = false, today: String = "2026-06-01"
  ) throws -> PlanPipeline.Output {
    var options = try fixture.directory.settings().settings.planOptions(disableMissing: disableMissing)
    options.protections.today = today
    return try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(rows), options: options), directory: fixture.directory)
  }

  static func regraded(_ index: Int, to grade: String = "4") -> String {
    students[index].replacingOccurrences(of: ",3,Active", with: ",\(grade),Active")
  }

  @Test(arguments: StoreKind.allCases) func aProtectedAccountIsNeitherChangedNorDisabled(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    try #require(try fixture.directory.protect(.customID("1000"), reason: "on leave", until: nil) != nil)
    let before = try fixture.accountLines()
    // The export would change 1000's grade and 1001's.
    let output = try Self.output(fixture, [Self.regraded(0), Self.regraded(1)] + Array(Self.students[2...]))
    let changing = output.plan
    #expect(changing.changes.map(\.customID) == ["1001"])
    #expect(changing.summary.update == 1)
    #expect(changing.summary.heldBack == 1)
    #expect(changing.summary.rowsWithErrors == 0)
    #expect(changing.heldBack.map(\.would.action) == [.update])
    #expect(changing.heldBack.first?.reason == "protected: on leave")
    #expect(changing.rowOutcomes.first == .heldBack)
    let text = PlanReport.text(changing, validation: output.validation, directoryPath: "d")
    #expect(text.contains("1 held back by protection (not changed):"))
    #expect(text.contains("! line 2 1000  Pupil, S0: would update — protected: on leave"))
    let json = PlanReport.json(changing, validation: output.validation)
    #expect(json.contains(#""held_back":1"#))
    #expect(json.contains(#""would":"update","reason":"protected: on leave","until":null"#))
    _ = try fixture.directory.apply(changing)
    let after = try fixture.accountLines()
    #expect(after.first { $0.contains(",1000,") } == before.first { $0.contains(",1000,") })

    // Then absent from the export, with --disable-missing: not disabled either.
    let missing = try Self.plan(fixture, Array(Self.students[1...]), disableMissing: true)
    #expect(missing.summary.disable == 0)
    #expect(missing.heldBack.map(\.would.action) == [.disable])
    #expect(missing.heldBack.map(\.would.customID) == ["1000"])
    #expect(missing.heldBack.first?.would.line == nil)
    _ = try fixture.directory.apply(missing)
    #expect(try fixture.accountLines().first { $0.contains(",1000,") }?.hasSuffix("Active") == true)
  }

  @Test(arguments: StoreKind.allCases) func aProtectedSchoolKeepsItsAccountsFromDisableMissingOnly(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    try #require(try fixture.directory.protect(.organization("S1"), reason: "pilot school", until: nil) != nil)
    // 1000 changes grade; 1001–1003 (Lincoln) and 2000 (Roosevelt) are missing.
    let plan = try Self.plan(
      fixture, [Self.regraded(0), "R1,,Pupil,r1@x.org,2001,S2,Student,,3,Active"], disableMissing: true)
    #expect(plan.changes.filter { $0.action == .update }.map(\.customID) == ["1000"])
    #expect(plan.changes.filter { $0.action == .disable }.map(\.customID) == ["2000"])
    #expect(plan.heldBack.map(\.would.customID) == ["1001", "1002", "1003"])
    #expect(plan.heldBack.allSatisfy { $0.reason == "organization Lincoln is protected: pilot school" })
  }

  @Test(arguments: StoreKind.allCases) func anExpiredProtectionLapsesWithANote(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    try #require(try fixture.directory.protect(.customID("1000"), reason: "on leave", until: "2026-05-31") != nil)
    let rows = [Self.regraded(0)] + Array(Self.students[1...])
    // Still the last day: held back.
    #expect(try Self.plan(fixture, rows, today: "2026-05-31").heldBack.count == 1)
    let lapsed = try Self.plan(fixture, rows, today: "2026-06-01")
    #expect(lapsed.heldBack.isEmpty)
    #expect(lapsed.changes.map(\.customID) == ["1000"])
    let notes = lapsed.findings.filter { $0.code == .protectionExpired }
    #expect(
      notes.map(\.message) == [
        "protection of account #\(try Self.accountID(fixture, "1000")) (custom_id 1000) expired on 2026-05-31: "
          + "it is planned as any other"
      ])
    let entries = try fixture.directory.protectionEntries(today: "2026-06-01")
    #expect(entries.map(\.holds) == [false])
    #expect(ProtectionReport.text(entries).contains("EXPIRED on 2026-05-31"))
  }

  static func accountID(_ fixture: SyncFixture, _ customID: String) throws -> Int64 {
    let snapshot = try fixture.directory.snapshot()
    return snapshot.accountIDs[try #require(snapshot.account(customID: customID))]
  }

  @Test(arguments: StoreKind.allCases) func protectAndUnprotectAreRunsThatRevertUndoes(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let id = try Self.accountID(fixture, "1001")
    let state = try fixture.directory.state
    let protect = try #require(try fixture.directory.protect(.accountNumber(id), reason: "court order", until: nil))
    #expect(protect.exportPath == "sis-sync protect: protect account #\(id)")
    #expect(protect.counts == [RecordedChange.protectionAction: 1])
    #expect(try fixture.directory.state.token != state.token)
    let (_, changes) = try #require(try fixture.directory.run(id: protect.id))
    #expect(
      changes.map(RunReport.describe) == [
        "  changed the protection of (account #\(id)): not protected → protected (court order)"
      ])
    // The same again changes nothing.
    #expect(try fixture.directory.protect(.customID("1001"), reason: "court order", until: nil) == nil)
    let reverted = try fixture.directory.revert(runID: protect.id)
    #expect(reverted.reverted.count == 1)
    #expect(try fixture.directory.read { try $0.protections() }.isEmpty)

    _ = try fixture.directory.protect(.customID("1001"), reason: "court order", until: "2027-01-01")
    let unprotect = try #require(try fixture.directory.unprotect(.customID("1001")))
    #expect(try fixture.directory.read { try $0.protections() }.isEmpty)
    #expect(try fixture.directory.unprotect(.customID("1001")) == nil)
    _ = try fixture.directory.revert(runID: unprotect.id)
    let restored = try fixture.directory.read { try $0.protections() }
    #expect(restored.map(\.reason) == ["court order"])
    #expect(restored.map(\.until) == ["2027-01-01"])
    #expect(restored.map(\.targetID) == [id])
  }

  @Test(arguments: StoreKind.allCases) func aPlanMadeBeforeAProtectionIsRefusedAsStale(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let plan = try Self.plan(fixture, [Self.regraded(0)] + Array(Self.students[1...]))
    let run = try #require(try fixture.directory.protect(.customID("1000"), reason: "on leave", until: nil))
    let error = #expect(throws: ApplyRefusal.self) { try fixture.directory.apply(plan) }
    #expect(error?.staleChanges == ["protection change: protect custom_id 1000 (run \(run.id))"])
    #expect(error.map { "\($0)" }?.contains("(1 protection)") == true)
  }

  @Test(arguments: StoreKind.allCases) func unknownTargetsAndBadInputAreRefused(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    let state = try fixture.directory.state
    #expect(throws: ProtectionError(message: "no account has custom_id 9999")) {
      try fixture.directory.protect(.customID("9999"), reason: "x", until: nil)
    }
    #expect(throws: ProtectionError(message: "there is no account #999")) {
      try fixture.directory.protect(.accountNumber(999), reason: "x", until: nil)
    }
    #expect(throws: ProtectionError(message: "no organization has the external ID or the name 'Nowhere'")) {
      try fixture.directory.protect(.organization("Nowhere"), reason: "x", until: nil)
    }
    #expect(throws: ProtectionError.self) { try fixture.directory.protect(.customID("1000"), reason: " ", until: nil) }
    #expect(throws: ProtectionError.self) {
      try fixture.directory.protect(.customID("1000"), reason: "x", until: "2026-02-30")
    }
    #expect(try fixture.directory.state == state)
    // By name works as by external ID.
    #expect(try fixture.directory.protect(.organization("Roosevelt"), reason: "x", until: nil) != nil)
  }

  @Test func theLivePlanHoldsBackWhatPlanningFromScratchDoes() throws {
    let fixture = try Self.fixture(.sqlite)
    _ = try fixture.directory.protect(.customID("1000"), reason: "on leave", until: nil)
    _ = try fixture.directory.protect(.organization("S1"), reason: "pilot", until: nil)
    var options = try fixture.directory.settings().settings.planOptions(disableMissing: true)
    options.protections.today = "2026-06-01"
    let path = try fixture.export([Self.regraded(0), Self.regraded(1)])
    let output = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, options: options, keepsRows: true), directory: fixture.directory)
    let live = LivePlan(
      validation: output.validation, directory: output.directory, options: options,
      exportSHA256: output.plan.exportSHA256)
    #expect(live.plan().comparableLines == output.plan.comparableLines)
    #expect(live.heldBack(row: 0)?.would.action == .update)
    #expect(live.heldBackAbsentAccounts.map(\.would.customID) == ["1002", "1003"])
    #expect(output.plan.heldBack.map(\.would.customID) == ["1000", "1002", "1003"])
    // Excluding the protected row takes it out of Held back, as from scratch.
    live.apply(.exclude(line: 2))
    #expect(live.plan().heldBack.map(\.would.customID) == ["1002", "1003"])
  }

  @Test(arguments: StoreKind.allCases) func aCleanupLeavesOutProtectedAccountsWithTheReason(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    _ = try fixture.directory.protect(.customID("1001"), reason: "on leave", until: nil)
    let options = try fixture.directory.settings().settings.planOptions()
    let snapshot = try fixture.directory.snapshot()
    let outcome = try CleanupPlan.plan(
      accounts: Array(0..<4), action: .disable, description: "disable Lincoln", directory: snapshot, options: options)
    #expect(outcome.plan.changes.map(\.customID) == ["1000", "1002", "1003"])
    #expect(outcome.leftOut.map(\.reason) == ["protected: on leave"])
    #expect(outcome.leftOut.map(\.accountID) == [try Self.accountID(fixture, "1001")])
  }

  @Test(arguments: StoreKind.allCases) func aPlanMadeWithoutTheProtectionsIsRefusedAtTheWrite(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    let lincoln = try #require(try fixture.directory.snapshot().organizations.first { $0.name == "Lincoln" })
    _ = try fixture.directory.protect(.customID("1000"), reason: "on leave", until: nil)
    _ = try fixture.directory.protect(.organization("Lincoln"), reason: "pilot", until: nil)
    let before = try fixture.accountLines()
    // Planned as a library caller might, without reading the protections.
    let plan = try fixture.plan([Self.regraded(0)] + Array(Self.students[1...]), options: PlanOptions())
    #expect(plan.changes.map(\.customID) == ["1000"])
    let error = #expect(throws: (any Error).self) { try fixture.directory.apply(plan) }
    #expect("\(error!)".contains("is protected (on leave): the sync does not change it"), "\(error!)")
    var renamed = plan
    renamed.changes = []
    renamed.organizationChanges = [
      OrganizationChange(organizationID: lincoln.id, name: "Lincoln", before: "S1", after: "S9")
    ]
    let organizationError = #expect(throws: (any Error).self) { try fixture.directory.apply(renamed) }
    #expect("\(organizationError!)".contains("is protected (pilot): its external ID is kept"), "\(organizationError!)")
    #expect(try fixture.accountLines() == before)
  }

  /// A protected account is never re-keyed: a row with a new custom_id
  /// and its email stays a create, and the account keeps its ID.
  @Test func aProtectedAccountIsNoIDChange() throws {
    let fixture = try Self.fixture(.sqlite)
    try #require(try fixture.directory.protect(.customID("1000"), reason: "on leave", until: nil) != nil)
    let renumbered = Self.students[0].replacingOccurrences(of: ",1000,", with: ",9000,")
    try #require(renumbered != Self.students[0])
    let plan = try Self.plan(fixture, [renumbered] + Array(Self.students.dropFirst()))
    #expect(plan.summary.idChange == 0)
    #expect(plan.changes.allSatisfy { $0.action != .idChange })
    // Without the protection the same row is the account's ID change.
    let unprotected = try Self.fixture(.sqlite)
    let free = try Self.plan(unprotected, [renumbered] + Array(Self.students.dropFirst()))
    #expect(free.summary.idChange == 1)
  }
}
