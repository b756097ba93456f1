import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// A large export opens on a preview of its first rows while the whole is
/// planned (`ReviewPreview`): counts are marked as counts so far, nothing
/// that changes or writes the plan can be done, and the whole plan, once
/// it replaces the preview, is the plan made from scratch.
@Suite struct ReviewPreviewTests {
  /// The fixture's rows, then one that reuses Ana's custom_id: from scratch
  /// Ana's row (line 2) is a duplicate (E030), an error; among the first
  /// three rows alone it is an update.
  static let rows = ReviewFixture.rows + ["Ann,,Other,ann2@x.org,1001,S2,Student,,5,Active"]

  /// The fixture (planned whole, from scratch) and a screen opened on the
  /// preview of its first three rows.
  static func open() throws -> (fixture: ReviewFixture, preview: ReviewLoop) {
    let fixture = try ReviewFixture(rows: rows)
    // Up to the end of the second row: the preview ends with the third.
    let offset = ([exportHeaderLine] + rows.prefix(2)).map { $0.utf8.count + 1 }.reduce(0, +)
    let preview = try #require(
      try ReviewPreview.load(
        ReviewLoader.Input(exportPath: fixture.exportPath), directory: fixture.directory, previewBytes: offset,
        minimumExportBytes: 0))
    #expect(preview.plan.rowCount == 3)
    #expect(preview.plan.isPreview)
    let model = ReviewModel(
      plan: preview.plan, exportPath: fixture.exportPath, directoryLocation: fixture.directory.location)
    model.planning = LoadProgress(totalBytes: 1000)
    return (fixture, ReviewLoop(model: model, rows: 24, columns: 80))
  }

  static func press(_ loop: ReviewLoop, _ services: RecordingServices, _ keys: Key...) {
    for key in keys { loop.press(key, services: services) }
  }

  @Test func theFirstRowsShowWithCountsMarkedAsCountsSoFar() throws {
    let (fixture, loop) = try Self.open()
    let lines = loop.render().lines
    #expect(lines[0].hasPrefix(" PLANNING reading 0% · counts so far… · first 3 rows shown · export.csv"))
    // Ana's row is an update among the first rows; every count says "so far".
    #expect(loop.model.count(.updates) == 1)
    let categoryLines = lines[2..<(2 + ReviewCategory.allCases.count)].map { String($0.prefix(22)) }
    for line in categoryLines { #expect(line.range(of: #"\d… $"#, options: .regularExpression) != nil, "\(line)") }
    #expect(categoryLines.contains { $0.contains("Updates") && $0.contains("1…") })
    // A category with none of the first rows says the rest is still planned.
    Self.press(loop, RecordingServices(directory: fixture.directory), .character("1"))
    #expect(loop.render().lines.contains { $0.contains("None among the first rows; still planning the rest.") })
    // The help screen says what planning means.
    loop.send(.keyPressed(.character("?")))
    #expect(loop.render().lines.contains { $0.contains("While planning (reading 0%)") })
  }

  @Test func decisionsReportsSavingAndCommitWaitForTheWholePlan() throws {
    let (fixture, loop) = try Self.open()
    let services = RecordingServices(directory: fixture.directory)
    for key in ["x", "e", "a", "u", "s", "w", "c", "X"] {
      Self.press(loop, services, .character(Character(key)))
      #expect(
        loop.state.message?.text.hasPrefix("Still planning the whole export (reading 0%)") == true, "\(key)")
      #expect(loop.state.modal == nil, "\(key)")
    }
    #expect(loop.model.decisions.isEmpty)
    #expect(services.commits == 0 && services.savedSessions.isEmpty && services.reports.isEmpty)
    // Looking around works.
    Self.press(loop, services, .character("j"), .enter)
    #expect(loop.state.message == nil)
  }

  @Test func theWholePlanReplacesThePreviewAsIfPlannedFromScratch() throws {
    let (fixture, loop) = try Self.open()
    let services = RecordingServices(directory: fixture.directory)
    Self.press(loop, services, .character("3"))  // Updates: Ana's row
    #expect(loop.state.selectedItem == .row(0))
    let whole = try ReviewLoader.load(ReviewLoader.Input(exportPath: fixture.exportPath), directory: fixture.directory)
    loop.planningFinished(whole)
    #expect(!loop.isPlanning)
    let scratch = fixture.app.model
    for category in ReviewCategory.allCases {
      #expect(loop.model.items(category) == scratch.items(category), "\(category)")
    }
    #expect(loop.model.livePlan.summary == scratch.livePlan.summary)
    // Ana's row turned out a duplicate: an error now, no longer an update.
    #expect(loop.model.category(ofRow: 0) == .errors)
    let lines = loop.render().lines
    #expect(!lines[0].contains("PLANNING"))
    #expect(!lines.contains { $0.contains("…") && $0.contains("Updates") })
    #expect(loop.state.message?.text == "Planned: all 10 rows; counts are final and decisions can be made")
    // Decisions work now, on the whole plan.
    Self.press(loop, services, .character("2"), .character("x"))
    #expect(loop.model.decisions.count == 1)
  }

  @Test func thePreviewNeverEndsInsideAQuotedValue() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preview-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // The line feed after "line" is inside quotes; the next one ends a record.
    let text = "a,b\n1,\"x\ny\",2\n3,\"line\nbreak\"\n4,5\n"
    let path = folder.appendingPathComponent("quoted.csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let file = try RegularFile(path: path)
    let inside = try #require(text.utf8.firstIndex(of: UInt8(ascii: "k")))
    let offset = text.utf8.distance(from: text.utf8.startIndex, to: inside)
    let end = try #require(try ReviewPreview.recordBoundary(in: file, after: offset - 8))
    #expect(String(decoding: Array(text.utf8)[..<end], as: UTF8.self) == "a,b\n1,\"x\ny\",2\n3,\"line\nbreak\"\n")
  }

  @Test func aSmallExportOpensOnItsWholePlan() throws {
    let fixture = try ReviewFixture()
    let preview = try ReviewPreview.load(
      ReviewLoader.Input(exportPath: fixture.exportPath), directory: fixture.directory)
    #expect(preview == nil)
  }
}
