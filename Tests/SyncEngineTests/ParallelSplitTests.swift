import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Large files are read in parts on two cores. Splitting must never
/// change a result: every finding, line number and value must be the same
/// as reading the file in one pass, whatever quotes and line breaks the
/// file holds around the split point.
@Suite struct ParallelSplitTests {
  private static let header =
    "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"

  /// A deterministic generator (the tests must be repeatable).
  private struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
  }

  private static func messyExport(seed: UInt64, rows: Int) -> [UInt8] {
    var random = Generator(state: seed)
    let names = [
      "Ana", "Zoë", "王", "O\"Brien", "\"Smith, Jr\"", " \"Lee\" ", "\"two\nlines\"", "\"cr\rline\"",
      "\"crlf\r\nline\"", "\"say \"\"hi\"\"\"", "\"a\"x", "\"\"  \"x, y\"", "Kim", "", "  ",
    ]
    let terminators = ["\n", "\r\n", "\r"]
    var text = header + "\n"
    for row in 0..<rows {
      if random.next(15) == 0 { text += random.pick(["\n", "  \n", "\r\n"]) }
      let id = random.next(8) == 0 ? "\(random.next(row + 1))" : "\(row)"
      var fields = [
        random.pick(names), "", random.pick(names), random.pick(["a\(row)@x.org", "bad", "A\(row / 3)@X.ORG"]), id,
        random.pick(["S1", "S2"]), random.pick(["Student", "teacher", "Staff", "Wizard"]),
        random.pick(["", "\"Teacher, Math\"", "Coach"]), random.pick(["", "5", "KG", "12"]),
        random.pick(["Active", "Disabled", "active"]),
      ]
      if random.next(20) == 0 { fields.removeLast() }
      text += fields.joined(separator: ",") + random.pick(terminators)
    }
    return Array(text.utf8)
  }

  private static func summary(_ result: ValidationResult) -> [String] {
    var lines = ["rows \(result.rowCount) errors \(result.rowsWithErrors)"]
    for finding in result.findings {
      lines.append(
        "\(finding.line ?? 0) \(finding.code.id) \(finding.field ?? 0) \(finding.value ?? "-") \(finding.message) "
          + finding.relatedLines.map(String.init).joined(separator: ","))
    }
    if let table = result.table {
      for row in 0..<table.rowCount {
        let values = ExportColumn.allCases.map { table.value(row: row, column: $0) }
        lines.append("\(table.line(ofRow: row)) \(table.hasError(row: row)) " + values.joined(separator: "|"))
      }
    }
    return lines
  }

  /// Calls `body` with the path of a file holding `bytes`, removed after.
  private static func withExportFile<Result>(_ bytes: [UInt8], _ body: (String) throws -> Result) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("export.csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try body(path)
  }

  /// Validates `bytes` in one pass and split in parts; returns both.
  private static func onePassAndSplit(_ bytes: [UInt8]) throws -> (whole: ValidationResult, split: ValidationResult) {
    try withExportFile(bytes) { path in
      let whole = try ExportValidator.validate(
        source: MemoryByteSource(bytes), name: path, options: ValidationOptions(keepsRows: true))
      let split = try ExportValidator.validate(
        file: path, options: ValidationOptions(keepsRows: true, parallelThreshold: 0))
      return (whole, split)
    }
  }

  @Test(arguments: 1...12)
  func splittingGivesTheSameResultAsOnePass(seed: Int) throws {
    let (whole, split) = try Self.onePassAndSplit(Self.messyExport(seed: UInt64(seed), rows: 40 + seed * 7))
    #expect(Self.summary(split) == Self.summary(whole))
  }

  /// A quoted value with line breaks that spans the middle of the file: the
  /// second half's guessed start is inside it, so its work must be dropped.
  @Test func aQuotedValueAcrossTheMiddleFallsBackToOnePass() throws {
    var text = Self.header + "\n"
    for row in 0..<20 { text += "A,,B,a\(row)@x.org,\(row),S,Teacher,Coach,,Active\n" }
    text += "A,,B,long@x.org,999,S,Teacher,\"" + String(repeating: "line\n", count: 200) + "\",,Active\n"
    for row in 20..<40 { text += "A,,B,a\(row)@x.org,\(row),S,Teacher,Coach,,active\n" }
    let (whole, split) = try Self.onePassAndSplit(Array(text.utf8))
    #expect(Self.summary(split) == Self.summary(whole))
    #expect(whole.findings.filter { $0.code == .caseNormalised }.first?.line == 223)
  }

  /// A quoted value with line breaks across a late part's start: the parts
  /// before it are joined, the one before it reads on, the rest are dropped.
  @Test func aQuotedValueAcrossALatePartFallsBackFromThere() throws {
    var text = Self.header + "\n"
    for row in 0..<400 { text += "A,,B,a\(row)@x.org,\(row),S,Teacher,Coach,,Active\n" }
    text += "A,,B,long@x.org,999,S,Teacher,\""
    let quoted = text.utf8.count..<(text.utf8.count + 200 * 5)
    text += String(repeating: "line\n", count: 200) + "\",,Active\n"
    for row in 400..<440 { text += "A,,B,a\(row)@x.org,\(row % 410),S,Teacher,Coach,,active\n" }
    let bytes = Array(text.utf8)
    // The file is laid out so that a late part starts inside the quoted value.
    #expect(ReadingParts.boundaries(size: bytes.count).dropFirst(2).contains { quoted.contains($0) })
    let (whole, split) = try Self.onePassAndSplit(bytes)
    #expect(Self.summary(split) == Self.summary(whole))
    #expect(whole.findings.contains { $0.code == .duplicateCustomID })
  }

  /// A large file is cut in parts (`ReadingParts.shares`), each starting on a line, shrinking
  /// towards the end of the file.
  @Test func aLargeFileIsReadInShrinkingParts() throws {
    let bytes = Self.messyExport(seed: 3, rows: 2_000)
    let starts = try Self.withExportFile(bytes) { try ExportValidator.partStarts(in: RegularFile(path: $0), after: 0) }
    #expect(starts.count == ReadingParts.shares.count - 1)
    #expect(starts.allSatisfy { bytes[$0 - 1] == UInt8(ascii: "\n") })
    let sizes = zip(starts, starts.dropFirst() + [bytes.count]).map { $1 - $0 }
    #expect(sizes.first! > 3 * sizes.last!)
  }

  /// The first core to find no part left says, once, that it is free
  /// while the other may still read (the plan hashes the export on it); a
  /// file read in one pass never says it.
  @Test func theFirstCoreDoneSaysOnceThatItIsFree() throws {
    final class Calls: @unchecked Sendable {
      private let lock = NSLock()
      private var count = 0
      func record() { lock.withLock { count += 1 } }
      var total: Int { lock.withLock { count } }
    }
    let bytes = Self.messyExport(seed: 7, rows: 300)
    try Self.withExportFile(bytes) { path in
      let whole = try ExportValidator.validate(
        source: MemoryByteSource(bytes), name: path, options: ValidationOptions(keepsRows: true))
      for (threshold, expectedCalls) in [(0, 1), (ValidationOptions().parallelThreshold, 0)] {
        let calls = Calls()
        let file = try RegularFile(path: path)
        let split = try ExportValidator.validate(
          file: file, options: ValidationOptions(keepsRows: true, parallelThreshold: threshold),
          planner: nil as (() -> PlansNothing)?, coreFreed: { calls.record() })
        #expect(calls.total == expectedCalls, "threshold \(threshold)")
        #expect(Self.summary(split.result) == Self.summary(whole))
      }
    }
  }
}
