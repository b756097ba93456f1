import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Companion files: capped in rows, and a file named with `--companion` is
/// the operator's choice, never written into a saved mapping.
@Suite struct CompanionPathTests {
  @Test func aCompanionWithMoreRowsThanTheLimitIsRefused() throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/presets/oneroster-1.2")
    let fixture = try SyncFixture(accounts: [])
    let folder = fixture.folder.appendingPathComponent("or12")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let users = folder.appendingPathComponent("users.csv").path
    try FileManager.default.copyItem(atPath: source.appendingPathComponent("users.csv").path, toPath: users)
    var roles = try String(contentsOf: source.appendingPathComponent("roles.csv"), encoding: .utf8)
    for index in 0..<30 { roles += "r-x\(index),active,,u-x\(index),primary,student,,,rcs-mwe,\n" }
    try roles.write(toFile: folder.appendingPathComponent("roles.csv").path, atomically: true, encoding: .utf8)
    let mapping = try #require(MappingPreset.named("oneroster-1.2")).mapping
    let within = try ExportValidator.validate(file: users, options: ValidationOptions(mapping: mapping))
    #expect(within.isUsable)
    let capped = try ExportValidator.validate(
      file: users, options: ValidationOptions(mapping: mapping, limits: CSVLimits(maxRows: 40)))
    let finding = try #require(capped.findings.first { $0.code == .companionFile })
    #expect(finding.message.contains("has more than 40 rows"))
    #expect(finding.message.contains("set by preset oneroster-1.2: [file roles]"), "\(finding.message)")
  }

  @Test func aSavedMappingKeepsTheMappingsPathNotTheCommandLinesChoice() throws {
    let preset = try #require(MappingPreset.named("oneroster-1.2"))
    var mapping = preset.mapping
    mapping.companions[0].commandLinePath = "/srv/exports/roles.csv"
    mapping.rules[.grade] = ColumnRule(source: "grades", constant: nil)
    let text = MappingFileWriter.text(mapping, extending: preset)
    #expect(!text.contains("/srv/exports"), "\(text)")
    #expect(!text.contains("[file roles]"), "\(text)")
  }
}
