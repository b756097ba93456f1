import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import TextScreen

let exportHeaderLine =
  "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"

/// A small directory and export that show every category, loaded into the
/// review screen at 80×24 (no terminal).
final class ReviewFixture {
  static let organizations = [
    "DIST,Springfield District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Oak Hill,school",
  ]
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
    "Cy,,Do,cy@x.org,1003,S2,Student,,3,Disabled",
    "Una,,Ward,una@x.org,,S2,Staff,Nurse,,Active",
  ]
  static let rows = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",  // 2 update
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled",  // 3 disable
    "New,,Kid,new@x.org,2001,S2,Student,,K,Active",  // 4 create
    "小明,,王,wang@x.org,2002,S2,Student,,3,Active",  // 5 create (CJK name)
    "Dup,,One,dup1@x.org,2003,S1,Student,,2,Active",  // 6 error: duplicate custom_id
    "Dup,,Two,dup2@x.org,2003,S1,Student,,2,Active",  // 7 error: duplicate custom_id
    "Far,,Away,far@x.org,2004,S9,Student,,2,Active",  // 8 error: unknown building
    "Cy,,Do,cy@x.org,1003,S2,Student,,3,Active",  // 9 reactivate
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",  // 10 assign ID (email of an unmanaged account)
  ]

  let folder: URL
  let directory: any DirectoryStore
  let exportPath: String
  /// The screen's loop, driven here exactly as the terminal runner drives it.
  let app: ReviewLoop
  let services: RecordingServices
  /// A journal the test placed outside `folder` (removed with it).
  let journalPath: String?

  init(
    rows: [String] = ReviewFixture.rows, accounts: [String] = ReviewFixture.accounts,
    options: PlanOptions = PlanOptions(), sessionPath: String? = nil, size: (Int, Int) = (24, 80),
    mapping: ColumnMapping = .identity, exportName: String = "export.csv", extraFiles: [String: [String]] = [:],
    store: StoreKind = .sqlite, journalPath: String? = nil
  ) throws {
    let folder = try FixtureFolder.make("review")
    self.folder = folder
    self.journalPath = journalPath
    directory = try FixtureFolder.settingUp(folder) {
      let organizationsPath = try Self.write(
        folder, "organizations.csv", ["external_id,name,kind"] + Self.organizations)
      let accountsPath = try Self.write(folder, "accounts.csv", [exportHeaderLine] + accounts)
      let directory = try store.makeStore(in: folder)
      _ = try directory.importCSV(organizationsPath: organizationsPath, accountsPath: accountsPath)
      return directory
    }
    for (name, lines) in extraFiles { _ = try Self.write(folder, name, lines) }
    // Rows in the standard form get the standard header; others bring their own.
    exportPath = try Self.write(
      folder, exportName, mapping.isIdentity ? [exportHeaderLine] + rows : rows)
    let loaded = try ReviewLoader.loadSession(
      ReviewLoader.Input(
        exportPath: exportPath, mapping: mapping, options: options, sessionPath: sessionPath,
        journalPath: journalPath),
      directory: directory)
    let plan = loaded.plan
    let model = ReviewModel(plan: plan, exportPath: exportPath, directoryLocation: directory.location, mapping: mapping)
    model.notApplied = loaded.notApplied
    model.recovered = loaded.recovered
    if let journalPath {
      model.journal = DecisionJournal(
        path: journalPath,
        header: DecisionJournal.Header(
          exportPath: exportPath, exportSHA256: plan.exportSHA256, mapping: plan.validation.mappingOrigin))
    }
    services = RecordingServices(directory: directory)
    app = ReviewLoop(model: model, rows: size.0, columns: size.1, sessionPath: sessionPath)
  }

  deinit {
    FixtureFolder.remove(folder, after: directory)
    if let journalPath { try? FileManager.default.removeItem(atPath: journalPath) }
  }

  static func write(_ folder: URL, _ name: String, _ lines: [String]) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Presses keys through the loop's step (effects run through the
  /// recording services); a string is typed character by character.
  func press(_ keys: Key...) { for key in keys { app.press(key, services: services) } }
  func type(_ text: String) { for character in text { app.press(.character(character), services: services) } }

  var lines: [String] { app.render().lines }
  var screen: String { lines.joined(separator: "\n") }

  /// The rows pane's list lines (below its title).
  var listLines: [String] {
    let layout = app.layout
    return Array(lines[2..<(1 + layout.listHeight + 1)]).map { String($0.dropFirst(23)) }
  }

  func count(_ category: ReviewCategory) -> Int { app.model.count(category) }

  /// Someone else applies a plan of the same export to the directory (a
  /// nightly run while the screen is open): the screen's plan is stale.
  func applyBehindTheScreen(excludingLines: [Int] = []) throws {
    let decisions = ReviewDecisions(excludingLines.isEmpty ? [] : [.excludeLines(excludingLines, reason: "test")])
    let fresh = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: exportPath, decisions: decisions, keepsRows: true), directory: directory)
    _ = try directory.apply(fresh.plan)
  }
}

/// Real engine services, with every call recorded.
final class RecordingServices: ReviewServices {
  /// Replaced by a test reviewing a held run (`review --pending`).
  var engine: EngineReviewServices
  var savedSessions: [String] = []
  var reports: [String] = []
  var mappings: [String] = []
  var commits = 0

  init(directory: any DirectoryStore) { engine = EngineReviewServices(directory: directory) }

  func saveSession(_ session: ReviewSession, to path: String) throws {
    savedSessions.append(path)
    try engine.saveSession(session, to: path)
  }

  func writeReport(
    _ plan: Plan, validation: ValidationResult, notApplied: [NotAppliedDecision], basePath: String, redacted: Bool
  ) throws -> [String] {
    reports.append(basePath)
    return try engine.writeReport(
      plan, validation: validation, notApplied: notApplied, basePath: basePath, redacted: redacted)
  }

  func saveMapping(_ text: String, to path: String) throws {
    mappings.append(path)
    try engine.saveMapping(text, to: path)
  }

  func commit(_ plan: Plan) throws -> CommitOutcome {
    commits += 1
    return try engine.commit(plan)
  }

  var reloads = 0
  func reloadPlan(_ input: ReviewLoader.Input, decisions: [Decision]) throws -> LivePlan {
    reloads += 1
    return try engine.reloadPlan(input, decisions: decisions)
  }

  func timeline(ofAccount id: Int64) throws -> PersonTimeline { try engine.timeline(ofAccount: id) }

  var rejections: [String] = []
  func rejectPendingRun(reason: String) throws {
    rejections.append(reason)
    try engine.rejectPendingRun(reason: reason)
  }

  var protections: [(id: Int64, reason: String)] = []
  func protectAccount(id: Int64, reason: String) throws -> Int64? {
    protections.append((id, reason))
    return try engine.protectAccount(id: id, reason: reason)
  }
}
