import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

@Suite struct ApplyTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
  ]
  static let rows = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",  // update
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled",  // disable
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",  // assign ID
    "New,,Kid,new@x.org,2001,S2,Student,,K,Active",  // create
  ]

  @Test(arguments: StoreKind.allCases) func appliesEverythingAndRecordsTheRun(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let plan = try fixture.plan(Self.rows)
    guard case .applied(let run) = try fixture.directory.apply(plan) else {
      Issue.record("nothing applied")
      return
    }
    #expect(run.counts == ["update": 1, "disable": 1, "assign_id": 1, "create": 1])
    let lines = try fixture.accountLines()
    #expect(lines.contains("Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active"))
    #expect(lines.contains("Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled"))
    #expect(lines.contains("Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active"))
    #expect(lines.contains("New,,Kid,new@x.org,2001,S2,Student,,K,Active"))
    let (shown, changes) = try #require(try fixture.directory.run(id: run.id))
    #expect(shown.exportSHA256 == plan.exportSHA256)
    #expect(changes.count == 4)
    let update = try #require(changes.first { $0.action == "update" })
    #expect(update.before?[ExportColumn.grade.rawValue] == "5")
    #expect(update.after[ExportColumn.grade.rawValue] == "6")
    #expect(try fixture.directory.runs().map(\.kind) == [.apply, .import])
  }

  @Test(arguments: StoreKind.allCases) func applyingTheSameExportTwiceChangesNothingTheSecondTime(store: StoreKind)
    throws
  {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    _ = try fixture.directory.apply(try fixture.plan(Self.rows))
    let after = try fixture.accountLines()
    let second = try fixture.plan(Self.rows)
    #expect(second.changes.isEmpty)
    guard case .nothingToApply = try fixture.directory.apply(second) else {
      Issue.record("the second apply changed something")
      return
    }
    #expect(try fixture.accountLines() == after)
    #expect(try fixture.directory.runs().count == 2)  // import + one apply
  }

  @Test(arguments: StoreKind.allCases) func aStalePlanIsRefusedNamingWhatChanged(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let stale = try fixture.plan(Self.rows)
    // Someone else applies a change to Bo first.
    _ = try fixture.directory.apply(try fixture.plan(["Bo,,Li,bo.li@x.org,1002,S1,Student,,4,Active"]))
    let before = try fixture.accountLines()
    #expect {
      _ = try fixture.directory.apply(stale)
    } throws: { error in
      guard case ApplyRefusal.stale(let changes) = error else { return false }
      return changes == ["account #2 (custom_id 1002)"]
    }
    #expect(try fixture.accountLines() == before)
  }

  @Test(arguments: StoreKind.allCases) func aPlanForAnotherDirectoryIsRefused(store: StoreKind) throws {
    let first = try SyncFixture(accounts: Self.accounts, store: store)
    let second = try SyncFixture(accounts: Self.accounts, store: store)
    let plan = try first.plan(Self.rows)
    #expect {
      _ = try second.directory.apply(plan)
    } throws: { error in
      if case ApplyRefusal.otherDirectory = error { return true }
      return false
    }
  }

  @Test(arguments: StoreKind.allCases) func savedPlansApplyExactlyAsReviewed(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    // Values with tabs, line breaks, % and non-ASCII letters survive the file.
    let plan = try fixture.plan(
      Self.rows + ["Zoë,,Nguyễn,zoe@x.org,2002,S2,Teacher,\"Teacher,\n100% \tMath\",,Active"])
    #expect(plan.changes.last?.after[.position] == "Teacher,\n100% \tMath")
    let path = fixture.folder.appendingPathComponent("reviewed.plan").path
    try PlanFile.save(plan, to: path)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let loaded = try PlanFile.load(path: path)
    #expect(loaded.changes == plan.changes)
    #expect(loaded.changes.last?.after[.position] == "Teacher,\n100% \tMath")
    #expect(loaded.directoryGeneration == plan.directoryGeneration)
    #expect(loaded.summary.totalChanges == plan.summary.totalChanges)
    guard case .applied = try fixture.directory.apply(loaded) else {
      Issue.record("not applied")
      return
    }
  }

  @Test func largePlanFilesLoadInFileOrderAndNameABrokenLine() throws {
    // Large plans are parsed in parallel parts: order and line numbers hold.
    let fixture = try SyncFixture(accounts: Self.accounts)
    var plan = try fixture.plan(Self.rows)
    let template = try #require(plan.changes.first { $0.action == .create })
    plan.changes = (0..<6000).map { index in
      var change = template
      change.customID = "C\(index)"
      change.line = index + 2
      return change
    }
    let path = fixture.folder.appendingPathComponent("large.plan").path
    try PlanFile.save(plan, to: path)
    #expect(try PlanFile.load(path: path).changes == plan.changes)

    var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    lines[4999] = "create\tbroken"  // file line 5000, in the second half
    lines.removeLast(2)  // the digest line and the empty string after it
    try Data(PlanFile.sealed(Array((lines.joined(separator: "\n") + "\n").utf8))).write(to: URL(fileURLWithPath: path))
    #expect {
      _ = try PlanFile.load(path: path)
    } throws: { error in
      "\(error)".contains("line 5000 is not a change")
    }
  }

  @Test(arguments: StoreKind.allCases) func revertRestoresFieldValuesAndReportsEachAccount(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    let original = try fixture.accountLines()
    guard case .applied(let run) = try fixture.directory.apply(try fixture.plan(Self.rows)) else {
      Issue.record("not applied")
      return
    }
    let result = try fixture.directory.revert(runID: run.id)
    #expect(result.reverted.count == 4)
    #expect(result.kept.isEmpty && result.failed.isEmpty)
    let lines = try fixture.accountLines()
    // Field values, not only status: Ana's grade is 5 again, Ed is unmanaged again.
    for line in original { #expect(lines.contains(line)) }
    // The created account is disabled, not deleted.
    #expect(lines.contains("New,,Kid,new@x.org,2001,S2,Student,,K,Disabled"))
    #expect(try fixture.directory.runs().first?.revertsRun == run.id)
  }

  @Test(arguments: StoreKind.allCases) func revertKeepsWhatChangedSince(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.accounts, store: store)
    guard case .applied(let run) = try fixture.directory.apply(try fixture.plan(Self.rows)) else {
      Issue.record("not applied")
      return
    }
    // Ana changes again in a later run.
    _ = try fixture.directory.apply(
      try fixture.plan(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,7,Active"] + Self.rows.dropFirst()))
    let result = try fixture.directory.revert(runID: run.id)
    #expect(result.kept.map(\.customID) == ["1001"])
    #expect(result.reverted.count == 3)
    #expect(try fixture.accountLines().contains("Ana,,Ruiz,ana@x.org,1001,S1,Student,,7,Active"))
  }
}

@Suite struct SessionTests {
  @Test(arguments: StoreKind.allCases) func sessionsAreSavedLoadedAndRefusedForAnotherExport(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    let export = try fixture.export(ApplyTests.rows)
    let sha = try sha256Hex(ofFile: export)
    let decisions: [Decision] = [
      .exclude(line: 2), .editCustomID(line: 3, customID: "X1"), .remapBuildingID(from: "S9", to: "S1"),
      .assignID(line: 4, accountID: 3), .setOrganizationExternalID(organizationID: 1, externalID: "D"),
      .excludeLines([5], reason: "code E021"), .changeBuildingID(line: 5, buildingID: "S2"), .include(line: 2),
    ]
    let path = fixture.folder.appendingPathComponent("review.session").path
    try ReviewSession(exportPath: export, exportSHA256: sha, mapping: "none", decisions: decisions).save(to: path)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let loaded = try ReviewSession.load(path: path, exportSHA256: sha)
    #expect(loaded.decisions == decisions)

    let other = try fixture.export(ApplyTests.rows + ["Zo,,Zu,zo@x.org,9,S1,Student,,1,Active"], name: "other.csv")
    #expect(throws: SessionError.self) {
      _ = try ReviewSession.load(path: path, exportSHA256: try sha256Hex(ofFile: other))
    }
  }

  /// The limit fits a large support session: 100,000 decisions save and
  /// load back.
  @Test func aHundredThousandDecisionsFitTheSessionLimit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let decisions: [Decision] = (0..<100_000).map { index in
      let line = 900_000 + index
      switch index % 4 {
      case 0: return .exclude(line: line)
      case 1: return .editCustomID(line: line, customID: "S\(10_000_000 + index)")
      case 2: return .changeBuildingID(line: line, buildingID: "BLDG-\(index % 400)")
      default: return .assignID(line: line, accountID: Int64(1_000_000 + index))
      }
    }
    let path = folder.appendingPathComponent("support.session").path
    let sha = String(repeating: "a", count: 64)
    let session = ReviewSession(
      exportPath: "/srv/sis/district-export.csv", exportSHA256: sha, mapping: "none", decisions: decisions)
    try session.save(to: path)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(size < ReviewSession.fileSizeLimit / 4, "100,000 decisions take \(size) bytes")
    #expect(try ReviewSession.load(path: path, exportSHA256: sha).decisions == decisions)
  }

  @Test func aSessionFileJustOverTheLimitIsRefusedNamingTheLimit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("huge.session").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(ReviewSession.fileSizeLimit + 1))  // sparse: no disk used
    try handle.close()
    #expect(
      throws: SessionError.unreadable(
        path: path, reason: "larger than 64 MiB, the limit for a session file; is this the right file?")
    ) { try ReviewSession.load(path: path, exportSHA256: "") }
    // At the limit it is read, and refused for what it holds.
    let atLimit = try #require(FileHandle(forWritingAtPath: path))
    try atLimit.truncate(atOffset: UInt64(ReviewSession.fileSizeLimit))
    try atLimit.close()
    #expect {
      try ReviewSession.load(path: path, exportSHA256: "")
    } throws: { error in
      "\(error)".contains("not a sis-sync session file")
    }
  }

  @Test func undoRemovesTheLastDecision() {
    var decisions = ReviewDecisions([.exclude(line: 2), .exclude(line: 3)])
    #expect(decisions.excludedLines == [2, 3])
    #expect(decisions.undo() == .exclude(line: 3))
    #expect(decisions.excludedLines == [2])
    decisions.apply(.include(line: 2))
    #expect(decisions.excludedLines.isEmpty)
  }
}

