import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel
@testable import SyncPlanning

/// Templates of the mapping language (`template = {Username}@district.org`,
/// modifiers, by user type) and the ASCII spelling of Latin names.
@Suite struct MappingTemplateTests {
  private static let header =
    "Given,Family,Username,ID,Building,Role,status"

  private static let baseMapping = """
    [first_name]
    from = Given
    [last_name]
    from = Family
    [middle_name]
    constant = ""
    [custom_id]
    from = ID
    [school_district_external_id]
    from = Building
    [user_type]
    from = Role
    [position]
    constant = ""
    [grade]
    constant = ""

    """

  private func validate(_ emailSection: String, rows: [String]) throws -> ValidationResult {
    var base = Self.baseMapping
    // The sections the test gives replace the base's.
    for section in ["[position]\nconstant = \"\"\n", "[user_type]\nfrom = Role\n"]
    where emailSection.contains(section.prefix(while: { $0 != "\n" })) {
      base = base.replacingOccurrences(of: section, with: "")
    }
    let mapping = try MappingFileParser.parse(base + emailSection, file: "m.map")
    let csv = ([Self.header] + rows).joined(separator: "\n") + "\n"
    return try ExportValidator.validate(
      source: MemoryByteSource(csv), name: "e.csv", options: ValidationOptions(mapping: mapping, keepsRows: true))
  }

