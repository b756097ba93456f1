import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

/// `directory copy`: every table moves with its keys, the directory keeps
/// its identity and state history, a filled target is refused, and the
/// table-by-table check catches a copy that differs.
@Suite struct DirectoryCopyTests {
  static let organizations = [
    "DIST,Springfield District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Oak Annex,school",
  ]
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Ed,,Ox,ed@x.org,,Oak Annex,Teacher,Coach,,Active",
  ]
  private static let generating = try! MappingFileParser.parse(
    "[email]\ngenerate = {first_name:lower:ascii}.{last_name:lower:ascii}@x.org\n", file: "gen.map")

  /// A directory with some history: an import, two applies (one with a
  /// generated email), and a revert.
  static func directoryWithHistory(_ store: StoreKind = .sqlite) throws -> SyncFixture {
    let fixture = try SyncFixture(organizations: organizations, accounts: accounts, store: store)
    _ = try fixture.directory.apply(
      try fixture.plan([
        "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active", "Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled",
        "New,,Kid,new@x.org,2001,S2,Student,,K,Active",
      ]))
    let generated = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(["Cy,,Moss,,3001,S1,Student,,2,Active"]), mapping: generating),
      directory: fixture.directory
    ).plan.acceptingGeneratedEmails()
    guard case .applied(let run) = try fixture.directory.apply(generated) else {
      throw DirectoryError(path: "test", reason: "nothing applied")
    }
    _ = try fixture.directory.revert(runID: run.id - 1)
    _ = try fixture.directory.changeSetting("threshold.disable", to: "500,20%")
    // Bo and Cy missing while disables wait a grace: pending disables.
    var grace = PlanOptions(disableMissing: true)
    grace.disableGrace = GraceDuration("14d")!
    _ = try fixture.directory.apply(try fixture.plan(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"], options: grace))
    // Protections, one with an end date and one without (a null column).
    _ = try fixture.directory.protect(.customID("2001"), reason: "on leave", until: "2027-06-30")
    _ = try fixture.directory.protect(.organization("S2"), reason: "pilot", until: nil)
    // An account's local fields.
    _ = try fixture.directory.markLocal(["email", "first_name"], of: .customID("2001"))
    // Several sources: a run of one records its source and the account it manages.
    _ = try fixture.directory.changeSetting("sources", to: "sis=Student;hr=Teacher")
    var options = try fixture.directory.settings().settings.planOptions(source: "sis")
    options.disableMissing = false
    _ = try fixture.directory.apply(
      try fixture.plan(
        ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,8,Active"], options: options))
    return fixture
  }

  /// Every row of every table, read through the protocol.
  static func tables(_ store: any DirectoryStore) throws -> [String: [CopiedRow]] {
    try store.read { reading in
      try Dictionary(
        uniqueKeysWithValues: DirectoryTable.all.map { table in
          (table.name, try reading.copyRows(of: table, after: nil, limit: 1 << 30))
        })
    }
  }

  static func newFile(in folder: URL) throws -> SQLiteDirectory {
    try SQLiteDirectory(path: folder.appendingPathComponent("copy-\(UUID().uuidString).sqlite").path, access: .create)
  }

  @Test func roundTripFileToServerToFileKeepsEveryTable() throws {
    let source = try Self.directoryWithHistory()
    let server = try StoreKind.postgresql.makeStore(in: source.folder)
    let back = try Self.newFile(in: source.folder)
    // Small batches: every table crosses several of them.
    let there = try DirectoryCopy.copy(from: source.directory, to: server, batchSize: 2)
    let returned = try DirectoryCopy.copy(from: server, to: back, batchSize: 3)

    let original = try Self.tables(source.directory)
    #expect(try Self.tables(server) == original)
    #expect(try Self.tables(back) == original)
    #expect(there.tables == returned.tables)
    #expect(there.tables.map(\.table) == DirectoryTable.all.map(\.name))
    // Something of each kind made it: runs with a revert, a generated
    // email, organizations with and without external IDs.
    #expect(
      original["run"]?.map { $0[1] } == [
        "import", "apply", "apply", "revert", "apply", "apply", "apply", "apply", "apply", "apply", "apply",
      ])
    #expect(original["setting"] == [["sources", "hr=Teacher;sis=Student"], ["threshold.disable", "500,20%"]])
    #expect(original["account_source"] == [["1", "sis"]])
    #expect(original["run"]?.last?.last == "sis")
    #expect(
      original["protection"]?.map { [$0[1], $0[3], $0[4]] } == [
        ["account", "on leave", "2027-06-30"], ["organization", "pilot", nil],
      ])
    #expect(original["local_field"]?.map { $0[1] } == ["first_name,email"])
    #expect(original["pending_disable"]?.count == 2)
    #expect(original["account"]?.contains { $0[12] == "1" } == true)
    #expect(original["organization"]?.contains { $0[1] == nil } == true)
    #expect(original["change"]?.count ?? 0 > 5)
    #expect(there.tables.allSatisfy { $0.rows == original[$0.table]?.count })

    let state = try source.directory.state
    for copy in [server, back] as [any DirectoryStore] {
      #expect(try copy.state == state)
      #expect(try copy.settings().settings.value("threshold.disable") == ("500,20%", .stored))
      for row in original["directory_state"] ?? [] {
        #expect(try copy.read { try $0.generation(ofState: row[0] ?? "") } == Int64(row[1] ?? ""))
      }
      let marked = try source.directory.read { try $0.accountIDsWithGeneratedEmail() }
      #expect(try copy.read { try $0.accountIDsWithGeneratedEmail() } == marked)
    }
  }

  @Test(arguments: [StoreKind.sqlite, .postgresql])
  func aPlanMadeBeforeTheCopyIsTheCopysAndStaleOnceTheSourceMovedOn(target: StoreKind) throws {
    let source = try Self.directoryWithHistory()
    let rows = ["Ana,,Ruiz,ana@x.org,1001,S1,Student,,7,Active"]
    let plan = try source.plan(rows)

    // An unchanged copy takes the plan: it is the same directory, same state.
    let unchanged = try target == .sqlite ? Self.newFile(in: source.folder) : target.makeStore(in: source.folder)
    _ = try DirectoryCopy.copy(from: source.directory, to: unchanged)
    guard case .applied = try unchanged.apply(plan) else {
      Issue.record("the copy did not take the plan made on its source")
      return
    }

    // The source moves on; a copy made now refuses the plan as stale,
    // naming what changed, exactly as the source does.
    guard
      case .applied = try source.directory.apply(try source.plan(["Cy,,Moss,cy.moss@x.org,3001,S1,Student,,3,Active"]))
    else {
      Issue.record("the source did not move on")
      return
    }
    let moved = try target == .sqlite ? Self.newFile(in: source.folder) : target.makeStore(in: source.folder)
    _ = try DirectoryCopy.copy(from: source.directory, to: moved)
    var refusals: [ApplyRefusal] = []
    for store in [source.directory, moved] as [any DirectoryStore] {
      do {
        _ = try store.apply(plan)
        Issue.record("a stale plan was applied on \(store.location)")
      } catch let refusal as ApplyRefusal {
        refusals.append(refusal)
      }
    }
    #expect(refusals.count == 2)
    #expect(refusals.first == refusals.last)
    guard case .stale(let changes) = refusals.first else {
      Issue.record("not refused as stale: \(refusals)")
      return
    }
    #expect(changes == ["account #5 (custom_id 3001)"])
  }

  @Test(arguments: [StoreKind.sqlite, .postgresql]) func neverCopiesOverADirectory(target: StoreKind) throws {
    let source = try Self.directoryWithHistory()
    let filled = try SyncFixture(accounts: ["Zed,,Zo,zed@x.org,9,S1,Student,,1,Active"], store: target)
    let before = try Self.tables(filled.directory)
    #expect {
      _ = try DirectoryCopy.copy(from: source.directory, to: filled.directory)
    } throws: { error in
      "\(error)".contains("not empty") && "\(error)".contains("never overwrites")
    }
    #expect(try Self.tables(filled.directory) == before)
  }

  @Test(arguments: [StoreKind.sqlite, .postgresql]) func theCheckCatchesACopyThatDiffers(target: StoreKind) throws {
    let source = try Self.directoryWithHistory()
    let copy = try target == .sqlite ? Self.newFile(in: source.folder) : target.makeStore(in: source.folder)
    let own = try copy.state
    #expect {
      _ = try DirectoryCopy.copy(from: source.directory, to: copy, batchSize: 2) { table, row in
        if table == .account && row[0] == "2" { row[3] = "Spoiled" }
      }
    } throws: { error in
      "\(error)".contains("the copy of the table account does not match the source")
    }
    // Nothing was written: the target is still its own empty directory.
    #expect(try copy.state == own)
    #expect(try Self.tables(copy)["account"] == [])
    #expect(try Self.tables(copy)["run"] == [])
  }

  @Test func aServerDirectoryIsBackedUpToANewOwnerOnlyFile() throws {
    let source = try Self.directoryWithHistory()
    let server = try StoreKind.postgresql.makeStore(in: source.folder)
    _ = try DirectoryCopy.copy(from: source.directory, to: server)
    let path = source.folder.appendingPathComponent("server-backup.sqlite").path
    try server.backup(to: path)
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: source.folder.path).filter {
      $0.hasPrefix("server-backup.sqlite") && $0 != "server-backup.sqlite"
    }
    #expect(leftovers == [])
    let backup = try SQLiteDirectory(path: path, access: .read)
    #expect(try Self.tables(backup) == Self.tables(server))
  }
}
