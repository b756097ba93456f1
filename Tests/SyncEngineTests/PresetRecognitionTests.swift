import Foundation
import SampleFiles
import Testing

@testable import ExportReading
@testable import SyncModel

/// `--mapping auto`: presets scored on the headers and on the companion
/// files beside the export; the closest preset named when none fits.
@Suite struct PresetRecognitionTests {
  private func recognize(_ path: String) throws -> PresetRecognition? {
    PresetRecognition.recognize(try MappingSource.headerRow(of: path), exportPath: path)
  }

  @Test func vendorDialectsOfOneRoster11AreRecognisedAndRead() throws {
    for folder in ["oneroster-1.1-vendor-a", "oneroster-1.1-vendor-b"] {
      #expect(try recognize(SampleFiles.preset("\(folder)/users.csv"))?.preset == "oneroster-1.1", "\(folder)")
    }
    let mapping = try #require(MappingPreset.named("oneroster-1.1")).mapping
    let vendorA = try ExportValidator.validate(
      file: SampleFiles.preset("oneroster-1.1-vendor-a/users.csv"),
      options: ValidationOptions(mapping: mapping, keepsRows: true))
    #expect(vendorA.findings.filter { $0.code.severity == .error }.isEmpty)
    let table = try #require(vendorA.table)
    func value(line: Int, _ column: ExportColumn) -> String? {
      (0..<table.rowCount).first { table.line(ofRow: $0) == line }.map { table.value(row: $0, column: column) }
    }
    #expect(value(line: 2, .schoolExternalID) == "va-s1")  // from `orgs`
    #expect(value(line: 2, .grade) == "6")  // zero-padded 06
    #expect(value(line: 4, .status) == "Disabled")  // enabledUser 0
    #expect(value(line: 3, .status) == "Active")  // enabledUser 1
    #expect(value(line: 9, .status) == "Disabled")  // status tobedeleted
    #expect(value(line: 2, .firstName) == "MAYA")  // kept as the SIS wrote it
    #expect(vendorA.rowsSkippedByMapping == 1)
    let vendorB = try ExportValidator.validate(
      file: SampleFiles.preset("oneroster-1.1-vendor-b/users.csv"),
      options: ValidationOptions(mapping: mapping, keepsRows: true))
    #expect(vendorB.findings.filter { $0.code.severity == .error }.isEmpty)
    #expect(vendorB.table?.value(row: 0, column: .status) == "Active")
    #expect(vendorB.table?.value(row: 0, column: .middleName) == "")
  }

