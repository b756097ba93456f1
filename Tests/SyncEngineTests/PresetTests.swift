import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

private let presetsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/presets")

/// An export read through a preset, with its rows by line.
private struct Mapped {
  let result: ValidationResult
  let rowsByLine: [Int: Int]

  init(_ file: String, preset: String) throws {
    let mapping = try #require(MappingPreset.named(preset)).mapping
    result = try ExportValidator.validate(
      file: presetsFolder.appendingPathComponent(file).path,
      options: ValidationOptions(mapping: mapping, keepsRows: true))
    let table = try #require(result.table, "\(file) is not usable: \(result.findings.map(\.message))")
    rowsByLine = Dictionary(uniqueKeysWithValues: (0..<table.rowCount).map { (table.line(ofRow: $0), $0) })
  }

  func value(line: Int, _ column: ExportColumn) -> String? {
    rowsByLine[line].map { result.table!.value(row: $0, column: column) }
  }

  func codes(line: Int) -> [String] { result.findings.filter { $0.line == line }.map(\.code.id) }
  func findings(_ code: FindingCode) -> [Finding] { result.findings.filter { $0.code == code } }
}

@Suite struct PresetTests {
  @Test func everyPresetParsesAndShowsAsAMappingFileThatReadsBackTheSame() throws {
    #expect(MappingPreset.all.count >= 9)
    for preset in MappingPreset.all {
      var reread = try MappingFileParser.parse(preset.text, file: "shown")
      reread.origin = preset.mapping.origin
      #expect(reread == preset.mapping, "\(preset.name)")
    }
    #expect(Set(MappingPreset.all.map(\.name)).count == MappingPreset.all.count)
  }

