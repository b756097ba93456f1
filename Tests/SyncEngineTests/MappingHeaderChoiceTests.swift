import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel
@testable import SyncPlanning

/// Mapping language v2, the header side: alternatives (`from = a | b`), the
/// copy of a repeated header (`from = role #2`) and optional columns.
@Suite struct MappingHeaderChoiceTests {
  /// Validates `csv` (written to a scratch folder) through `mapping`.
  private func validate(_ csv: String, mapping text: String) throws -> ValidationResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("choice-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let file = scratch.appendingPathComponent("export.csv")
    try csv.write(to: file, atomically: true, encoding: .utf8)
    let mapping = try MappingFileParser.parse(text, file: "m.map")
    return try ExportValidator.validate(
      file: file.path, options: ValidationOptions(mapping: mapping, keepsRows: true))
  }

  private func value(_ result: ValidationResult, row: Int, _ column: ExportColumn) -> String? {
    result.table?.value(row: row, column: column)
  }

  private let base = """
    extends = oneroster-1.1

    """

  @Test func fromParsesAlternativesCopiesAndQuotedHeaders() throws {
    let mapping = try MappingFileParser.parse(
      """
      [school_district_external_id]
      from = orgSourcedIds | orgs | orgId
      [user_type]
      from = role #2
      [position]
      from = "Title #2"
      [grade]
      from = "Grade | Level" #3 | grade
      optional = yes
      """, file: "m.map")
    #expect(
      mapping.rules[.schoolExternalID]?.sources.map(\.name) == ["orgSourcedIds", "orgs", "orgId"])
    #expect(mapping.rules[.userType]?.sources == [HeaderChoice(name: "role", occurrence: 2)])
    #expect(mapping.rules[.position]?.sources == [HeaderChoice(name: "Title #2")])
    #expect(
      mapping.rules[.grade]?.sources == [
        HeaderChoice(name: "Grade | Level", occurrence: 3), HeaderChoice(name: "grade"),
      ])
    #expect(mapping.rules[.grade]?.isOptional == true)
    #expect(mapping.rules[.position]?.isOptional == false)
    // Written out and read back, it is the same mapping.
    var reread = try MappingFileParser.parse(MappingFileWriter.text(mapping), file: "m.map")
    reread.origin = mapping.origin
    #expect(reread.rules.mapValues(\.withoutLine) == mapping.rules.mapValues(\.withoutLine))
  }

  @Test func mistakesInFromAndOptionalNameTheLineAndColumn() throws {
    let cases: [(String, String)] = [
      ("[grade]\nfrom = grade #0\n", "m.map:2:8: '#0': copies of a header count from #1"),
      ("[grade]\nfrom = grade | | level\n", "m.map:2:8: an empty header in 'from'; write HEADER | HEADER"),
      ("[grade]\nfrom = \"grade\" x\n", "m.map:2:8: expected '|' between the headers of 'from'"),
      (
        "[grade]\nfrom = grade\noptional = maybe\n",
        "m.map:3:12: 'optional' is 'yes' or 'no' (whether the source header may be absent)"
      ),
      (
        "[file roles]\npath = r.csv\nkey = k\nmatches = id\n[user_type]\nfrom = @roles.role | role\n",
        "m.map:5:1: [user_type] reads '@roles.role' from a companion file: that 'from' takes no other header and no #copy"
      ),
    ]
    for (text, message) in cases {
      #expect(throws: MappingFileError.self) { try MappingFileParser.parse(text, file: "m.map") }
      do {
        _ = try MappingFileParser.parse(text, file: "m.map")
      } catch {
        #expect("\(error)" == message)
      }
    }
  }

  @Test func theFirstAlternativeTheFileHasIsRead() throws {
    let result = try validate(
      """
      sourcedId,orgId,orgs,role,givenName,familyName,email
      u1,school-b,school-a,student,Ann,Lee,ann@x.org
      """, mapping: base)
    #expect(result.findings.filter { $0.code.severity == .error }.isEmpty, "\(result.findings.map(\.message))")
    // orgs comes before orgId in the preset's list.
    #expect(value(result, row: 0, .schoolExternalID) == "school-a")
  }

  @Test func aRepeatedHeaderIsReadFromItsFirstCopyAndDisagreementsAreWarned() throws {
    let result = try validate(
      """
      sourcedId,orgSourcedIds,role,givenName,familyName,email,role
      u1,s1,student,Ann,Lee,ann@x.org,
      u2,s1,teacher,Bob,Ray,bob@x.org,teacher
      u3,s1,student,Cy,Tam,cy@x.org,teacher
      """, mapping: base)
    #expect(!result.findings.contains { $0.code == .duplicateHeader })
    #expect(result.rowsWithErrors == 0)
    #expect(value(result, row: 2, .userType) == "Student")
    let warned = result.findings.filter { $0.code == .copiesDisagree }
    #expect(warned.map(\.line) == [4])
    #expect(warned.first?.column == "user_type")
    #expect(warned.first?.message.contains("columns 3 and 7") == true)
    // The second copy is not reported as unused either.
    #expect(!result.findings.contains { $0.code == .unknownHeader })
  }

  @Test func aChosenCopyIsReadAndNotCompared() throws {
    let result = try validate(
      """
      sourcedId,orgSourcedIds,role,givenName,familyName,email,role
      u1,s1,,Ann,Lee,ann@x.org,student
      u2,s1,student,Bob,Ray,bob@x.org,teacher
      """,
      mapping: base + """
        [user_type]
        from = role #2
        value student = Student
        value teacher = Teacher
        """)
    #expect(value(result, row: 0, .userType) == "Student")
    #expect(value(result, row: 1, .userType) == "Teacher")
    #expect(!result.findings.contains { $0.code == .copiesDisagree })
  }

  @Test func aCopyTheFileLacksStopsTheFile() throws {
    let result = try validate(
      "sourcedId,orgSourcedIds,role,givenName,familyName,email\nu1,s1,student,Ann,Lee,ann@x.org\n",
      mapping: base + "[user_type]\nfrom = role #2\n")
    let missing = result.findings.filter { $0.code == .missingHeader }
    #expect(missing.count == 1)
    #expect(missing.first?.message.contains("copy #2 of the header 'role', but the file has one") == true)
    #expect(result.table == nil)
  }

  @Test func anOptionalColumnTheFileLacksIsEmptyAndTakesItsDefault() throws {
    // No middleName, grades or enabledUser, and no status for the `when` rule.
    let result = try validate(
      """
      sourcedId,orgSourcedIds,role,givenName,familyName,email
      u1,s1,student,Ann,Lee,ann@x.org
      """, mapping: base)
    #expect(result.findings.filter { $0.code.severity == .error }.isEmpty, "\(result.findings.map(\.message))")
    #expect(value(result, row: 0, .middleName) == "")
    #expect(value(result, row: 0, .status) == "Active")
    // Without `optional`, the same missing header stops the file.
    let strict = try validate(
      "sourcedId,givenName,familyName\nu1,Ann,Lee\n",
      mapping: "[middle_name]\nfrom = middleName\n")
    #expect(strict.findings.contains { $0.code == .missingHeader && $0.column == "middle_name" })
  }

  @Test func e003SuggestsTheFilesOwnHeaderForAMissingOne() throws {
    let result = try validate(
      "sourcedId,org_ids,role,givenName,familyName,email\nu1,s1,student,Ann,Lee,ann@x.org\n",
      mapping: "[school_district_external_id]\nfrom = orgSourcedIds\n" + "[custom_id]\nfrom = sourcedId\n")
    let missing = try #require(
      result.findings.first { $0.code == .missingHeader && $0.column == "school_district_external_id" })
    #expect(missing.suggestion?.hasPrefix("did you mean 'org_ids'?") == true)
  }

  @Test func aMissingHeaderSuggestsTheFilesOwnHeaderByItsWords() {
    #expect(closestHeader(to: "orgSourcedIds", among: ["org_ids", "role"]) == "org_ids")
    #expect(closestHeader(to: "Student_Email", among: ["Phone", "Email Address"]) == "Email Address")
    #expect(closestHeader(to: "enabledUser", among: ["enabled", "role"]) == "enabled")
    #expect(closestHeader(to: "SIS ID", among: ["Name", "Phone"]) == nil)
    #expect(headerWords("orgSourcedIds") == ["org", "sourced", "id"])
  }

  /// A field longer than any name is no near miss of one, and is not
  /// compared (comparing costs the product of the lengths: a header line
  /// of a thousand 8 KB fields kept validation busy for minutes).
  @Test func aHeaderLongerThanAnyNameIsNoNearMiss() {
    let long = "email" + String(repeating: "x", count: longestTypoCompared)
    #expect(closestMatch(to: "email", among: ["emai"]) == "emai")
    #expect(closestMatch(to: "email", among: [long, "emai"]) == "emai")
    #expect(closestMatch(to: long, among: ["email"]) == nil)
    #expect(closestHeader(to: "Student_Email", among: [long + " Email Address", "Email Address"]) == "Email Address")
    #expect(closestHeader(to: "Student_Email", among: [long + " Email Address"]) == nil)
    #expect(headerWords("Email Address2") == ["email", "address2"])
    #expect(headerWords("ÉcoleNom") == ["école", "nom"])
  }

  /// A header line of long fields is read and reported (each field once),
  /// with no near miss offered for the headers it lacks, though each field
  /// starts with a word of one (`email_…` once passed for `email`).
  @Test func aHeaderLineOfLongFieldsIsReadAndReported() throws {
    let fields = (0..<300).map { index in
      "email_" + String(repeating: Character(UnicodeScalar(97 + index % 26)!), count: 3000)
    }
    let text = fields.joined(separator: ",") + "\n" + Array(repeating: "x", count: 300).joined(separator: ",") + "\n"
    let result = try ExportValidator.validate(
      source: MemoryByteSource(Array(text.utf8)), name: "wide.csv", options: ValidationOptions())
    #expect(!result.isUsable)
    let email = try #require(result.findings.first { $0.code == .missingHeader && $0.column == "email" })
    #expect(email.suggestion?.contains("did you mean") == false)
    #expect(result.findings.filter { $0.code == .unknownHeader }.count == 300)
  }
}
