import Foundation
import SampleFiles
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// The year-end rollover (issue 16, items 3 and 4): the changes it expects
/// are grouped, and the thresholds count only what it does not explain;
/// schools' grade ranges and own thresholds, and the window, are settings.
@Suite struct RolloverTests {
  /// The generated district in a directory, with the rollover export.
  static func district(_ store: StoreKind, _ district: RolloverDistrict = RolloverDistrict()) throws -> (
    fixture: SyncFixture, export: String
  ) {
    func lines(_ csv: String) -> [String] { csv.split(separator: "\n").dropFirst().map(String.init) }
    let fixture = try SyncFixture(
      organizations: lines(district.organizationsCSV), accounts: lines(district.accountsCSV), store: store)
    let export = try SyncFixture.write(fixture.folder, "rollover.csv", [district.rolloverExportCSV])
    return (fixture, export)
  }

  static func plan(_ fixture: SyncFixture, _ export: String, _ options: PlanOptions) throws -> Plan {
    try output(fixture, export, options).plan
  }

  static func output(_ fixture: SyncFixture, _ export: String, _ options: PlanOptions) throws -> PlanPipeline.Output {
    try PlanPipeline.run(PlanPipeline.Input(exportPath: export, options: options), directory: fixture.directory)
  }

  static func storeGradeRanges(_ fixture: SyncFixture) throws {
    for school in RolloverDistrict.schools {
      _ = try fixture.directory.changeSetting("grades." + school.id, to: school.range)
    }
  }

  /// The acceptance case: 6,000 students K–12, planned with
  /// --disable-missing under the default thresholds: held without the
  /// profile (the 12th grade's disables), passed with it, the expected
  /// changes in three groups, the leavers still counted; then applied.
  @Test(arguments: StoreKind.allCases)
  func aRolloverPassesWithTheProfileAndIsHeldWithoutIt(_ store: StoreKind) throws {
    let generated = RolloverDistrict()
    let (fixture, export) = try Self.district(store, generated)
    try Self.storeGradeRanges(fixture)
    let settings = try fixture.directory.settings().settings

    let without = try Self.plan(fixture, export, settings.planOptions(disableMissing: true))
    #expect(without.isHeld)
    #expect(without.holds.map(\.threshold.action) == [.disable])
    #expect(without.summary.disable == generated.expectedGraduates + generated.leavers)
    #expect(without.rollover == nil)

    let output = try Self.output(fixture, export, settings.planOptions(disableMissing: true, profile: .rollover))
    let with = output.plan
    #expect(!with.isHeld, "\(with.holds.map(\.message))")
    let rollover = try #require(with.rollover)
    #expect(rollover.count(.graduates) == generated.expectedGraduates)
    #expect(rollover.count(.schoolUp) == generated.expectedSchoolMoves)
    #expect(rollover.count(.gradeUp) == generated.expectedGradeMoves)
    #expect(rollover.unexplained.disable == generated.leavers)
    #expect(rollover.unexplained.create == generated.newStudents)
    #expect(rollover.unexplained.update == 0)
    #expect(rollover.schoolsWithoutGrades.isEmpty)
    #expect(with.changes == without.changes, "the profile changes what is judged, never what is planned")
    #expect(RolloverGroup.gradeUp.title(count: 4613) == "4,613 students move up one grade")

    // The report shows the groups (text and JSON).
    let validation = output.validation
    let text = PlanReport.text(with, validation: validation, directoryPath: "d")
    #expect(text.contains("\(generated.expectedGraduates) graduates disabled"))
    let json = PlanReport.json(with, validation: validation)
    #expect(json.contains("\"group\":\"school_up\",\"count\":\(generated.expectedSchoolMoves)"))
    #expect(json.contains("\"rollover\":\"graduates\""))

    guard case .applied(let run) = try fixture.directory.apply(with) else {
      Issue.record("the rollover was not applied")
      return
    }
    #expect(run.counts["disable"] == generated.expectedGraduates + generated.leavers)
  }

  /// The window turns the profile on by itself; --profile none turns it
  /// off inside it; outside it, nothing.
  @Test func theWindowTurnsTheProfileOnByItself() throws {
    let settings = DirectorySettings(stored: ["rollover.window": "2026-08-01..2026-08-31", "grades.E1": "K-5"])
    let inside = try #require(settings.rolloverProfile(flag: nil, today: "2026-08-15"))
    #expect(inside.reason == .window("2026-08-01..2026-08-31"))
    #expect(inside.gradeRanges == ["E1": GradeRange("K-5")!])
    #expect(settings.rolloverProfile(flag: nil, today: "2026-09-01") == nil)
    #expect(settings.rolloverProfile(flag: PlanProfile.none, today: "2026-08-15") == nil)
    #expect(settings.rolloverProfile(flag: .rollover, today: "2026-09-01")?.reason == .flag)
    // A file's range is over the setting's.
    let file = settings.rolloverProfile(flag: .rollover, gradeRangesFromFile: ["E1": GradeRange("PreK-6")!])
    #expect(file?.gradeRanges["E1"]?.description == "PreK-6")
  }