  @Test func oneRoster11() throws {
    let mapped = try Mapped("oneroster-1.1/users.csv", preset: "oneroster-1.1")
    #expect(mapped.result.rowCount == 27)
    #expect(mapped.result.rowsSkippedByMapping == 5)
    // Roles outside the four types are skipped, each with its line, never silently.
    let skipped = mapped.findings(.skippedByMapping)
    #expect(
      skipped.map { "\($0.line ?? 0) \($0.value ?? "")" } == [
        "6 guardian", "11 parent", "16 aide", "25 relative", "30 proctor",
      ])
    for line in [6, 11, 16, 25, 30] { #expect(mapped.value(line: line, .customID) == nil) }
    // A user under several organizations: the first is the school, and it is said.
    #expect(mapped.value(line: 8, .schoolExternalID) == "org-s1")
    #expect(mapped.value(line: 32, .schoolExternalID) == "org-s2")
    #expect(mapped.findings(.firstOfList).contains { $0.column == "school_district_external_id" && $0.line == 8 })
    // CEDS grades; the first of a list; TK is left to the district.
    let grades: [Int: String] = [
      2: "K", 3: "PreK", 4: "1", 9: "PreK", 10: "PreK", 18: "9", 22: "Other", 23: "Unspecified", 24: "Other",
      29: "Other",
    ]
    for (line, grade) in grades { #expect(mapped.value(line: line, .grade) == grade, "line \(line)") }
    #expect(mapped.codes(line: 5) == ["E024"])
    // Roles and status: tobedeleted and enabledUser false are Disabled.
    #expect(mapped.value(line: 8, .userType) == "Teacher")
    #expect(mapped.value(line: 27, .userType) == "Administrator")
    #expect(mapped.value(line: 13, .status) == "Disabled")
    #expect(mapped.value(line: 14, .status) == "Disabled")
    #expect(mapped.value(line: 26, .status) == "Disabled")
    #expect(mapped.value(line: 17, .status) == "Active")
    #expect(mapped.value(line: 12, .firstName) == "美玲")
    #expect(mapped.value(line: 2, .customID) == "usr-1001")
    // The format's other columns (passwords, phones) are not reported as unused.
    #expect(mapped.findings(.unknownHeader).isEmpty)
  }

  @Test func oneRoster12TakesRoleAndSchoolFromTheCompanionRolesFile() throws {
    let mapped = try Mapped("oneroster-1.2/users.csv", preset: "oneroster-1.2")
    #expect(mapped.result.rowCount + mapped.result.rowsSkippedByMapping == 22)
    #expect(Set(mapped.findings(.skippedByMapping).compactMap(\.value)) == ["guardian", "parent", "aide"])
    #expect(mapped.result.rowsWithErrors == 0)
    let userTypes = Set(mapped.rowsByLine.keys.compactMap { mapped.value(line: $0, .userType) })
    #expect(userTypes.isSubset(of: ["Student", "Teacher", "Administrator", "Staff"]))
    #expect(userTypes.count >= 3)
  }

  @Test func aMissingCompanionFileIsAClearFatalError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("or12-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let users = folder.appendingPathComponent("users.csv")
    try FileManager.default.copyItem(at: presetsFolder.appendingPathComponent("oneroster-1.2/users.csv"), to: users)
    let result = try ExportValidator.validate(
      file: users.path, options: ValidationOptions(mapping: MappingPreset.named("oneroster-1.2")!.mapping))
    #expect(!result.isUsable)
    let finding = try #require(result.findings.first { $0.code == .companionFile })
    #expect(finding.message.contains(folder.appendingPathComponent("roles.csv").path))
  }

  @Test func schoolDataSync() throws {
    let students = try Mapped("sds-v1/Student.csv", preset: "sds-v1-students")
    #expect(students.result.rowCount == 18)
    #expect(students.result.rowsWithErrors == 0)
    #expect(students.value(line: 2, .userType) == "Student")
    #expect(students.value(line: 2, .email) == "lena.vogel@stu.northwind.example.org")
    #expect(students.value(line: 3, .lastName) == "Phạm")
    let teachers = try Mapped("sds-v1/Teacher.csv", preset: "sds-v1-teachers")
    #expect(teachers.value(line: 2, .userType) == "Teacher")
    #expect(teachers.value(line: 2, .position) == "Teacher, Kindergarten")
    // Tobias Krüger teaches at two schools, one row each: the first is kept.
    #expect(teachers.result.rowsWithErrors == 0)
    #expect(teachers.value(line: 8, .schoolExternalID) == "2002")
    #expect(teachers.findings(.otherSchoolRows).map(\.line) == [9])
    let v21 = try Mapped("sds-v2.1/users.csv", preset: "sds-v2.1")
    #expect(v21.findings(.noCompanionRow).map(\.line) == [21])
    #expect(v21.value(line: 17, .userType) == "Staff")  // officeStaff
    #expect(v21.value(line: 18, .userType) == "Staff")  // nurse
    #expect(v21.codes(line: 21).contains("E020"))
  }

  @Test func powerSchool() throws {
    let students = try Mapped("powerschool/students.csv", preset: "powerschool-students")
    let grades: [Int: String] = [2: "PreK", 3: "PreK", 4: "K", 5: "1", 18: "Other", 21: "K"]
    for (line, grade) in grades { #expect(students.value(line: line, .grade) == grade, "line \(line)") }
    for line in [7, 20] { #expect(students.value(line: line, .status) == "Active", "pre-registered, line \(line)") }
    for line in [9, 12, 18] { #expect(students.value(line: line, .status) == "Disabled", "line \(line)") }
    #expect(students.result.rowsWithErrors == 1)
    #expect(students.codes(line: 19) == ["E020"])  // no Student_Email
    let staff = try Mapped("powerschool/staff.csv", preset: "powerschool-staff")
    #expect(Set(staff.rowsByLine.keys.compactMap { staff.value(line: $0, .userType) }) == ["Teacher", "Staff"])
    // One person on two schools' rows: the home school's is kept (line 11),
    // the other left out and said (I058), not two E030 errors.
    #expect(staff.result.rowsWithErrors == 0)
    #expect(staff.result.rowsSkippedByMapping == 1)
    #expect(staff.value(line: 11, .schoolExternalID) == "310")
    #expect(staff.value(line: 10, .customID) == nil)
    #expect(staff.findings(.otherSchoolRows).map(\.line) == [10])
  }

  @Test func clever() throws {
    let students = try Mapped("clever/students.csv", preset: "clever-students")
    #expect(students.value(line: 5, .grade) == "PreK")  // the older spelling Prekindergarten
    #expect(students.codes(line: 6) == ["E024"])  // TransitionalKindergarten: the district decides
    #expect(students.codes(line: 23) == ["E020"])
    let teachers = try Mapped("clever/teachers.csv", preset: "clever-teachers")
    #expect(teachers.result.rowsWithErrors == 0)
    #expect(teachers.value(line: 2, .userType) == "Teacher")
  }

  @Test func infiniteCampusIsOneRoster() throws {
    let campus = try Mapped("infinite-campus/users.csv", preset: "infinite-campus")
    #expect(campus.result.rowsSkippedByMapping == 3)
    #expect(campus.value(line: 20, .schoolExternalID) == "12")
    #expect(campus.findings(.duplicateEmail).map(\.line) == [11, 12])
  }

  @Test func eachSampleIsRecognisedAsItsPreset() throws {
    let samples: [(String, String)] = [
      ("oneroster-1.1/users.csv", "oneroster-1.1"), ("oneroster-1.2/users.csv", "oneroster-1.2"),
      ("sds-v1/Student.csv", "sds-v1-students"), ("sds-v1/Teacher.csv", "sds-v1-teachers"),
      ("sds-v2.1/users.csv", "sds-v2.1"), ("powerschool/students.csv", "powerschool-students"),
      ("powerschool/staff.csv", "powerschool-staff"), ("clever/students.csv", "clever-students"),
      ("clever/teachers.csv", "clever-teachers"), ("infinite-campus/users.csv", "oneroster-1.1"),
    ]
    for (file, preset) in samples {
      let path = presetsFolder.appendingPathComponent(file).path
      let headers = try MappingSource.headerRow(of: path)
      #expect(PresetRecognition.recognize(headers, exportPath: path)?.preset == preset, "\(file)")
    }
    // The standard headers need no preset; unrelated headers fit none.
    #expect(PresetRecognition.recognize(ExportColumn.allCases.map(\.header)) == nil)
    #expect(PresetRecognition.recognize(["Name", "Phone", "Favourite colour"]) == nil)
  }

  @Test func aMappingFileExtendsAPresetAndReplacesOnlyItsSections() throws {
    let mapping = try MappingFileParser.parse(
      """
      extends = powerschool-students
      # This state numbers PreK as -1 and K as 0, and TK as -2.
      [grade]
      from = Grade_Level
      value "-2" = PreK
      value "-1" = PreK
      value 0 = K
      value 14 = Other
      """, file: "district.map")
    let preset = try #require(MappingPreset.named("powerschool-students")).mapping
    #expect(mapping.rules[.grade]?.translations["14"] == "Other")
    #expect(mapping.rules[.grade]?.translations["99"] == nil)
    #expect(mapping.rules[.status] == preset.rules[.status])
    #expect(mapping.rules[.email] == preset.rules[.email])
    #expect(mapping.ignoresUnusedHeaders)
    #expect(throws: MappingFileError.self) { try MappingFileParser.parse("extends = powerscool", file: "typo.map") }
  }

  @Test func newMappingSyntaxErrorsNameLineAndColumn() {
    let cases: [(String, Int, String)] = [
      ("[grade]\nlist = last\n", 2, "'list' can only be 'first'"),
      ("[status]\nwhen enabledUser = false Disabled\n", 2, "expected 'when HEADER = VALUE then TARGET'"),
      ("[status]\nwhen enabledUser = false then Gone\n", 2, "'Gone' is not a valid status"),
      ("[user_type]\nfrom = @roles.role\n", 1, "no [file roles] section"),
      ("[file roles]\npath = roles.csv\n", 1, "needs 'key = …'"),
    ]
    for (text, line, message) in cases {
      do {
        _ = try MappingFileParser.parse(text, file: "t.map")
        Issue.record("accepted: \(text)")
      } catch {
        #expect(error.line == line, "\(text)")
        #expect(error.message.contains(message), "\(error.message)")
      }
    }
  }
}

/// Issue 5's acceptance: a OneRoster 1.1 users.csv of 4,000 rows planned
/// against a directory whose organizations carry the OneRoster org IDs,
/// every row accounted for.
@Suite struct LargeOneRosterTests {
  struct Expected: Decodable {
    struct Counts: Decodable {
      let create, update, disable, reactivate, unchanged, skipped, error: Int
    }
    struct Missing: Decodable { let disable: Int }
    let rows: Int
    let skippedByRole: [String: Int]
    let rowsWithErrors: Int
    let plan: Counts
    let withDisableMissing: Missing

    enum CodingKeys: String, CodingKey {
      case rows, plan
      case skippedByRole = "skipped_by_role"
      case rowsWithErrors = "rows_with_errors"
      case withDisableMissing = "with_disable_missing"
    }
  }

  @Test func everyRowIsMappedSkippedWithAReasonOrAnErrorNamingItsLine() throws {
    let folder = presetsFolder.appendingPathComponent("oneroster-1.1-large")
    let expected = try JSONDecoder().decode(
      Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    let fixture = try SyncFixture(organizations: [], accounts: [])
    // A directory built from the folder's own CSV forms (org sourcedIds as external IDs).
    let directory = try SQLiteDirectory(path: fixture.folder.appendingPathComponent("or.sqlite").path, access: .create)
    _ = try directory.importCSV(
      organizationsPath: folder.appendingPathComponent("organizations.csv").path,
      accountsPath: folder.appendingPathComponent("accounts.csv").path)
    let mapping = try #require(MappingPreset.named("oneroster-1.1")).mapping
    let users = folder.appendingPathComponent("users.csv").path
    let output = try PlanPipeline.run(PlanPipeline.Input(exportPath: users, mapping: mapping), directory: directory)
    let (plan, validation) = (output.plan, output.validation)

    #expect(validation.rowCount + validation.rowsSkippedByMapping == expected.rows)
    let skipped = validation.findings.filter { $0.code == .skippedByMapping }
    #expect(
      Dictionary(uniqueKeysWithValues: skipped.map { ($0.value!, Int($0.message.split(separator: " ")[0])!) })
        == expected.skippedByRole)
    #expect(plan.summary.rowsWithErrors == expected.rowsWithErrors)
    #expect(plan.summary.create == expected.plan.create)
    #expect(plan.summary.update == expected.plan.update)
    #expect(plan.summary.disable == expected.plan.disable)
    #expect(plan.summary.reactivate == expected.plan.reactivate)
    #expect(plan.summary.unchanged == expected.plan.unchanged)
    #expect(plan.summary.skipped == expected.plan.skipped)
    // Every row with an error has an error finding that names its line.
    let errorLines = Set(validation.findings.filter { $0.severity == .error }.compactMap(\.line))
    #expect(errorLines.count == expected.rowsWithErrors)
    // No building ID is unknown: the directory's organizations are the OneRoster orgs.
    #expect(!plan.findings.contains { $0.code == .unknownOrganization })

    let missing = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: users, mapping: mapping, options: PlanOptions(disableMissing: true)),
      directory: directory)
    #expect(missing.plan.summary.disable == expected.withDisableMissing.disable)
  }
}

@Suite struct PresetDocumentationTests {
  @Test func theMappingManPageDescribesEveryPreset() throws {
    let page = try String(
      contentsOf: presetsFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("man/sis-sync-mapping.5"), encoding: .utf8)
    for preset in MappingPreset.all {
      #expect(page.contains(".B " + preset.name.replacingOccurrences(of: "-", with: "\\-")), "\(preset.name)")
    }
    for syntax in ["list = first", ".BI \"skip \"", ".BI \"when \"", "extends = ", "[file "] {
      #expect(page.contains(syntax), "\(syntax)")
    }
  }
}
