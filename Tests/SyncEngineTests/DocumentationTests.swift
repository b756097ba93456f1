import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The man pages are part of the feature: they must not fall behind the code.
@Suite struct DocumentationTests {
  @Test func manPageListsEveryFindingCodeWithItsTitle() throws {
    let page = try String(contentsOf: packageRoot.appendingPathComponent("man/sis-sync.1"), encoding: .utf8)
    for code in FindingCode.allCases {
      #expect(
        page.contains(".B \(code.id)\n(\(code.severity.rawValue)) \(code.title)\n"),
        "\(code.id) missing from man/sis-sync.1")
    }
  }

  /// The SETTINGS section names every setting of the registry, with its
  /// default, and the precedence of flags over them.
  @Test func manPageDocumentsEveryDirectorySetting() throws {
    let page = try String(contentsOf: packageRoot.appendingPathComponent("man/sis-sync.1"), encoding: .utf8)
    let start = try #require(page.range(of: "\n.SH SETTINGS\n"))
    let end = try #require(page.range(of: "\n.SH ", range: start.upperBound..<page.endIndex))
    let section = String(page[start.upperBound..<end.lowerBound])
    let words = Set(section.split { " \n,".contains($0) }.map(String.init))
    for definition in SettingsRegistry.all {
      #expect(words.contains(definition.key), "\(definition.key) missing from SETTINGS in man/sis-sync.1")
      #expect(section.contains(definition.defaultValue), "\(definition.key)'s default missing from SETTINGS")
    }
    #expect(section.contains("Precedence, highest first: a command-line flag"))
  }

  /// sis-sync-mapping(5) documents every setting the parser accepts.
  @Test func mappingManPageDocumentsEverySetting() throws {
    let page = try String(
      contentsOf: packageRoot.appendingPathComponent("man/sis-sync-mapping.5"), encoding: .utf8)
    let lines = page.split(separator: "\n")
    for setting in MappingSetting.allCases {
      let documented = lines.contains { line in
        [".B ", ".BI ", ".BR "].contains { macro in
          line.hasPrefix(macro + setting.rawValue + " ") || line.hasPrefix(macro + "\"" + setting.rawValue + " ")
        }
      }
      #expect(documented, "'\(setting.rawValue)' is not documented in man/sis-sync-mapping.5")
    }
  }

  /// Every template modifier, and the `from` forms (alternatives, a copy
  /// of a repeated header), are in the mapping page.
  @Test func mappingManPageDocumentsEveryTemplateModifierAndFromForm() throws {
    let page = try String(
      contentsOf: packageRoot.appendingPathComponent("man/sis-sync-mapping.5"), encoding: .utf8)
    let lines = page.split(separator: "\n")
    for modifier in ValueTemplate.Modifier.allCases {
      #expect(lines.contains(".B \(modifier.rawValue)"), "template modifier '\(modifier.rawValue)' is not documented")
    }
    for form in ["from = orgSourcedIds | orgs | orgId", "from = role #2", "home = first", "optional = yes"] {
      #expect(page.contains(form), "'\(form)' is not shown in man/sis-sync-mapping.5")
    }
  }

  /// LIMITS states the session limit the code enforces.
  @Test func manPageStatesTheSessionFileLimit() throws {
    let page = try String(contentsOf: packageRoot.appendingPathComponent("man/sis-sync.1"), encoding: .utf8)
    #expect(page.contains("session files up to \(byteCountText(ReviewSession.fileSizeLimit))"))
    #expect(page.contains("Mapping files are read whole up to \(byteCountText(1 << 20))"))
  }

  /// Findings are numerous (one per duplicate row): a code is one byte.
  @Test func aFindingCodeIsOneByte() {
    #expect(MemoryLayout<FindingCode>.size == 1)
  }

  @Test func findingCodesAreUniqueAndLetteredBySeverity() {
    let ids = FindingCode.allCases.map(\.id)
    #expect(Set(ids).count == ids.count)
    #expect(Set(FindingCode.allCases.map(\.name)).count == ids.count)
    for code in FindingCode.allCases {
      let letter: Character =
        switch code.severity {
        case .error: "E"
        case .warning: "W"
        case .info: "I"
        }
      #expect(code.id.first == letter, "\(code.id)")
    }
  }

  /// The example in sis-sync-mapping(5) is the shipped PowerSchool fixture
  /// mapping; it must load and read its export as documented.
  @Test func mappingManPageExampleWorks() throws {
    let mappingPath = packageRoot.appendingPathComponent("Fixtures/mappings/powerschool-students.map").path
    let page = try String(contentsOf: packageRoot.appendingPathComponent("man/sis-sync-mapping.5"), encoding: .utf8)
    let fixture = try String(contentsOfFile: mappingPath, encoding: .utf8)
    // roff writes a minus as "\-"; otherwise the example is the file verbatim.
    #expect(page.replacingOccurrences(of: "\\-", with: "-").contains(fixture))
    let mapping = try MappingFileParser.load(path: mappingPath)
    let result = try ExportValidator.validate(
      file: packageRoot.appendingPathComponent("Fixtures/exports/mapped/powerschool-students.csv").path,
      options: ValidationOptions(mapping: mapping, keepsRows: true))
    let table = try #require(result.table)
    #expect(
      (0..<table.rowCount).map { table.value(row: $0, column: .grade) } == [
        "K", "PreK", "9", "12", "Unspecified", "TK",
      ])
    #expect(table.value(row: 3, column: .status) == "Disabled")
    #expect(table.value(row: 0, column: .customID) == "004512")
    #expect(table.value(row: 1, column: .lastName) == "Nguyễn")
    // TK (transitional kindergarten) is not translated: one error, on line 7.
    #expect(result.findings.filter { $0.severity == .error }.map(\.line) == [7])
    // Home_Room feeds no column.
    #expect(result.findings.contains { $0.code == .unknownHeader && $0.value == "Home_Room" })
  }
}

/// The README's first command checks this export: it must show each kind of
/// mistake the README promises.
@Suite struct DemoExportTests {
  @Test func demoExportShowsTheMistakesTheReadmePromises() throws {
    let result = try ExportValidator.validate(
      file: packageRoot.appendingPathComponent("Fixtures/exports/demo-district.csv").path)
    #expect(result.rowCount == 299)
    #expect(result.rowsWithErrors == 6)
    let codes = Set(result.findings.map(\.code.id))
    #expect(codes == ["E020", "E021", "E023", "E024", "E030", "W025", "W029", "I008"])
    #expect(result.findings.first { $0.code == .invalidGrade }?.suggestedValue == "K")
  }
}
