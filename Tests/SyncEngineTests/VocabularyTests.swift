import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

@Suite struct VocabularyTests {
  /// The column count is written as a literal (a constant in hot loops):
  /// a column added without it would misplace every stored value.
  @Test func theColumnCountIsEveryColumn() {
    #expect(ExportColumn.count == ExportColumn.allCases.count)
    #expect(ExportColumn.every.map(\.rawValue) == Array(0..<ExportColumn.count))
  }

  @Test func untranslatedValuesAreGroupedLargestFirst() throws {
    let text =
      exportHeaderLine + "\n"
      + (1...3).map { "A,,B,a\($0)@x.org,\($0),S1,Student,,TK,Active" }.joined(separator: "\n") + "\n"
      + "C,,D,c@x.org,9,S1,Student,,tk,Active\nE,,F,e@x.org,10,S1,Pupil,,5,Active\n"
    let result = try ExportValidator.validate(source: MemoryByteSource(text), name: "x.csv")
    let groups = VocabularyGroup.untranslated(in: result.findings)
    #expect(groups.map(\.description) == ["4 rows: grade 'TK'", "1 row: user_type 'Pupil'"])
    #expect(groups[0].lines == [2, 3, 4, 5])
    #expect(ValidationReport.text(result).contains("4 rows: grade 'TK' — e.g. [grade] value TK = …"))
  }

  @Test func aValueDecisionInALivePlanEqualsPlanningWithTheSavedMapping() throws {
    let fixture = try SyncFixture(accounts: ["A,,B,a1@x.org,1,S1,Student,,K,Active"])
    let path = try fixture.export(
      (1...3).map { "A,,B,a\($0)@x.org,\($0),S1,Student,,TK,Active" } + ["X,,Y,x@x.org,7,S2,Pupil,,,Active"])
    let loaded = try ReviewLoader.load(ReviewLoader.Input(exportPath: path), directory: fixture.directory)
    #expect(loaded.summary.rowsWithErrors == 4)
    loaded.apply(.mapValue(column: .grade, from: "TK", to: "K"))
    loaded.apply(.mapValue(column: .userType, from: "pupil", to: "Student"))
    #expect(loaded.summary.rowsWithErrors == 0)
    let mapping = ColumnMapping.identity.adding(loaded.decisions)
    let text = MappingFileWriter.text(mapping)
    let reread = try MappingFileParser.parse(text, file: "saved.map")
    let planned = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, mapping: reread), directory: fixture.directory)
    #expect(planned.plan.summary == loaded.plan().summary)
    #expect(planned.plan.changes.map(\.after) == loaded.plan().changes.map(\.after))
    // And as a session: the decision survives saving and loading.
    let session = ReviewSession(
      exportPath: path, exportSHA256: loaded.exportSHA256, mapping: "", decisions: loaded.decisions.decisions)
    let sessionPath = fixture.folder.appendingPathComponent("s.session").path
    try session.save(to: sessionPath)
    #expect(
      try ReviewSession.load(path: sessionPath, exportSHA256: loaded.exportSHA256).decisions
        == loaded.decisions.decisions)
  }

  @Test func everyPresetWritesBackAsTheSameMapping() throws {
    for preset in MappingPreset.all {
      let text = MappingFileWriter.text(preset.mapping)
      var reread = try MappingFileParser.parse(text, file: "w")
      reread.origin = preset.mapping.origin
      #expect(reread.rules.mapValues(\.withoutLine) == preset.mapping.rules.mapValues(\.withoutLine), "\(preset.name)")
      #expect(reread.companions.map(\.path) == preset.mapping.companions.map(\.path))
      // The extends form of an unchanged preset has no section at all.
      #expect(!MappingFileWriter.text(preset.mapping, extending: preset).contains("["), "\(preset.name)")
    }
  }

  @Test func aWrittenCommentStaysACommentWhateverItsLineEnds() throws {
    let text = MappingFileWriter.text(
      MappingPreset.named("clever-teachers")!.mapping, comment: "first line\r\nsecond line\rthird\nfourth")
    #expect(text.hasPrefix("# first line\n# second line\n# third\n# fourth\n"))
    let reread = try MappingFileParser.parse(text, file: "w")
    #expect(
      reread.rules.mapValues(\.withoutLine)
        == MappingPreset.named("clever-teachers")!.mapping.rules.mapValues(\.withoutLine))
  }
}
