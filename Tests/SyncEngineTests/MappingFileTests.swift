import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

@Suite struct MappingFileTests {
  @Test func readsSourcesConstantsDefaultsAndTranslations() throws {
    let mapping = try MappingFileParser.parse(
      """
      # PowerSchool students
      [first_name]
      from = First_Name

      [custom_id]
      from = "Student Number"

      [grade]
      from = Grade_Level
      default = Unspecified
      value 0 = K
      value "-1" = PreK
      value "09" = 9

      [user_type]
      constant = Student
      """, file: "ps.map")
    #expect(mapping.rule(for: .firstName).source == "First_Name")
    #expect(mapping.rule(for: .customID).source == "Student Number")
    #expect(mapping.rule(for: .grade).translations == ["0": "K", "-1": "PreK", "09": "9"])
    #expect(mapping.rule(for: .grade).defaultValue == "Unspecified")
    #expect(mapping.rule(for: .userType).constant == "Student")
    #expect(mapping.rule(for: .email).source == "email")
  }

  @Test(arguments: [
    ("[frist_name]\nfrom = x\n", 1, 2, "did you mean 'first_name'?"),
    ("from = x\n", 1, 1, "before any [column] section"),
    ("[grade]\nvalue 0 = Kindergarten\n", 2, 11, "'Kindergarten' is not a valid grade"),
    ("[grade]\nfrom = a\nfrom = b\n", 3, 1, "'from' is set twice"),
    ("[email]\n  fro = a\n", 2, 3, "did you mean 'from'?"),
    ("[email]\nfrom = a\n[email]\n", 3, 1, "appears twice"),
    ("[status]\nvalue \"I = Disabled\n", 2, 7, "not closed"),
    ("[user_type]\nfrom = Role\nconstant = Student\n", 3, 1, "both 'from' and 'constant'"),
    ("[status]\nvalue I = Disabled\nvalue I = Active\n", 3, 7, "translated twice"),
  ])
  func errorsNameLineAndColumn(text: String, line: Int, column: Int, message: String) {
    #expect {
      _ = try MappingFileParser.parse(text, file: "m.map")
    } throws: { error in
      guard let error = error as? MappingFileError else { return false }
      return error.line == line && error.column == column && error.message.contains(message)
        && error.description.hasPrefix("m.map:\(line):\(column): ")
    }
  }

  @Test func mappingIsAppliedWhileReading() throws {
    let mapping = try MappingFileParser.parse(
      """
      [first_name]
      from = Given
      [last_name]
      from = Family
      [custom_id]
      from = ID
      [grade]
      from = Gr
      value 0 = K
      value 09 = 9
      [status]
      value I = Disabled
      value A = Active
      [user_type]
      constant = Student
      """, file: "m")
    let csv = """
      Given,middle_name,Family,email,ID,school_district_external_id,position,Gr,status
      Ana,,Ruiz,ana@x.org,1,S1,,0,A
      Bo,,Li,bo@x.org,2,S1,,09,i
      Cy,,Wu,cy@x.org,3,S1,,,A
      """
    let result = try ExportValidator.validate(
      source: MemoryByteSource(csv), name: "e.csv", options: ValidationOptions(mapping: mapping, keepsRows: true))
    #expect(result.count(.error) == 0)
    let table = try #require(result.table)
    #expect(table.value(row: 0, column: .grade) == "K")
    #expect(table.value(row: 1, column: .grade) == "9")
    #expect(table.value(row: 1, column: .status) == "Disabled")  // translated ignoring case
    #expect(table.value(row: 2, column: .grade) == "Unspecified")
    #expect(table.value(row: 0, column: .userType) == "Student")
    #expect(table.value(row: 0, column: .firstName) == "Ana")
  }

  @Test func missingMappedHeaderNamesTheSourceAndTheTarget() throws {
    let mapping = try MappingFileParser.parse("[custom_id]\nfrom = Student_Number\n", file: "m")
    let csv =
      "first_name,middle_name,last_name,email,Student_Numbr,school_district_external_id,user_type,position,grade,status\n"
    let result = try ExportValidator.validate(
      source: MemoryByteSource(csv), name: "e.csv", options: ValidationOptions(mapping: mapping))
    let missing = try #require(result.findings.first { $0.code == .missingHeader })
    #expect(missing.message.contains("'Student_Number' (mapped to custom_id) is missing"))
    #expect(missing.suggestedValue == "Student_Numbr")
    #expect(!result.isUsable)
  }

  /// A district translating every building or ID through the mapping:
  /// 70,000 `value` lines (under the 1 MiB mapping limit) load in linear
  /// time. Each line used to copy the whole translation table (15 s).
  @Test func seventyThousandValueLinesLoadInLinearTime() throws {
    var text = "[school_district_external_id]\nfrom = Building\n"
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for index in 0..<70_000 { text += "value \(index)=\(letters[index % 26])\n" }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("values-\(UUID().uuidString).map").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(text.utf8.count < 1 << 20)
    // CPU time of this thread: tests running beside it do not count.
    func threadSeconds() -> Double {
      var time = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
      return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = threadSeconds()
    let mapping = try MappingFileParser.load(path: path)
    let elapsed = threadSeconds() - start
    let translations = mapping.rule(for: .schoolExternalID).translations
    #expect(translations.count == 70_000)
    #expect(translations["69999"] == "H")
    // About 0.1 s in a release build and 1 s in a debug build; quadratic
    // loading takes minutes.
    #expect(elapsed < 3, "loading took \(elapsed) s of CPU time")
  }
}
