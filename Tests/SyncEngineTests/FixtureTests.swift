import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

// Checks the shipped export fixtures (Fixtures/README.md): every broken
// export under Fixtures/exports/bad/ gives exactly the findings listed in its
// .expected file, in the order the engine reports them; the clean and the
// messy exports give no error, and the messy one's values come out exact.

/// The package's Fixtures folder, found from this file (two levels up).
private let fixturesURL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // Tests/SyncEngineTests
  .deletingLastPathComponent()  // Tests
  .deletingLastPathComponent()  // the package
  .appendingPathComponent("Fixtures", isDirectory: true)

private let exportsURL = fixturesURL.appendingPathComponent("exports", isDirectory: true)
private let badURL = exportsURL.appendingPathComponent("bad", isDirectory: true)

/// One line of an .expected file: `LINE CODE COLUMN`, `-` for none.
struct ExpectedFinding: Equatable, CustomStringConvertible {
  var line: Int?
  var code: String
  var column: String?

  init(line: Int?, code: String, column: String?) {
    self.line = line
    self.code = code
    self.column = column
  }

  init(_ finding: Finding) {
    self.init(line: finding.line, code: finding.code.id, column: finding.column)
  }

  /// Parses `2 E030 custom_id` or `- I008 -`; nil when malformed.
  init?(parsing text: Substring) {
    let parts = text.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
    if parts[0] == "-" {
      line = nil
    } else if let number = Int(parts[0]), number > 0 {
      line = number
    } else {
      return nil
    }
    code = String(parts[1])
    column = parts[2] == "-" ? nil : String(parts[2])
  }

  var description: String { "\(line.map(String.init) ?? "-") \(code) \(column ?? "-")" }
}

/// Names (without `.csv`) of the broken exports, sorted.
private func badFixtureNames() -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: badURL.path)) ?? []
  return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
}

private func readExpected(_ name: String) throws -> [ExpectedFinding] {
  let url = badURL.appendingPathComponent(name + ".expected")
  let text = try String(contentsOf: url, encoding: .utf8)
  var expected: [ExpectedFinding] = []
  for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
  where !line.isEmpty {
    let finding = try #require(
      ExpectedFinding(parsing: line), "\(name).expected line \(index + 1) is not `LINE CODE COLUMN`: '\(line)'")
    expected.append(finding)
  }
  return expected
}

private func validate(_ url: URL, options: ValidationOptions = ValidationOptions()) throws -> ValidationResult {
  try ExportValidator.validate(file: url.path, options: options)
}

private func utf8(_ table: ExportTable, _ row: Int, _ column: ExportColumn) -> [UInt8] {
  Array(table.value(row: row, column: column).utf8)
}

@Suite("Export fixtures")
struct FixtureTests {
  // MARK: Broken exports

  @Test("Each broken export gives exactly its expected findings", arguments: badFixtureNames())
  func badExport(_ name: String) throws {
    let expected = try readExpected(name)
    let result = try validate(badURL.appendingPathComponent(name + ".csv"))
    let actual = result.findings.map(ExpectedFinding.init)
    #expect(actual == expected, "\(name).csv")
  }