/// SQLite only: the cache is a file beside the database file.
@Suite struct SnapshotCacheTests {
  @Test func theCacheIsUsedOnlyWhileTheDirectoryIsUnchanged() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    let cachePath = fixture.directoryPath + ".snapshot"
    let first = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(FileManager.default.fileExists(atPath: cachePath))
    let attributes = try FileManager.default.attributesOfItem(atPath: cachePath)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let cached = try #require(
      SnapshotCache.load(directory: fixture.directoryPath, state: first.state)
    )
    #expect(cached.accountIDs == first.accountIDs)
    #expect(
      (0..<first.accountCount).map(cached.values(ofAccount:)) == (0..<first.accountCount).map(first.values(ofAccount:)))
    #expect(cached.account(customID: "1002") == first.account(customID: "1002"))
    #expect(cached.account(email: "ED@X.ORG") == first.account(email: "ed@x.org"))
    // A commit moves the generation on: the cache no longer matches.
    _ = try fixture.directory.apply(try fixture.plan(ApplyTests.rows))
    let after = try fixture.directory.snapshot()
    fixture.sqlite.waitForBackgroundWork()
    #expect(after.generation == first.generation + 1)
    #expect(
      SnapshotCache.load(directory: fixture.directoryPath, state: first.state)
        == nil)
    #expect(after.values(ofAccount: 0)[.grade] == "6")
    // A damaged cache is ignored, not trusted.
    try Data("garbage".utf8).write(to: URL(fileURLWithPath: cachePath))
    defer { fixture.sqlite.waitForBackgroundWork() }
    #expect(try fixture.directory.snapshot().values(ofAccount: 0)[.grade] == "6")
  }
}