  @Test func aPresetWhoseCompanionIsMissingIsNotChosenWhenAnotherFits() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("recognise-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    // SDS v2.1 users.csv headers: with its roles.csv it is sds-v2.1 …
    let users = "sourcedId,username,givenName,familyName,password,activeDirectoryMatchId,email,phone,sms\n"
    try users.write(to: scratch.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
    try "userSourcedId,orgSourcedId,role,sessionSourcedId,grade,isPrimary\n".write(
      to: scratch.appendingPathComponent("roles.csv"), atomically: true, encoding: .utf8)
    let path = scratch.appendingPathComponent("users.csv").path
    #expect(try recognize(path)?.preset == "sds-v2.1")
    // … and OneRoster 1.2's roles.csv (roleType, no isPrimary) makes it oneroster-1.2.
    try "sourcedId,userSourcedId,roleType,role,orgSourcedId\n".write(
      to: scratch.appendingPathComponent("roles.csv"), atomically: true, encoding: .utf8)
    #expect(try recognize(path)?.preset == "oneroster-1.2")
    // Without any roles.csv, a preset that fits without one wins (here none
    // does fully: the last resort is the preset lacking only its companion,
    // and it says so).
    try FileManager.default.removeItem(at: scratch.appendingPathComponent("roles.csv"))
    let alone = try #require(try recognize(path))
    #expect(alone.missingCompanions.count == 1)
    #expect(alone.missingDescription.contains("the companion file roles.csv beside the export"))
    // A OneRoster 1.1 users.csv with no roles.csv beside it is oneroster-1.1.
    let oneRoster11 = scratch.appendingPathComponent("users11.csv")
    try "sourcedId,orgSourcedIds,role,givenName,familyName,email,username\n".write(
      to: oneRoster11, atomically: true, encoding: .utf8)
    #expect(try recognize(oneRoster11.path)?.preset == "oneroster-1.1")
  }

  @Test func whenNothingFitsTheClosestPresetIsNamedWithWhatItLacks() throws {
    let path = SampleFiles.preset("powerschool-custom/students.csv")
    let headers = try MappingSource.headerRow(of: path)
    #expect(PresetRecognition.recognize(headers, exportPath: path) == nil)
    let closest = try #require(PresetRecognition.closest(headers, exportPath: path))
    #expect(closest.preset == "powerschool-students")
    #expect(closest.missing.map(\.names[0]) == ["Student_Email", "Enroll_Status"])
    #expect(closest.missing.first?.didYouMean == "Email Address")
    let resolved = try MappingSource.resolve("auto", exportPath: path)
    let message = MappingSource.autoChoiceMessage(resolved)
    #expect(message.contains("The closest preset is powerschool-students"))
    #expect(message.contains("missing: Student_Email (did you mean 'Email Address'?), Enroll_Status"))
    // The same is a finding when the file is validated without a mapping.
    let result = try ExportValidator.validate(file: path, options: ValidationOptions())
    let note = try #require(result.findings.first { $0.code == .presetFits })
    #expect(note.message.contains("the closest is powerschool-students"))
  }

  @Test(.enabled(if: SampleFiles.haveRealWorld, "../shared/testdata is not on this machine"))
  func everyRealOneRosterAndSDSFileIsRecognisedAsItsPreset() throws {
    let expected: [(String, String)] = [
      ("moodle-enrol-oneroster/v1p1/users.csv", "oneroster-1.1"),
      ("moodle-enrol-oneroster/v1p2/users.csv", "oneroster-1.2"),
      ("oat-oneroster-import/v1p0/users.csv", "oneroster-1.1"),
      ("oat-oneroster-import/v1p1/users.csv", "oneroster-1.1"),
      ("ms-sds/v2/users.csv", "sds-v2"),
      ("ms-sds/v2.1/users.csv", "sds-v2.1"),
      ("ms-sds/v1-100users/Student.csv", "sds-v1-students"),
      ("ms-sds/v1-100users/Teacher.csv", "sds-v1-teachers"),
      ("ms-sds/uk-100users/Student.csv", "sds-v1-students"),
    ]
    for (file, preset) in expected {
      let fit = try recognize(SampleFiles.real(file))
      #expect(fit?.preset == preset, "\(file)")
      #expect(fit?.fits == true, "\(file): \(fit?.missingDescription ?? "")")
    }
  }

  @Test(.enabled(if: SampleFiles.haveRealWorld, "../shared/testdata is not on this machine"))
  func learningPlatformFilesNameTheClosestPresetAndWhatIsMissing() throws {
    let files = [
      "canvas-sis/test_user_1.csv", "canvas-sis/users_utf.csv", "canvas-sis/utf8.csv", "canvas-sis/with_bom.csv",
      "moodle-uploaduser/example.csv", "moodle-uploaduser/upload_users.csv",
      "moodle-uploaduser/upload_users_cohorts.csv",
    ]
    for file in files {
      let path = SampleFiles.real(file)
      let resolved = try MappingSource.resolve("auto", exportPath: path)
      #expect(resolved.recognized == nil, "\(file)")
      let message = MappingSource.autoChoiceMessage(resolved)
      #expect(message.contains("no preset fits these headers"), "\(file)")
      #expect(message.contains("The closest preset is "), "\(file): \(message)")
      #expect(message.contains("missing: "), "\(file)")
    }
  }
}
