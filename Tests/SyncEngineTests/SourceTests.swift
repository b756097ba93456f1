import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Several sources (issue 15, item 4): the SIS owns students and teachers,
/// the HR system staff and administrators; each source's run disables only
/// its own accounts, never takes over another's, records what it manages,
/// and history names it.
@Suite struct SourceTests {
  static let declared = "powerschool=Student,Teacher;hr=Staff,Administrator"

  /// Three students and a teacher (the SIS's), two staff and an
  /// administrator (HR's), all at Lincoln (S1).
  static let sis = [
    "S0,,Pupil,s0@x.org,1000,S1,Student,,3,Active", "S1,,Pupil,s1@x.org,1001,S1,Student,,3,Active",
    "S2,,Pupil,s2@x.org,1002,S1,Student,,3,Active", "T0,,Teach,t0@x.org,T100,S1,Teacher,Math,,Active",
  ]
  static let hr = [
    "H0,,Staff,h0@x.org,E200,S1,Staff,Clerk,,Active", "H1,,Staff,h1@x.org,E201,S1,Staff,Nurse,,Active",
    "A0,,Boss,a0@x.org,E202,S1,Administrator,Principal,,Active",
  ]

  static func fixture(_ store: StoreKind, sources: String? = declared) throws -> SyncFixture {
    let fixture = try SyncFixture(accounts: sis + hr, store: store)
    if let sources { _ = try fixture.directory.changeSetting(SettingsRegistry.sourcesKey, to: sources) }
    return fixture
  }

  /// The plan of `rows` as the run of `source`, under the directory's settings.
  static func output(_ fixture: SyncFixture, _ rows: [String], source: String?, disableMissing: Bool = false)
    throws -> PlanPipeline.Output
  {
    let settings = try fixture.directory.settings().settings
    try settings.checkSource(source)
    return try PlanPipeline.run(
      PlanPipeline.Input(
        exportPath: try fixture.export(rows),
        options: settings.planOptions(disableMissing: disableMissing, source: source)),
      directory: fixture.directory)
  }

  /// The run an apply made (a failed expectation when it applied nothing).
  static func applied(_ fixture: SyncFixture, _ plan: Plan) throws -> RunRecord {
    guard case .applied(let run) = try fixture.directory.apply(plan) else { throw NothingApplied() }
    return run
  }
  struct NothingApplied: Error {}

  static func status(_ fixture: SyncFixture, _ customID: String) throws -> String? {
    try fixture.accountLines().first { $0.contains(",\(customID),") }?.split(separator: ",").last.map(String.init)
  }