  @Test func parsesEachTemplateForm() throws {
    let mapping = try MappingFileParser.parse(
      """
      [email]
      template = {givenName:lower:ascii}.{"Family Name":initial:upper}{{x}}@school.org
      template Student = {Username}@students.org
      template Teacher = "{ Username }@staff.org"
      """, file: "m.map")
    let rule = mapping.rule(for: .email)
    #expect(rule.source == nil)
    let template = try #require(rule.template)
    #expect(
      template.parts == [
        .header("givenName", [.lower, .ascii]), .text("."), .header("Family Name", [.initial, .upper]),
        .text("{x}@school.org"),
      ])
    #expect(template.line == 2)
    #expect(rule.templatesByUserType["Student"]?.parts == [.header("Username", []), .text("@students.org")])
    #expect(rule.templatesByUserType["Teacher"]?.headers == ["Username"])
  }

  @Test(arguments: [
    ("[email]\ntemplate = {Username:lowr}@x.org\n", 2, 22, "unknown modifier 'lowr'; did you mean 'lower'?"),
    ("[email]\ntemplate = {Username@x.org\n", 2, 12, "the '{' is not closed"),
    ("[email]\ntemplate = a{}@x.org\n", 2, 13, "names no header"),
    ("[email]\ntemplate = {Username}}@x.org\n", 2, 22, "a '}' without its '{'"),
    ("[email]\ntemplate = {\"User:name@x.org\n", 2, 12, "quoted header in '{…}' is not closed"),
    ("[email]\ntemplate Pupil = {U}@x.org\n", 2, 10, "'Pupil' is not a user type"),
    ("[email]\ntemplate student = {U}@x.org\n", 2, 10, "did you mean 'Student'?"),
    ("[email]\nfrom = Mail\ntemplate = {U}@x.org\n", 3, 1, "both 'from' and 'template'"),
    ("[email]\ntemplate = {U}@x.org\ntemplate = {V}@x.org\n", 3, 1, "'template' is set twice"),
    ("[email]\ntemplate =\n", 2, 11, "'template' needs a value"),
    ("[first_name]\ngenerate = {U}@x.org\n", 2, 1, "'generate' is only for [email]"),
    ("[email]\ngenerate = {U:upp}@x.org\n", 2, 15, "unknown modifier 'upp'"),
  ])
  func templateErrorsNameLineAndColumn(text: String, line: Int, column: Int, message: String) {
    #expect {
      _ = try MappingFileParser.parse(text, file: "m.map")
    } throws: { error in
      guard let error = error as? MappingFileError else { return false }
      return error.line == line && error.column == column && error.message.contains(message)
    }
  }

  @Test func templateBuildsTheValueWithModifiers() throws {
    let result = try validate(
      "[email]\ntemplate = {Given:lower:ascii}.{Family:lower:ascii}@school.org\n",
      rows: [
        "José,Nguyễn,jn,1,S1,Student,Active",
        "Łukasz,Müller,lm,2,S1,Student,Active",
        "Øystein,Straße,os,3,S1,Teacher,Active",
        "Mary Ann,O'Brien,mo,4,S1,Teacher,Active",
        "Ann,Smith-Jones,as,5,S1,Teacher,Active",
      ])
    #expect(result.count(.error) == 0)
    let table = try #require(result.table)
    #expect(table.value(row: 0, column: .email) == "jose.nguyen@school.org")
    #expect(table.value(row: 1, column: .email) == "lukasz.muller@school.org")
    #expect(table.value(row: 2, column: .email) == "oystein.strasse@school.org")
    // Spaces and apostrophes leave an email; hyphens stay.
    #expect(table.value(row: 3, column: .email) == "maryann.obrien@school.org")
    #expect(table.value(row: 4, column: .email) == "ann.smith-jones@school.org")
  }

  @Test func initialAndUpperModifiers() throws {
    let result = try validate(
      "[email]\ntemplate = {Given:initial:lower}{Family:lower}@x.org\n[position]\ntemplate = {Family:upper}\n",
      rows: ["Ora,Klein,ok,1,S1,Teacher,Active"])
    let table = try #require(result.table)
    #expect(table.value(row: 0, column: .email) == "oklein@x.org")
    #expect(table.value(row: 0, column: .position) == "KLEIN")
  }

  @Test func templatesByUserTypeWithAFallback() throws {
    let result = try validate(
      """
      [email]
      template Student = {Username}@students.district.org
      template = {Username}@district.org
      [user_type]
      from = Role
      value pupil = Student
      """,
      rows: ["Ana,Ruiz,aruiz,1,S1,pupil,Active", "Bo,Li,bli,2,S1,Teacher,Active"])
    #expect(result.count(.error) == 0)
    let table = try #require(result.table)
    // Keyed by the row's user type after mapping (pupil → Student).
    #expect(table.value(row: 0, column: .email) == "aruiz@students.district.org")
    #expect(table.value(row: 1, column: .email) == "bli@district.org")
  }

  @Test func typeTemplateWithoutFallbackLeavesOtherRowsToTheirSource() throws {
    let mapping = try MappingFileParser.parse(
      Self.baseMapping + "[email]\nfrom = Mail\ntemplate Student = {Username}@students.org\n", file: "m.map")
    let csv = """
      Given,Family,Username,ID,Building,Role,status,Mail
      Ana,Ruiz,aruiz,1,S1,Student,Active,
      Bo,Li,bli,2,S1,Teacher,Active,bo.li@staff.org

      """
    let result = try ExportValidator.validate(
      source: MemoryByteSource(csv), name: "e.csv", options: ValidationOptions(mapping: mapping, keepsRows: true))
    #expect(result.count(.error) == 0)
    let table = try #require(result.table)
    #expect(table.value(row: 0, column: .email) == "aruiz@students.org")
    #expect(table.value(row: 1, column: .email) == "bo.li@staff.org")
  }

  @Test func anEmptyPartLeavesTheValueEmpty() throws {
    let result = try validate(
      "[email]\ntemplate = {Username}@x.org\n", rows: ["Ana,Ruiz,,1,S1,Student,Active"])
    let finding = try #require(result.findings.first { $0.line == 2 && $0.column == "email" })
    #expect(finding.code == .missingValue)
  }

  @Test func anotherScriptIsAFindingNeverAGuess() throws {
    let result = try validate(
      "[email]\ntemplate = {Given:lower:ascii}.{Family:lower:ascii}@x.org\n",
      rows: ["Иван,Petrov,ip,1,S1,Student,Active", "Ana,Ruiz,ar,2,S1,Student,Active"])
    let rowFindings = result.findings.filter { $0.line == 2 }
    #expect(rowFindings.map(\.code) == [.notSpeltInASCII])
    let finding = try #require(rowFindings.first)
    #expect(finding.column == "email")
    #expect(finding.value == "Иван")
    #expect(finding.message.contains("mapping line"))
    #expect(result.table?.value(row: 0, column: .email) == "")
    #expect(result.table?.value(row: 1, column: .email) == "ana.ruiz@x.org")
  }

  @Test func aMissingTemplateHeaderIsE003NamingTheTemplate() throws {
    let result = try validate("[email]\ntemplate = {UserName2}@x.org\n", rows: ["Ana,Ruiz,ar,1,S1,Student,Active"])
    let missing = try #require(result.findings.first { $0.code == .missingHeader })
    #expect(missing.value == "UserName2")
    #expect(missing.message.contains("'template' for email (line"))
    #expect(missing.suggestedValue == "Username")
    #expect(!result.isUsable)
  }

  @Test(arguments: [
    ("José", "Jose"), ("Nguyễn", "Nguyen"), ("Łukasz", "Lukasz"), ("Øystein", "Oystein"), ("Müller", "Muller"),
    ("Straße", "Strasse"), ("Æsa", "Aesa"), ("STRAẞE", "STRASSE"), ("Đặng", "Dang"), ("Œuvre", "Oeuvre"),
    ("Þór", "Thor"),
    ("Ñuñez", "Nunez"), ("Çelik", "Celik"), ("Dvořák", "Dvorak"), ("\u{017F}", "s"),
    ("Trần Thị Hương", "Tran Thi Huong"),
    ("O’Brien", "O'Brien"),
  ])
  func spellsLatinLettersInASCII(name: String, ascii: String) {
    #expect(ASCIITransliteration.spell(name) == ascii)
  }

  @Test(arguments: ["Иван", "Γιώργος", "王小明", "محمد", "José 王"])
  func otherScriptsAreNotSpelt(name: String) {
    #expect(ASCIITransliteration.spell(name) == nil)
  }

  @Test func writtenTemplatesReadBackTheSame() throws {
    let text = """
      [email]
      template = {"First Name":lower:ascii}.{Family}@x.org
      template Student = {Username}@students.org
      generate = {Given:lower}.{Family:lower}@x.org
      [position]
      template = "{Title} = #1"
      """
    let mapping = try MappingFileParser.parse(text, file: "m.map")
    let written = MappingFileWriter.text(mapping)
    let reread = try MappingFileParser.parse(written, file: "again.map")
    #expect(reread.rules.mapValues(\.withoutLine) == mapping.rules.mapValues(\.withoutLine))
    #expect(written.contains("template Student = {Username}@students.org"))
  }

  /// The SDS v1 sample (Username `OKlein`, no email) with the one-line
  /// template of the man page: no E021.
  @Test func sdsV1StudentsWithAnEmailTemplateHaveNoInvalidEmails() throws {
    let mapping = try MappingFileParser.parse(
      "extends = sds-v1-students\n[email]\ntemplate = {Username}@district.org\n", file: "sds.map")
    let path = "/work/shared/testdata/ms-sds/v1-100users/Student.csv"
    try #require(FileManager.default.fileExists(atPath: path))
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let result = try ExportValidator.validate(
      source: MemoryByteSource(String(decoding: bytes, as: UTF8.self)), name: path,
      options: ValidationOptions(mapping: mapping, keepsRows: true))
    #expect(result.isUsable)
    #expect(!result.findings.contains { $0.code == .invalidEmail })
    #expect(!result.findings.contains { $0.code == .missingValue && $0.column == "email" })
    #expect(result.table?.value(row: 0, column: .email) == "OKlein@district.org")
  }
}