  @Test("Every broken export has an .expected file and every .expected file an export")
  func expectedFilesArePaired() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: badURL.path)
    let exports = Set(files.filter { $0.hasSuffix(".csv") }.map { $0.dropLast(4) })
    let expectations = Set(files.filter { $0.hasSuffix(".expected") }.map { $0.dropLast(9) })
    #expect(exports.count >= 25)
    #expect(exports.subtracting(expectations).isEmpty, "exports without .expected")
    #expect(expectations.subtracting(exports).isEmpty, ".expected files without an export")
  }

  @Test("The broken exports together cover every finding code that needs no directory")
  func everyCodeIsCovered() throws {
    var covered: Set<String> = ["E012"]  // the huge field, built at test time below
    for name in badFixtureNames() { covered.formUnion(try readExpected(name).map(\.code)) }
    // A clean export read with the row limit lowered below its row count.
    let clean = exportsURL.appendingPathComponent("clean-district.csv")
    let limited = try validate(clean, options: ValidationOptions(limits: CSVLimits(maxRows: 1)))
    covered.formUnion(limited.findings.map(\.code.id))
    // Codes that need a directory (PlannerTests, ValidatorTests and
    // PersonMatcherTests cover them) or a mapping that skips rows, cuts
    // lists or joins companion files (PresetTests).
    let needsDirectoryOrMapping = Set(
      FindingCode.allCases.filter { $0.origin == .directory || $0.origin == .mapping }.map(\.id))
    // E004 is no longer reported: a repeated header is read (W057).
    let all = Set(FindingCode.allCases.map(\.id)).subtracting(["E004"])
    #expect(all.subtracting(needsDirectoryOrMapping).subtracting(covered).sorted() == [])
    #expect(covered.subtracting(all).sorted() == [], "unknown codes in .expected files")
  }

  // MARK: Valid exports

  @Test("clean-district.csv has no error and no warning")
  func cleanDistrict() throws {
    let url = exportsURL.appendingPathComponent("clean-district.csv")
    let result = try validate(url)
    let records = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").count - 1
    #expect(result.isUsable)
    #expect(result.rowCount == records)
    #expect(result.rowCount >= 250)
    #expect(result.count(.error) == 0)
    #expect(result.count(.warning) == 0)
    #expect(result.rowsWithErrors == 0)
    #expect(result.findings.map(ExpectedFinding.init) == [ExpectedFinding(line: nil, code: "I008", column: nil)])
  }

  @Test("messy-valid.csv has no error, and its values come out intact and trimmed")
  func messyValid() throws {
    let url = exportsURL.appendingPathComponent("messy-valid.csv")
    let bytes = try [UInt8](Data(contentsOf: url))
    // The fixture itself: BOM, CRLF, no line ending after the last record.
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    let crlf = (1..<bytes.count).filter { bytes[$0 - 1] == 0x0D && bytes[$0] == 0x0A }.count
    let lineFeeds = bytes.filter { $0 == 0x0A }.count
    #expect(crlf == 12)  // after the header and 11 records
    #expect(lineFeeds == 13)  // plus the one inside the quoted position
    #expect(bytes.last != 0x0A && bytes.last != 0x0D)

    let result = try validate(url, options: ValidationOptions(keepsRows: true))
    #expect(result.isUsable)
    #expect(result.count(.error) == 0)
    #expect(result.rowsWithErrors == 0)
    #expect(result.rowCount == 12)
    let table = try #require(result.table)
    #expect(table.rowCount == 12)
    #expect((0..<table.rowCount).map(table.line(ofRow:)) == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14])
    #expect((0..<table.rowCount).allSatisfy { !table.hasError(row: $0) })

    // Line 2: spaces around every value, enums included, are trimmed.
    #expect(table.value(row: 0, column: .firstName) == "Maria")
    #expect(table.value(row: 0, column: .middleName) == "")
    #expect(table.value(row: 0, column: .lastName) == "Garcia")
    #expect(table.value(row: 0, column: .email) == "maria.garcia@students.maplevalley.k12.example.org")
    #expect(table.value(row: 0, column: .customID) == "300201")
    #expect(table.value(row: 0, column: .userType) == "Student")
    #expect(table.value(row: 0, column: .grade) == "3")
    #expect(table.value(row: 0, column: .status) == "Active")

    // Lines 3 and 4: NFC stays NFC and NFD stays NFD, byte for byte (Swift's
    // String == would call them equal, so bytes are compared).
    #expect(utf8(table, 1, .firstName) == [0x4A, 0x6F, 0x73, 0xC3, 0xA9])
    #expect(utf8(table, 1, .lastName) == Array("Mart\u{ED}nez".utf8))
    #expect(utf8(table, 2, .firstName) == [0x4A, 0x6F, 0x73, 0x65, 0xCC, 0x81])
    #expect(utf8(table, 2, .lastName) == Array("Mun\u{303}oz".utf8))
    #expect(utf8(table, 1, .firstName) != utf8(table, 2, .firstName))

    // Line 5: a quoted comma and line break in a position, kept exactly.
    #expect(utf8(table, 3, .position) == Array("Teacher, Math\nDepartment Chair".utf8))

    // Line 7: doubled quotes became single quotes.
    #expect(table.value(row: 4, column: .firstName) == "Robert \"Bobby\"")
    #expect(table.value(row: 4, column: .position) == "Teacher, \"Lead\" ELA")

    // Lines 8 and 9: CJK and Hangul names, exact.
    #expect(utf8(table, 5, .firstName) == Array("\u{5C0F}\u{660E}".utf8))
    #expect(utf8(table, 5, .middleName) == Array("O'Connor".utf8))
    #expect(utf8(table, 5, .lastName) == Array("\u{6B27}\u{9633}".utf8))
    #expect(utf8(table, 6, .firstName) == Array("\u{C9C0}\u{BBFC}".utf8))
    #expect(utf8(table, 6, .lastName) == Array("\u{BC15}".utf8))

    // Line 10: padding inside quotes is trimmed too; "" is empty.
    #expect(table.value(row: 7, column: .firstName) == "Ngoc")
    #expect(table.value(row: 7, column: .middleName) == "")
    #expect(utf8(table, 7, .lastName) == Array("Nguy\u{1EC5}n".utf8))
    #expect(table.value(row: 7, column: .customID) == "300206")
    #expect(table.value(row: 7, column: .status) == "Disabled")

    // Line 11: a trailing no-break space and a leading tab are trimmed.
    #expect(utf8(table, 8, .firstName) == Array("Lan".utf8))
    #expect(table.value(row: 8, column: .customID) == "300207")

    // Lines 12 to 14.
    #expect(table.value(row: 9, column: .position) == "Principal, Lincoln Elementary")
    #expect(utf8(table, 9, .lastName) == Array("L\u{F3}pez-Reyes".utf8))
    #expect(utf8(table, 10, .firstName) == Array("\u{410}\u{43D}\u{43D}\u{430}".utf8))
    #expect(table.value(row: 10, column: .grade) == "")
    #expect(utf8(table, 11, .lastName) == Array("\u{4F50}\u{85E4}".utf8))
    #expect(table.value(row: 11, column: .grade) == "Unspecified")  // empty student grade
    #expect(table.value(row: 11, column: .status) == "Active")  // last record, no line ending
  }

  // MARK: A field over the limit

  /// Header, a teacher (line 2) whose position is 1 MiB + 1 KiB of `x`, then
  /// a good student (line 3). Same bytes as `make_bad_fixtures.py --huge`.
  private static func writeHugeFieldExport() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("sis-sync-fixtures-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let header =
      "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status\n"
    var bytes = Array(header.utf8)
    bytes += Array("Ana,,Lopez,alopez@maplevalley.k12.example.org,E20001,0042,Teacher,".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 1024)
    bytes += Array(",,Active\n".utf8)
    bytes += Array("Ben,,Okafor,ben.okafor@students.maplevalley.k12.example.org,300101,0042,Student,,3,Active\n".utf8)
    let url = directory.appendingPathComponent("huge-field.csv")
    try Data(bytes).write(to: url)
    return url
  }

  @Test("A field over 1 MiB gives E012 and only the first 1 MiB is kept")
  func hugeField() throws {
    let url = try Self.writeHugeFieldExport()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let limit = 1 << 20
    let limits = CSVLimits(maxFieldBytes: limit)

    let result = try validate(url, options: ValidationOptions(limits: limits, keepsRows: true))
    let findings = result.findings.map(ExpectedFinding.init)
    #expect(findings.contains(ExpectedFinding(line: 2, code: "E012", column: "position")))
    #expect(result.rowCount == 2)  // the row after the huge field is not lost
    #expect(result.rowsWithErrors == 1)
    #expect(!findings.contains { $0.line == 3 })
    let table = try #require(result.table)
    #expect(table.rowCount == 2)
    #expect(table.hasError(row: 0))
    #expect(table.value(row: 0, column: .position).utf8.count <= limit)
    #expect(table.line(ofRow: 1) == 3)
    #expect(!table.hasError(row: 1))
    #expect(table.value(row: 1, column: .customID) == "300101")

    // The reader itself keeps exactly the limit and says so.
    let reader = CSVReader(source: try FileByteSource(path: url.path), limits: limits)
    #expect(try reader.next())  // header
    #expect(try reader.next())
    #expect(reader.line == 2)
    #expect(reader.fieldCount == 10)
    #expect(reader.field(7).count == limit)
    #expect(reader.issues.map(\.kind) == [.fieldTooLong(limit: limit)])
    #expect(reader.issues.first?.field == 7)
    #expect(try reader.next())
    #expect(reader.line == 3)
    #expect(reader.fieldText(0) == "Ben")
    #expect(try reader.next() == false)
  }
}