  /// The settings of the rollover and of single schools: checked, stored,
  /// listed, and seen by the next plan.
  @Test(arguments: StoreKind.allCases)
  func settingsOfSchoolsAreCheckedStoredAndSeenByTheNextPlan(_ store: StoreKind) throws {
    #expect(try SettingsRegistry.definition("grades.E1").checked("kg-05") == "K-5")
    #expect(try SettingsRegistry.definition("grades.E1").checked("Pre-K-8") == "PreK-8")
    #expect(throws: SettingError.self) { try SettingsRegistry.definition("grades.E1").checked("5-K") }
    #expect(throws: SettingError.self) { try SettingsRegistry.definition("grades.E1").checked("K-13") }
    #expect(try SettingsRegistry.definition("threshold.disable.H1").checked("600") == "600")
    #expect(try SettingsRegistry.definition("rollover.window").checked("2026-08-01..2026-08-31") != "")
    #expect(throws: SettingError.self) {
      try SettingsRegistry.definition("rollover.window").checked("2026-02-30..2026-03-01")
    }
    #expect(throws: SettingError.self) { try SettingsRegistry.definition("grades.") }

    let (fixture, export) = try Self.district(store, RolloverDistrict(students: 260, teachers: 6))
    // Without grade ranges, the moves to a new school are not expected (W076).
    var settings = try fixture.directory.settings().settings
    let bare = try Self.plan(fixture, export, settings.planOptions(disableMissing: true, profile: .rollover))
    #expect(bare.rollover?.count(.schoolUp) == 0)
    #expect(bare.rollover?.schoolsWithoutGrades.count == 6)
    #expect(bare.findings.contains { $0.code == .schoolWithoutGradeRange })

    try Self.storeGradeRanges(fixture)
    _ = try fixture.directory.changeSetting("grades.X9", to: "K-5")
    settings = try fixture.directory.settings().settings
    #expect(settings.entries.contains { $0.definition.key == "grades.E3" && $0.value == "K-5" && $0.isStored })
    #expect(settings.unknownKeys.isEmpty)
    let next = try Self.plan(fixture, export, settings.planOptions(disableMissing: true, profile: .rollover))
    #expect(next.rollover?.count(.schoolUp) == RolloverDistrict(students: 260).expectedSchoolMoves)
    #expect(next.findings.contains { $0.code == .settingForUnknownSchool && $0.message.contains("grades.X9") })

