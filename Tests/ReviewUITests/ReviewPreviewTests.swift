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

  /// Before the directory is read (no snapshot cache: a million accounts
  /// from SQLite take longer than validating the whole export), the screen
  /// opens on the first rows' errors, and on nothing it could get wrong.
  @Test func theFirstRowsErrorsShowBeforeTheDirectoryIsRead() throws {
    let fixture = try ReviewFixture()
    let store = SlowSnapshotStore(fixture.directory)
    // Up to the end of the seventh row: the preview ends with the eighth.
    let offset = ([exportHeaderLine] + ReviewFixture.rows.prefix(7)).map { $0.utf8.count + 1 }.reduce(0, +)
    var errorsOnly: ReviewPreview?
    let planned = try #require(
      try ReviewPreview.load(
        ReviewLoader.Input(exportPath: fixture.exportPath), directory: store, previewBytes: offset,
        minimumExportBytes: 0,
        awaitingDirectory: {
          errorsOnly = $0
          store.release()
        }))
    // The errors came while the snapshot was still being read.
    #expect(!store.waitedInVain)
    let first = try #require(errorsOnly)
    #expect(first.plan.awaitsDirectory && first.snapshot == nil)
    #expect(!planned.plan.awaitsDirectory && planned.snapshot != nil)
    #expect(first.plan.rowCount == 8)
    let model = ReviewModel(
      plan: first.plan, exportPath: fixture.exportPath, directoryLocation: fixture.directory.location)
    model.planning = LoadProgress(totalBytes: 1000)
    let loop = ReviewLoop(model: model, rows: 24, columns: 80)
    // Lines 6–8: the duplicate custom_id and the unknown building; nothing else is listed.
    #expect(model.items(.errors) == [4, 5, 6])
    for category in ReviewCategory.allCases where category != .errors { #expect(model.count(category) == 0) }
    var lines = loop.render().lines
    #expect(lines[0].hasPrefix(" PLANNING reading the directory · errors so far… · first 8 rows checked"))
    let categoryLines = lines[2..<(2 + ReviewCategory.allCases.count)].map { String($0.prefix(22)) }
    #expect(categoryLines[0].hasSuffix(" 3… "), "\(categoryLines[0])")
    for line in categoryLines.dropFirst() { #expect(line.hasSuffix(" … "), "\(line)") }
    let services = RecordingServices(directory: fixture.directory)
    Self.press(loop, services, .character("2"))
    lines = loop.render().lines
    #expect(lines.contains { $0.contains("Shown once the directory is read") })
    // A row without errors is not shown anywhere yet, and `:` says why.
    Self.press(loop, services, .character(":"), .character("3"), .enter)
    #expect(loop.state.message?.text == "Line 3 has no error; what it changes is shown once the directory is read")
    Self.press(loop, services, .character("x"))
    #expect(
      loop.state.message?.text.hasPrefix("Still planning the whole export (reading the directory)") == true)
    #expect(model.decisions.isEmpty)
    // The directory read: the first rows' plan replaces their errors.
    Self.press(loop, services, .character("1"), .character("j"))
    #expect(loop.state.selectedItem == .row(5))
    loop.directoryRead(planned.plan)
    let plannedModel = ReviewModel(
      plan: planned.plan, exportPath: fixture.exportPath, directoryLocation: fixture.directory.location)
    for category in ReviewCategory.allCases {
      #expect(model.items(category) == plannedModel.items(category), "\(category)")
    }
    #expect(model.count(.creates) == 2 && model.count(.updates) == 1)
    #expect(loop.state.selectedItem == .row(5))
    #expect(loop.render().lines[0].hasPrefix(" PLANNING reading 0% · counts so far… · first 8 rows shown"))
    // And the whole plan replaces that, as in any preview.
    let whole = try ReviewLoader.load(ReviewLoader.Input(exportPath: fixture.exportPath), directory: fixture.directory)
    loop.planningFinished(whole)
    for category in ReviewCategory.allCases {
      #expect(loop.model.items(category) == fixture.app.model.items(category), "\(category)")
    }
  }
}

/// A store whose snapshot is read only once `release` is called (or after
/// ten seconds, noted as `waitedInVain`), and which never has one cached:
/// shows what a preview does before the directory is read.
private final class SlowSnapshotStore: DirectoryStore, @unchecked Sendable {
  let inner: any DirectoryStore
  private let gate = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var timedOut = false

  init(_ inner: any DirectoryStore) { self.inner = inner }

  var waitedInVain: Bool { lock.withLock { timedOut } }
  func release() { gate.signal() }

  var location: String { inner.location }
  func read<T>(_ body: (any DirectoryReading) throws -> T) throws -> T { try inner.read(body) }
  func write<T>(_ body: (any DirectoryTransaction) throws -> T) throws -> T { try inner.write(body) }
  func snapshot() throws(DirectoryError) -> DirectorySnapshot {
    if gate.wait(timeout: .now() + 10) == .timedOut { lock.withLock { timedOut = true } }
    return try inner.snapshot()
  }
  func cachedSnapshot() -> DirectorySnapshot? { nil }
  func backup(to path: String) throws(DirectoryError) { try inner.backup(to: path) }
  func holdBackgroundWork() {}
  func startHeldWork() {}
}
