import Foundation
import Testing

@testable import SyncEngine

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
      reread.ignoresUnusedHeaders = true
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
    let v21 = try Mapped("sds-v2.1/users.csv", preset: "sds-v2.1")
    #expect(v21.findings(.noCompanionRow).map(\.line) == [21])
    #expect(v21.codes(line: 21).contains("E020"))
  }

  @Test func eachSampleIsRecognisedAsItsPreset() throws {
    let samples: [(String, String)] = [
      ("oneroster-1.1/users.csv", "oneroster-1.1"), ("oneroster-1.2/users.csv", "oneroster-1.2"),
      ("sds-v1/Student.csv", "sds-v1-students"), ("sds-v1/Teacher.csv", "sds-v1-teachers"),
      ("sds-v2.1/users.csv", "sds-v2.1"),
    ]
    for (file, preset) in samples {
      let headers = try MappingSource.headerRow(of: presetsFolder.appendingPathComponent(file).path)
      #expect(PresetRecognition.recognize(headers)?.preset == preset, "\(file)")
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
