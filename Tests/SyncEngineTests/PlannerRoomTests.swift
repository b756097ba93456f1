import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel

/// Validation tells each planner how many rows to expect, so that planning
/// a million rows reserves its arrays once instead of regrowing (copying)
/// them: the first part's planner is told of the whole file's rows, each
/// other part's of its own, and every row is still handed over.
@Suite struct PlannerRoomTests {
  /// Records what it is told and how many rows it gets.
  final class RecordingPlanner: RowPlanner {
    var expected: [Int] = []
    var lines: [Int] = []
    func process(
      line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool,
      lent: UnsafeRawBufferPointer, lookups: RowLookups
    ) {
      lines.append(line)
    }
    func shiftLines(by delta: Int) { lines = lines.map { $0 + delta } }
    func expectRows(_ count: Int) { expected.append(count) }
  }

  @Test func eachPlannerIsToldAboutTheRowsItWillGet() throws {
    let header =
      "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
    let rows = (0..<4000).map { "Ana,,Lee,a\($0)@x.org,\($0),S1,Student,,5,Active" }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("room-\(UUID().uuidString).csv").path
    try Data(([header] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let file = try RegularFile(path: path)
    let (result, planners, _) = try ExportValidator.validate(
      file: file, options: ValidationOptions(parallelThreshold: 0), planner: { RecordingPlanner() })
    #expect(result.rowCount == 4000)
    try #require(planners.count == ReadingParts.shares.count)
    // Each was told once, before its first row, of at least what it got.
    for planner in planners {
      #expect(planner.expected.count == 1)
      #expect(planner.expected[0] >= planner.lines.count)
    }
    #expect(planners.reduce(0) { $0 + $1.lines.count } == 4000)
    #expect(planners.flatMap(\.lines) == Array(2...4001))  // in file order, every line once
    #expect(planners[0].expected[0] >= 4000)  // the first is sized for the whole file
  }
}
