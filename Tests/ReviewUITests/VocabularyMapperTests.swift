import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The vocabulary mapper in review: one decision maps an unknown value for
/// every row, and the mapping saved from review is what `plan` then reads.
@Suite struct VocabularyMapperTests {
  static let oneRosterHeader =
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    + "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"

  static func user(_ id: Int, grade: String, role: String = "student", org: String = "S1") -> String {
    "u\(id),active,,true,\(org),\(role),,,Kid\(id),Lee,,,kid\(id)@x.org,,,,\(grade),"
  }

  static let rows =
    [oneRosterHeader] + (1...3).map { user($0, grade: "TK") } + [user(4, grade: "KG"), user(5, grade: "tk")]
    + [user(6, grade: "", role: "guardian")]

  @Test func theHeaderSaysWhichPresetReadTheExport() throws {
    var preset = try #require(MappingPreset.named("oneroster-1.1")).mapping
    preset.origin = "preset oneroster-1.1 (auto)"
    let fixture = try ReviewFixture(rows: Self.rows, accounts: [], mapping: preset, exportName: "users.csv")
    #expect(fixture.screen.contains(" users.csv via oneroster-1.1 (auto) → "))
    let plain = try ReviewFixture()
    #expect(!plain.screen.contains(" via "))
  }

  @Test func mappingAValueFixesEveryRowWithItAndTheSavedMappingIsWhatPlanReads() throws {
    let preset = try #require(MappingPreset.named("oneroster-1.1")).mapping
    let fixture = try ReviewFixture(rows: Self.rows, accounts: [], mapping: preset, exportName: "users.csv")
    #expect(fixture.count(.errors) == 4)  // TK three times, tk once
    fixture.press(.character("1"), .character("m"))
    #expect(fixture.screen.contains("grade 'TK' (4 rows) means"))
    fixture.type("k")  // letter case does not matter
    fixture.press(.enter)
    #expect(fixture.app.model.decisions == [.mapValue(column: .grade, from: "TK", to: "K")])
    #expect(fixture.count(.errors) == 0)
    #expect(fixture.count(.creates) == 5)

    let path = fixture.folder.appendingPathComponent("district.map").path
    fixture.press(.character("M"), .control("u"))
    fixture.type(path)
    fixture.press(.enter)
    #expect(fixture.app.state.message?.text == "Mapping saved to \(path); pass it with --mapping")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("extends = oneroster-1.1"))
    #expect(text.contains("value TK = K"))
    #expect(!text.contains("[first_name]"), "only the sections that differ from the preset")

    // The headless plan with the saved mapping: the same plan as review's.
    let saved = try MappingFileParser.load(path: path)
    let headless = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: fixture.exportPath, mapping: saved), directory: fixture.directory
    ).plan
    let reviewed = fixture.app.currentPlan()
    #expect(headless.summary == reviewed.summary)
    #expect(headless.changes.map(\.after) == reviewed.changes.map(\.after))
    #expect(headless.summary.rowsWithErrors == 0)
  }

  @Test func onlyRowsWithAnUnknownValueCanBeMapped() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("m"))
    #expect(fixture.lines[22] == " This row has no unknown grade, user_type or status value to map")
  }

  @Test func aTargetOutsideTheColumnsValuesIsRefused() throws {
    let preset = try #require(MappingPreset.named("oneroster-1.1")).mapping
    let fixture = try ReviewFixture(rows: Self.rows, accounts: [], mapping: preset, exportName: "users.csv")
    fixture.press(.character("1"), .character("m"))
    fixture.type("Kinder")
    fixture.press(.enter)
    #expect(fixture.app.model.decisions.isEmpty)
    #expect(fixture.app.state.message?.text.hasPrefix("'Kinder' is not a valid grade") == true)
  }
}
