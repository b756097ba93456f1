import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel
@testable import SyncPlanning

/// Staff listed once per school: a mapping's `home` rule keeps one row per
/// person and reports the others as info (I058), not as E030.
@Suite struct HomeSchoolTests {
  private static let header = "SIS ID,School SIS ID,First Name,Last Name,Username,Home"
  /// SDS v1 Teacher.csv, without the Title column.
  private static let base = "extends = sds-v1-teachers\n[position]\nconstant = \"\"\n"

  private func validate(_ rows: [String], mapping text: String) throws -> ValidationResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let file = scratch.appendingPathComponent("Teacher.csv")
    try ([Self.header] + rows).joined(separator: "\n").appending("\n").write(
      to: file, atomically: true, encoding: .utf8)
    let mapping = try MappingFileParser.parse(Self.base + text, file: "m.map")
    return try ExportValidator.validate(file: file.path, options: ValidationOptions(mapping: mapping, keepsRows: true))
  }

  private func lines(_ result: ValidationResult, _ code: FindingCode) -> [Int?] {
    result.findings.filter { $0.code == code }.map(\.line)
  }

  private let homeFirst = "[school_district_external_id]\nfrom = School SIS ID\nhome = first\n"
  private let homeColumn = "[school_district_external_id]\nfrom = School SIS ID\nhome = Home\n"

  @Test func homeFirstKeepsEachPersonsFirstRowAndReportsTheOthers() throws {
    let rows = [
      "T1,10,Ann,Lee,ann@x.org,", "T2,10,Bob,Ray,bob@x.org,", "T1,20,Ann,Lee,ann@x.org,",
      "T1,30,Ann,Lee,ann@x.org,",
    ]
    let result = try validate(rows, mapping: homeFirst)
    #expect(result.rowsWithErrors == 0)
    #expect(result.rowCount == 2)
    #expect(result.rowsSkippedByMapping == 2)
    let note = try #require(result.findings.first { $0.code == .otherSchoolRows })
    #expect(note.line == 4 && note.relatedLines == [5])
    #expect(note.message.contains("2 rows of people listed at several schools left out: their first row is kept"))
    #expect(result.table?.value(row: 0, column: .schoolExternalID) == "10")
    // Without the rule (the preset's `home = first` replaced) the same file
    // is E030 on every row of the person.
    let plain = try validate(rows, mapping: "[school_district_external_id]\nfrom = School SIS ID\n")
    #expect(lines(plain, .duplicateCustomID) == [2, 4, 5])
  }

  @Test func homeColumnKeepsTheHomeSchoolsRowEvenWhenItComesLater() throws {
    let rows = ["T1,20,Ann,Lee,ann@x.org,10", "T1,10,Ann,Lee,ann@x.org,10", "T2,20,Bob,Ray,bob@x.org,20"]
    let result = try validate(rows, mapping: homeColumn)
    #expect(result.rowsWithErrors == 0)
    #expect(lines(result, .otherSchoolRows) == [2])
    #expect(result.table?.value(row: 0, column: .schoolExternalID) == "10")
    #expect(result.table?.line(ofRow: 0) == 3)
  }

  @Test func nothingIsLeftOutUnlessThePersonsKeptRowIsInTheFile() throws {
    // Home school 30 has no row: both rows stay, and E030 names them.
    let noHomeRow = try validate(["T1,10,Ann,Lee,ann@x.org,30", "T1,20,Ann,Lee,ann@x.org,30"], mapping: homeColumn)
    #expect(noHomeRow.rowsSkippedByMapping == 0)
    #expect(lines(noHomeRow, .duplicateCustomID) == [2, 3])
    // Two rows at the same school are a true duplicate, whatever the rule.
    let sameSchool = try validate(["T1,10,Ann,Lee,ann@x.org,", "T1,10,Ann,Lee,ann@x.org,"], mapping: homeFirst)
    #expect(lines(sameSchool, .duplicateCustomID) == [2, 3])
    // A row without a custom_id is never left out.
    let noID = try validate([",10,Ann,Lee,ann@x.org,", ",20,Ann,Lee,ann@x.org,"], mapping: homeFirst)
    #expect(noID.rowsSkippedByMapping == 0)
  }

  @Test func aMissingHomeHeaderStopsTheFileAndAMisplacedRuleIsAMappingError() throws {
    let result = try validate(
      ["T1,10,Ann,Lee,ann@x.org,"], mapping: homeColumn.replacingOccurrences(of: "Home", with: "HomeSchoolID"))
    let missing = try #require(result.findings.first { $0.code == .missingHeader })
    #expect(missing.message.contains("the header 'HomeSchoolID' is missing"))
    #expect(missing.suggestion == "did you mean 'Home'?")
    #expect(!result.isUsable)
    #expect(throws: MappingFileError.self) { try MappingFileParser.parse("[grade]\nhome = first\n", file: "m.map") }
    do {
      _ = try MappingFileParser.parse("[grade]\nhome = first\n", file: "m.map")
    } catch {
      #expect(
        "\(error)"
          == "m.map:2:1: 'home' is only for [school_district_external_id] (which school's row of a person to keep)")
    }
    // Written out, the rule reads back the same.
    let mapping = try MappingFileParser.parse(homeColumn, file: "m.map")
    let reread = try MappingFileParser.parse(MappingFileWriter.text(mapping), file: "m.map")
    #expect(reread.rules[.schoolExternalID]?.homeSchool == .column("Home"))
  }

  @Test func aStreamReadOnceLeavesOutTheSameRowsForHomeFirst() throws {
    let rows = ["T1,10,Ann,Lee,ann@x.org,", "T1,20,Ann,Lee,ann@x.org,", "T2,20,Bob,Ray,bob@x.org,"]
    let mapping = try MappingFileParser.parse(Self.base + homeFirst, file: "m.map")
    let bytes = Array(([Self.header] + rows).joined(separator: "\n").appending("\n").utf8)
    let streamed = try ExportValidator.validate(
      source: MemoryByteSource(bytes), name: "Teacher.csv", options: ValidationOptions(mapping: mapping))
    let fromFile = try validate(rows, mapping: homeFirst)
    #expect(streamed.rowsSkippedByMapping == 1)
    #expect(streamed.findings.map(\.code) == fromFile.findings.map(\.code))
  }
}
