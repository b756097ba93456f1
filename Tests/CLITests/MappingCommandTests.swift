import Foundation
import Testing

private let presets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Fixtures/presets")

@Suite struct MappingCommandTests {
  @Test func showPrintsAPresetAsAMappingFileThatCheckAccepts() throws {
    let scratch = try ScratchFolder()
    let shown = try SisSyncProcess.run(["mapping", "show", "oneroster-1.1"])
    #expect(shown.status == 0)
    #expect(
      shown.stdout.contains(
        "[school_district_external_id]\nfrom = orgSourcedIds | orgs | orgId | orgSourcedId\nlist = first"))
    let path = try scratch.write("or.map", shown.stdout)
    let users = presets.appendingPathComponent("oneroster-1.1/users.csv").path
    let checked = try SisSyncProcess.run(["mapping", "check", path, "--export", users])
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stdout.contains("valid; 10 of 10 columns mapped"))
    #expect(checked.stdout.contains("has every header the mapping reads"))
    // The saved file reads the export exactly as the preset does.
    let viaFile = try SisSyncProcess.run(["validate", users, "--mapping", path, "--format", "json"])
    let viaPreset = try SisSyncProcess.run(["validate", users, "--mapping", "oneroster-1.1", "--format", "json"])
    #expect(viaFile.status == viaPreset.status)
    try #require(viaFile.stdout.contains("\"findings\"") && viaPreset.stdout.contains("\"findings\""))
    #expect(
      viaFile.stdout.components(separatedBy: "\"findings\"")[1]
        == viaPreset.stdout.components(separatedBy: "\"findings\"")[1])
  }

  @Test func checkNamesTheLineAndColumnOfAMistake() throws {
    let scratch = try ScratchFolder()
    let path = try scratch.write("bad.map", "[grade]\nfrom = Grade\nvalue 0 = Kindergarten\n")
    let checked = try SisSyncProcess.run(["mapping", "check", path])
    #expect(checked.status == 3)
    #expect(checked.stderr.contains("\(path):3:11: 'Kindergarten' is not a valid grade"))
  }

  @Test func autoUsesThePresetTheHeadersFitAndSaysSo() throws {
    let users = presets.appendingPathComponent("sds-v1/Student.csv").path
    let result = try SisSyncProcess.run(["validate", users, "--mapping", "auto"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("--mapping auto: using the preset sds-v1-students (6 of its 6 required headers found)"))
    #expect(result.stdout.contains("(mapping: preset sds-v1-students (auto))"))
    // Without a mapping the report points at the preset.
    let plain = try SisSyncProcess.run(["validate", users])
    #expect(plain.status == 2)
    #expect(plain.stdout.contains("pass --mapping sds-v1-students (or --mapping auto)"))
  }

  @Test func anUnknownPresetGetsADidYouMean() throws {
    let users = presets.appendingPathComponent("clever/students.csv").path
    let result = try SisSyncProcess.run(["validate", users, "--mapping", "clever-student"])
    #expect(result.status == 3)
    #expect(result.stderr.contains("no mapping file or preset named 'clever-student'; did you mean 'clever-students'?"))
    let listed = try SisSyncProcess.run(["mapping", "list"])
    for name in [
      "oneroster-1.1", "oneroster-1.2", "sds-v1-students", "sds-v2.1", "powerschool-staff", "clever-teachers",
    ] {
      #expect(listed.stdout.contains(name + "\n"))
    }
  }
}