  @Test(arguments: StoreKind.allCases) func twoSourcesEachDisableOnlyTheirOwn(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    // The SIS no longer lists student 1002; it never lists HR's people.
    let sisPlan = try Self.output(
      fixture, Array(Self.sis.prefix(2)) + [Self.sis[3]], source: "powerschool",
      disableMissing: true
    ).plan
    #expect(sisPlan.changes.map(\.customID) == ["1002"])
    #expect(sisPlan.changes.map(\.action) == [.disable])
    #expect(sisPlan.managedAccountsInScope == 4)
    let sisRun = try Self.applied(fixture, sisPlan)
    #expect(sisRun.source == "powerschool")
    #expect(try Self.status(fixture, "1002") == "Disabled")
    for customID in ["E200", "E201", "E202"] { #expect(try Self.status(fixture, customID) == "Active") }

    // HR no longer lists E201 and E202; it never lists the SIS's people.
    let hrPlan = try Self.output(fixture, [Self.hr[0]], source: "hr", disableMissing: true).plan
    #expect(hrPlan.changes.map(\.customID) == ["E201", "E202"])
    #expect(hrPlan.managedAccountsInScope == 3)
    let hrRun = try Self.applied(fixture, hrPlan)
    #expect(hrRun.source == "hr")
    for customID in ["E201", "E202"] { #expect(try Self.status(fixture, customID) == "Disabled") }
    for customID in ["1000", "1001", "T100", "E200"] { #expect(try Self.status(fixture, customID) == "Active") }

    // Each run recorded its source as the manager of what it changed.
    let managers = try fixture.directory.reading { try $0.accountSources() }
    let byCustomID = try fixture.directory.reading { reading in
      try managers.keys.map { (try reading.account(id: $0)!.values[.customID], managers[$0]!) }
    }
    #expect(Dictionary(uniqueKeysWithValues: byCustomID) == ["1002": "powerschool", "E201": "hr", "E202": "hr"])
    // History names the source of each run, in text and JSON.
    let runs = try fixture.directory.runs()
    #expect(runs.prefix(2).map(\.source) == ["hr", "powerschool"])
    #expect(RunReport.json(runs[0], result: nil).contains(#""source":"hr""#))
    let (_, changes) = try #require(try fixture.directory.run(id: hrRun.id))
    #expect(changes.filter(\.isSourceChange).map(\.customID) == ["E201", "E202"])
  }

  @Test(arguments: StoreKind.allCases) func aRowNamingAnotherSourcesAccountIsAFindingAndChangesNothing(
    store: StoreKind
  ) throws {
    let fixture = try Self.fixture(store)
    let before = try fixture.accountLines()
    // HR's export names student 1000 (with a new grade), and would create a student.
    let rows = [
      Self.sis[0].replacingOccurrences(of: ",3,Active", with: ",4,Active"), Self.hr[0],
      "N0,,New,n0@x.org,1099,S1,Student,,3,Active",
    ]
    let output = try Self.output(fixture, rows, source: "hr")
    let plan = output.plan
    #expect(plan.rowOutcomes == [.error, .unchanged, .error])
    #expect(plan.changes.isEmpty)
    #expect(plan.summary.rowsWithErrors == 2)
    let found = plan.findings.filter { $0.code == .otherSourceAccount || $0.code == .otherSourceUserType }
    #expect(found.map(\.code.id) == ["E065", "E066"])
    #expect(found.map(\.line) == [2, 4])
    #expect(found[0].message == "the account with custom_id 1000 is managed by source powerschool, not hr")
    // An unchanged row naming another's account is a finding too.
    let unchanged = try Self.output(fixture, [Self.sis[1], Self.hr[0]], source: "hr").plan
    #expect(unchanged.rowOutcomes == [.error, .unchanged])
    #expect(unchanged.findings.contains { $0.code == .otherSourceAccount && $0.line == 2 })
    _ = try? fixture.directory.apply(plan)
    #expect(try fixture.accountLines() == before)

    // An account declared one by one belongs to its source whatever its type.
    _ = try fixture.directory.changeSetting(
      SettingsRegistry.sourcesKey, to: "powerschool=Student,Teacher;hr=Staff,Administrator,id:T100")
    let teacher = try Self.output(fixture, Self.sis, source: "powerschool").plan
    #expect(teacher.findings.map(\.code) == [.otherSourceAccount])
    #expect(teacher.findings.first?.line == 5)
    let hrMissing = try Self.output(fixture, Self.hr, source: "hr", disableMissing: true).plan
    #expect(hrMissing.changes.map(\.customID) == ["T100"])
  }

  @Test(arguments: StoreKind.allCases) func createsRecordTheirSourceAndRevertRestoresTheManager(store: StoreKind)
    throws
  {
    let fixture = try Self.fixture(store)
    let created = "T9,,New,t9@x.org,T109,S1,Teacher,Art,,Active"
    let output = try Self.output(fixture, Self.sis + [created], source: "powerschool")
    let plan = output.plan
    #expect(plan.changes.map(\.action) == [.create])
    let text = PlanReport.text(plan, validation: output.validation, directoryPath: "d")
    #expect(text.contains("  Source: powerschool ("))
    let json = PlanReport.json(plan, validation: output.validation)
    #expect(json.contains(#""source":"powerschool""#))
    #expect(json.contains(#""account_id":null,"source":"powerschool""#))
    let run = try Self.applied(fixture, plan)
    func manager(_ customID: String) throws -> String? {
      try fixture.directory.reading { reading in
        let id = try #require(try reading.accountID(customID: customID, otherThan: 0))
        return try reading.accountSources()[id]
      }
    }
    #expect(try manager("T109") == "powerschool")
    let (_, changes) = try #require(try fixture.directory.run(id: run.id))
    #expect(changes.map(\.action) == ["create", RecordedChange.sourceAction])
    #expect(RunReport.describe(changes[1]) == "  recorded the source of T109 (account #8): (none) → powerschool")

    // The manager recorded wins over the user type: hr's own account,
    // recorded, stays hr's when it becomes a teacher.
    let moved = Self.hr[0].replacingOccurrences(of: "Staff,Clerk", with: "Teacher,Clerk")
    let hrPlan = try Self.output(fixture, [moved] + Self.hr[1...], source: "hr").plan
    #expect(hrPlan.changes.map(\.customID) == ["E200"])
    let hrRun = try Self.applied(fixture, hrPlan)
    #expect(try manager("E200") == "hr")
    let sisAgain = try Self.output(fixture, Self.sis + [created, moved], source: "powerschool").plan
    #expect(sisAgain.findings.map(\.code) == [.otherSourceAccount])

    // A source no longer declared manages nothing: E200 is a teacher, the SIS's now.
    _ = try fixture.directory.changeSetting(SettingsRegistry.sourcesKey, to: "powerschool=Student,Teacher;hris=Staff")
    let renamed = try Self.output(fixture, Self.sis + [created, moved], source: "powerschool").plan
    #expect(renamed.findings.isEmpty)
    #expect(renamed.rowOutcomes.last == .unchanged)
    _ = try fixture.directory.changeSetting(SettingsRegistry.sourcesKey, to: Self.declared)

    // Revert restores the manager before the run (none).
    _ = try fixture.directory.revert(runID: hrRun.id)
    #expect(try manager("E200") == nil)
    _ = try fixture.directory.revert(runID: run.id)
    #expect(try manager("T109") == nil)
    #expect(try Self.status(fixture, "T109") == "Disabled")
  }

  @Test(arguments: StoreKind.allCases) func idChangesReKeyOnlyTheSourcesOwnAccounts(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    // A teacher row with a new custom_id and staff E201's email: without
    // sources, E201 (absent) would be re-keyed to it.
    let renumbered = "H1,,Staff,h1@x.org,T777,S1,Teacher,Nurse,,Active"
    let sisPlan = try Self.output(fixture, Self.sis + [renumbered], source: "powerschool").plan
    #expect(sisPlan.summary.idChange == 0)
    #expect(sisPlan.findings.map(\.code) == [.emailConflict])
    let plain = try Self.fixture(store, sources: nil)
    let plainPlan = try Self.output(plain, Self.sis + [renumbered], source: nil).plan
    #expect(plainPlan.summary.idChange == 1)
  }

  @Test(arguments: StoreKind.allCases) func aSourceWaitsOutOnlyItsOwnAccountsGrace(store: StoreKind) throws {
    let fixture = try Self.fixture(store)
    func options(_ source: String, day: Int) throws -> PlanOptions {
      var options = try fixture.directory.settings().settings.planOptions(disableMissing: true, source: source)
      options.disableGrace = GraceDuration("14d")!
      options.now = GraceBeforeDisableTests.day(day)
      return options
    }
    func pending() throws -> [Int64] { try fixture.directory.read { try $0.pendingDisables().map(\.accountID) } }
    // HR's export drops E201 for a night: pending, HR's; the SIS's people are not pending.
    let hrNight = try fixture.plan([Self.hr[0], Self.hr[2]], options: try options("hr", day: 1))
    #expect(hrNight.pendingDisables.map(\.customID) == ["E201"])
    _ = try Self.applied(fixture, hrNight)
    #expect(try pending() == [6])
    // The SIS lists E201 (E065): HR's grace goes on, nothing of it cleared.
    let sisNight = try fixture.plan(Self.sis + [Self.hr[1]], options: try options("powerschool", day: 2))
    #expect(sisNight.clearedPendingDisables.isEmpty)
    #expect(sisNight.pendingDisables.isEmpty)
    #expect(sisNight.findings.map(\.code) == [.otherSourceAccount])
    // Fifteen days later HR still does not list E201: disabled, by HR.
    let hrLater = try fixture.plan([Self.hr[0], Self.hr[2]], options: try options("hr", day: 16))
    #expect(hrLater.changes.map(\.customID) == ["E201"])
    #expect(hrLater.changes.map(\.action) == [.disable])
  }

  @Test func aRunWithoutASourceIsRefusedWhenSourcesAreDeclared() throws {
    let declared = DirectorySettings(stored: [SettingsRegistry.sourcesKey: Self.declared])
    #expect(throws: SettingError.self) { try declared.checkSource(nil) }
    #expect(throws: SettingError.self) { try declared.checkSource("clever") }
    try declared.checkSource("hr")
    let none = DirectorySettings()
    try none.checkSource(nil)
    do {
      try none.checkSource("hr")
      Issue.record("a source in a directory that declares none was accepted")
    } catch {
      #expect(error.message.hasPrefix("--source hr: this directory declares no sources"))
    }
    do {
      try declared.checkSource(nil)
    } catch {
      #expect(
        error.message
          == "this directory declares several sources (hr, powerschool): say which one this export comes from with "
          + "--source NAME")
    }
  }

  @Test func theSettingIsCheckedAndWrittenCanonically() throws {
    let definition = try SettingsRegistry.definition(SettingsRegistry.sourcesKey)
    #expect(
      try definition.checked("PowerSchool = teacher, student ; HR=staff,id:E1,Administrator")
        == "hr=Staff,Administrator,id:E1;powerschool=Teacher,Student")
    #expect(try definition.checked("none") == "none")
    // A user type or an account owned twice, a source named twice, a bad name: refused.
    for bad in ["a=Student;b=Student", "a=id:1;b=id:1", "a=Staff;a=Teacher", "a b=Staff", "a=Pupil", "a"] {
      #expect(throws: SettingError.self) { try definition.checked(bad) }
    }
  }

  @Test(arguments: StoreKind.allCases) func withoutSourcesNothingChanges(store: StoreKind) throws {
    let fixture = try Self.fixture(store, sources: nil)
    // No sources declared, no --source: disable-missing considers every account, as before.
    let plan = try Self.output(fixture, Array(Self.sis.prefix(3)), source: nil, disableMissing: true).plan
    #expect(plan.changes.map(\.customID) == ["T100", "E200", "E201", "E202"])
    let run = try Self.applied(fixture, plan)
    #expect(run.source == nil)
    #expect(try fixture.directory.reading { try $0.accountSources() }.isEmpty)
    #expect(RunReport.json(run, result: nil).contains(#""source":null"#))
  }
}