    // A school's own threshold: its changes judged apart, against its accounts.
    _ = try fixture.directory.changeSetting("threshold.disable.M1", to: "1")
    settings = try fixture.directory.settings().settings
    #expect(settings.schoolThresholds == [SchoolThreshold(school: "M1", threshold: Threshold.parse("disable=1")!)])
    let held = try Self.plan(fixture, export, settings.planOptions(disableMissing: true, profile: .rollover))
    let hold = try #require(held.holds.first)
    #expect(held.holds.count == 1)
    #expect(hold.school == "M1")
    #expect(hold.count == 2, "two of the three leavers were at M1")
    #expect(hold.message.hasPrefix("at school M1: 2 disable of "))
  }

  /// Without the profile, a school's own threshold lets a closing school
  /// (or the high school's graduates) through while the district-wide one
  /// still judges the other schools.
  @Test func aSchoolsOwnThresholdReplacesTheDistrictWideOneForItsChanges() throws {
    let generated = RolloverDistrict(students: 3000)
    let (fixture, export) = try Self.district(.memory, generated)
    _ = try fixture.directory.changeSetting("threshold.disable.H1", to: "off")
    let settings = try fixture.directory.settings().settings
    let plan = try Self.plan(fixture, export, settings.planOptions(disableMissing: true))
    #expect(!plan.isHeld, "\(plan.holds.map(\.message))")
    #expect(plan.summary.disable == generated.expectedGraduates + generated.leavers)
    // A district-wide limit of 1 now holds on the leavers alone (not at H1).
    let strict = try Self.plan(
      fixture, export, settings.planOptions(disableMissing: true, thresholds: [Threshold.parse("disable=1")!]))
    #expect(strict.holds.map(\.count) == [generated.leavers])
  }

  /// What the profile explains, change by change.
  @Test func theProfileExplainsOnlyTheExpectedSteps() {
    let profile = RolloverProfile(
      reason: .flag, gradeRanges: ["E1": GradeRange("K-5")!, "M1": GradeRange("6-8")!, "H1": GradeRange("9-12")!])
    func change(_ action: ChangeAction, from: (String, String), to: (String, String), type: String = "Student")
      -> PlannedChange
    {
      var before = AccountValues(values: Array(repeating: "", count: ExportColumn.count))
      before[.userType] = type
      before[.status] = "Active"
      (before[.grade], before[.schoolExternalID]) = from
      var after = before
      (after[.grade], after[.schoolExternalID]) = to
      if action == .disable { after[.status] = "Disabled" }
      return PlannedChange(
        action: action, customID: "S1", line: nil, accountID: 1, organizationID: 1, before: before, after: after)
    }
    #expect(profile.group(of: change(.update, from: ("K", "E1"), to: ("1", "E1"))) == .gradeUp)
    #expect(profile.group(of: change(.update, from: ("5", "E1"), to: ("6", "M1"))) == .schoolUp)
    #expect(profile.group(of: change(.update, from: ("8", "M1"), to: ("9", "H1"))) == .schoolUp)
    #expect(profile.group(of: change(.disable, from: ("12", "H1"), to: ("12", "H1"))) == .graduates)
    // Not expected: two grades up, down a grade, a move not from the top
    // grade, a school's top grade staying, a teacher, another grade disabled.
    #expect(profile.group(of: change(.update, from: ("3", "E1"), to: ("5", "E1"))) == nil)
    #expect(profile.group(of: change(.update, from: ("4", "E1"), to: ("3", "E1"))) == nil)
    #expect(profile.group(of: change(.update, from: ("4", "E1"), to: ("5", "M1"))) == nil)
    #expect(profile.group(of: change(.update, from: ("5", "E1"), to: ("6", "E1"))) == nil)
    #expect(profile.group(of: change(.update, from: ("K", "E1"), to: ("1", "E1"), type: "Teacher")) == nil)
    #expect(profile.group(of: change(.disable, from: ("11", "H1"), to: ("11", "H1"))) == nil)
    // Another field changed as well: a person's judgement, counted.
    var renamed = change(.update, from: ("K", "E1"), to: ("1", "E1"))
    renamed.after[.lastName] = "Other"
    #expect(profile.group(of: renamed) == nil)
    // PreK moves up to K.
    #expect(
      RolloverProfile(reason: .flag).group(of: change(.update, from: ("PreK", "E1"), to: ("K", "E1"))) == .gradeUp)
  }

  /// Grade ranges from an organizations file: SDS School.csv's Grade Low
  /// and Grade High; a grade off the ladder is named by line and column.
  @Test func gradeRangesComeFromAnOrganizationsFileWithGrades() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rollover-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let paths = try RolloverDistrict().write(to: folder)
    let read = try OrganizationsFile.read(path: paths.schools).gradeRanges()
    #expect(
      read.ranges == Dictionary(uniqueKeysWithValues: RolloverDistrict.schools.map { ($0.id, GradeRange($0.range)!) }))
    #expect(read.withoutGrades.isEmpty)

    let bad = folder.appendingPathComponent("bad.csv").path
    try Data("SIS ID,Name,Grade Low,Grade High\n1,A,K,5\n2,B,KG,Adult\n3,C,,\n".utf8).write(
      to: URL(fileURLWithPath: bad))
    let error = #expect(throws: OrganizationsFileError.self) { try OrganizationsFile.read(path: bad).gradeRanges() }
    #expect(error?.problems == ["\(bad):3:4: 'Adult' is not a grade (PreK, K, 1 to 12)"])
    #expect(throws: OrganizationsFileError.self) { try OrganizationsFile.read(path: paths.organizations).gradeRanges() }
    // The school without grades is listed, not dropped.
    let partial = folder.appendingPathComponent("partial.csv").path
    try Data("SIS ID,Name,Grade Low,Grade High\n1,A,PK,05\n3,C,,\n".utf8).write(to: URL(fileURLWithPath: partial))
    let some = try OrganizationsFile.read(path: partial).gradeRanges()
    #expect(some.ranges == ["1": GradeRange("PreK-5")!])
    #expect(some.withoutGrades == ["3"])

    if SampleFiles.haveRealWorld {
      let real = try OrganizationsFile.read(path: SampleFiles.real("ms-sds/v1-100users/School.csv")).gradeRanges()
      #expect(real.ranges["10001"]?.description == "9-12")
    }
  }
}
