import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Inputs the fuzz harnesses found (Fuzz/README.md), kept in
/// Fixtures/fuzz/regressions/ as TARGET-NAME. Each is fed to the API its
/// harness fuzzes: it must end in an error or findings, never a crash, a
/// hang or unbounded memory.
@Suite struct FuzzRegressionTests {
  private static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/fuzz/regressions", isDirectory: true)

  private static func input(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: folder.appendingPathComponent(name)))
  }

  private static var allInputs: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
  }

  /// What the harness of `name`'s target does with it, less the checks on
  /// what was read (the tests below make those).
  private static func feed(_ name: String) throws {
    let bytes = try input(name)
    switch name.split(separator: "-").first {
    case "csv":
      for mapping in [ColumnMapping.identity, MappingPreset.named("oneroster-1.1")!.mapping] {
        _ = try ExportValidator.validate(
          source: MemoryByteSource(bytes), name: name, options: ValidationOptions(mapping: mapping, keepsRows: true))
      }
      // In two halves, as the harness reads it.
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).csv").path
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      defer { try? FileManager.default.removeItem(atPath: path) }
      _ = try ExportValidator.validate(file: path, options: ValidationOptions(keepsRows: true, parallelThreshold: 64))
    case "mapping":
      _ = try? MappingFileParser.parse(String(decoding: bytes, as: UTF8.self), file: name)
    case "files":
      _ = try? ReviewSession.decode(bytes, path: name)
      _ = try? PlanFile.parse(bytes, path: name)
    default:
      Issue.record("\(name): a regression input is named csv-, mapping- or files-…")
    }
  }

  @Test func everyKeptInputIsReadWithoutACrash() throws {
    #expect(!Self.allInputs.isEmpty)
    for name in Self.allInputs { try Self.feed(name) }
  }

  /// A plan header claiming 900 trillion changes: the loader reserved room
  /// for that many before counting the change lines, and the allocation
  /// crashed the process. Now the file is refused: it holds no change.
  @Test func aPlanHeaderWithAHugeChangeCountIsRefused() throws {
    let bytes = try Self.input("files-plan-huge-change-count")
    let expected = FileAccessError(
      path: "big.plan",
      reason: "not a usable sis-sync plan file: it holds 0 changes, its header says 900000000000000 (cut short?)")
    #expect(throws: expected) { try PlanFile.parse(bytes, path: "big.plan") }
    let path = Self.folder.appendingPathComponent("files-plan-huge-change-count").path
    #expect(throws: FileAccessError(path: path, reason: expected.reason)) { try PlanFile.load(path: path) }
  }

  /// A mapping file with Windows line ends (CRLF). "\r\n" is one Swift
  /// Character, so splitting the text at "\n" found no line break: the file
  /// was one line, here a comment, and read as no mapping at all (with a
  /// section first: "unexpected text after the section header"). The
  /// mapping harness now checks that CRLF reads as LF does.
  @Test func aMappingFileWithCRLFLineEndsReadsAsWithLF() throws {
    let bytes = try Self.input("mapping-crlf-line-ends")
    let crlf = try MappingFileParser.parse(String(decoding: bytes, as: UTF8.self), file: "m.map")
    let lf = try MappingFileParser.parse(
      String(decoding: bytes.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self), file: "m.map")
    #expect(crlf == lf)
    #expect(crlf.rules[.grade]?.source == "Grade_Level")
    #expect(crlf.rules[.grade]?.translations == ["0": "K"])
    #expect(crlf.rules[.userType]?.constant == "Student")
    #expect(crlf.rules[.grade]?.definedOnLine == 2)
    // An error names the same line as in the LF file.
    let broken = "[grade]\r\nfrom = G\r\nfrum = H\r\n"
    #expect(
      throws: MappingFileError(
        file: "m.map", line: 3, column: 1,
        message:
          "unknown setting 'frum'; did you mean 'from'? (settings: from, optional, constant, default, value, list, skip, when, template, generate, home)"
      )
    ) {
      try MappingFileParser.parse(broken, file: "m.map")
    }
  }
}
