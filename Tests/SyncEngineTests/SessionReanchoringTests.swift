import Foundation
import StoreKinds
import SyncEngine
import Testing

/// Saved decisions follow people, not lines: a new export of the same
/// people (rows moved, fixed, removed, added) and a directory that moved on
/// get every decision that still fits, and a reason for each that does not.
@Suite struct SessionReanchoringTests {
  static let organizations = [
    "DIST,Springfield District,district", "S1,Lincoln,school", "S2,Roosevelt,school", ",Oak Hill,school",
  ]
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
    "Ivy,,Ng,ivy@x.org,,S2,Staff,Nurse,,Active",
  ]
  static let rows = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",  // 2
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled",  // 3
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",  // 4 assign ID
    "Dup,,One,dup1@x.org,2003,S1,Student,,2,Active",  // 5 duplicate custom_id
    "Dup,,Two,dup2@x.org,2003,S1,Student,,2,Active",  // 6 duplicate custom_id
    "Far,,Away,far@x.org,2004,S9,Student,,2,Active",  // 7 unknown building
    "Gus,,Gone,gus@x.org,2005,S1,Student,,3,Active",  // 8
    "Hal,,Fix,hal@x.org,2006,S9,Student,,3,Active",  // 9 unknown building
    "Ivy,,Ng,,2011,S2,Staff,Nurse,,Active",  // 10 assign ID (by name)
    "Kim,,Lee,kim@x.org,2008,S2,Student,,TK,Active",  // 11 unknown grade
  ]

  final class Setup {
    let fixture: SyncFixture
    let sessionPath: String
    let snapshot: DirectorySnapshot

    init(store: StoreKind) throws {
      fixture = try SyncFixture(organizations: SessionReanchoringTests.organizations, accounts: accounts, store: store)
      sessionPath = fixture.folder.appendingPathComponent("review.session").path
      snapshot = try fixture.directory.snapshot()
    }

    /// The account's id in the directory as it is now.
    func accountID(email: String) throws -> Int64 {
      let now = try fixture.directory.snapshot()
      return now.accountIDs[try #require(now.account(email: email))]
    }
    var oakHill: Int64 { snapshot.organizations.first { $0.name == "Oak Hill" }!.id }

    /// Opens `rows`, makes `decisions`, saves the session.
    func save(_ rows: [String], _ decisions: [Decision]) throws {
      let path = try fixture.export(rows, name: "old.csv")
      let plan = try ReviewLoader.load(ReviewLoader.Input(exportPath: path), directory: fixture.directory)
      for decision in decisions { plan.apply(decision) }
      try ReviewSession(exportPath: path, mapping: "none", plan: plan).save(to: sessionPath)
    }

    func reopen(_ rows: [String]) throws -> ReviewLoader.Loaded {
      let path = try fixture.export(rows, name: "new.csv")
      return try ReviewLoader.loadSession(
        ReviewLoader.Input(exportPath: path, sessionPath: sessionPath), directory: fixture.directory)
    }

    /// The plan of `rows` with `decisions` made from scratch.
    func plan(_ rows: [String], _ decisions: [Decision]) throws -> Plan {
      let path = try fixture.export(rows, name: "expected.csv")
      let plan = try ReviewLoader.load(ReviewLoader.Input(exportPath: path), directory: fixture.directory)
      for decision in decisions { plan.apply(decision) }
      return plan.plan()
    }
  }

  @Test(arguments: StoreKind.allCases) func everyKindIsKeptOnANewExportOfTheSamePeople(store: StoreKind) throws {
    let setup = try Setup(store: store)
    let ed = try setup.accountID(email: "ed@x.org")
    let ivy = try setup.accountID(email: "ivy@x.org")
    let decisions: [Decision] = [
      .exclude(line: 3), .include(line: 3), .exclude(line: 2), .editCustomID(line: 6, customID: "2007"),
      .changeBuildingID(line: 7, buildingID: "S2"), .assignID(line: 4, accountID: ed),
      .assignID(line: 10, accountID: ivy), .excludeLines([8, 9], reason: "school S9"),
      .mapValue(column: .grade, from: "TK", to: "K"), .remapBuildingID(from: "S9", to: "S1"),
      .setOrganizationExternalID(organizationID: setup.oakHill, externalID: "S7"),
      .acceptAllGeneratedEmails,
    ]
    try setup.save(Self.rows, decisions)
    // The same people, two rows added at the top: every line moves by two.
    let moved = ["Neu,,One,neu1@x.org,3001,S2,Student,,1,Active", "Neu,,Two,neu2@x.org,3002,S2,Student,,1,Active"]
    let loaded = try setup.reopen(moved + Self.rows)
    let expected: [Decision] = [
      .exclude(line: 5), .include(line: 5), .exclude(line: 4), .editCustomID(line: 8, customID: "2007"),
      .changeBuildingID(line: 9, buildingID: "S2"), .assignID(line: 6, accountID: ed),
      .assignID(line: 12, accountID: ivy), .excludeLines([10, 11], reason: "school S9"),
      .mapValue(column: .grade, from: "TK", to: "K"), .remapBuildingID(from: "S9", to: "S1"),
      .setOrganizationExternalID(organizationID: setup.oakHill, externalID: "S7"),
      .acceptAllGeneratedEmails,
    ]
    #expect(loaded.notApplied == [])
    #expect(loaded.plan.decisions.decisions == expected)
    #expect(loaded.plan.plan().comparableLines == (try setup.plan(moved + Self.rows, expected)).comparableLines)
  }

  @Test(arguments: StoreKind.allCases) func whatNoLongerFitsIsReportedWithItsReason(store: StoreKind) throws {
    let setup = try Setup(store: store)
    let ed = try setup.accountID(email: "ed@x.org")
    try setup.save(
      Self.rows,
      [
        .exclude(line: 3),  // Bo: kept
        .exclude(line: 8),  // Gus: removed from the export
        .changeBuildingID(line: 9, buildingID: "S1"),  // Hal: fixed in the SIS
        .editCustomID(line: 7, customID: "2010"),  // Far: 2010 goes to another account
        .assignID(line: 4, accountID: ed),  // Ed: managed by a nightly run
        .editCustomID(line: 6, customID: "2007"),  // Dup Two: its twin is now identical
        .mapValue(column: .grade, from: "TK", to: "K"),  // no TK any more
      ])
    // The nightly run: Ed gets an ID, a new account takes 2010.
    let nightly = try setup.fixture.plan([
      "Ed,,Ox,ed@x.org,1009,S1,Teacher,Coach,,Active", "Zoe,,New,zoe@x.org,2010,S2,Student,,1,Active",
    ])
    _ = try setup.fixture.directory.apply(nightly)
    var rows = Self.rows
    rows[6] = "Zed,,Other,zed@x.org,2099,S1,Student,,3,Active"  // a new person at Gus's old line
    rows[7] = "Hal,,Fix,hal@x.org,2006,S1,Student,,3,Active"
    rows[3] = "Dup,,Two,dup2@x.org,2003,S1,Student,,2,Active"
    rows[9] = "Kim,,Lee,kim@x.org,2008,S2,Student,,K,Active"
    let loaded = try setup.reopen(rows)
    #expect(loaded.plan.decisions.decisions == [.exclude(line: 3)])
    let reasons = Dictionary(uniqueKeysWithValues: loaded.notApplied.map { ($0.decision.summary, $0.reason) })
    #expect(reasons["exclude line 8"] == .rowGone)
    #expect(reasons["line 9: building ID → S1"] == .alreadyFixed("the export has building ID S1"))
    #expect(
      reasons["line 7: custom_id → 2010"]
        == .conflicting("custom_id 2010 now belongs to another account (#\(try setup.accountID(email: "zoe@x.org")))"))
    #expect(
      reasons["line 4: assign its ID to account #\(ed)"]
        == .conflicting("account #\(ed) is now managed (custom_id 1009)"))
    #expect(reasons["line 6: custom_id → 2007"] == .conflicting("2 rows now match this person; none alone"))
    #expect(reasons["grade 'TK' → K for all rows"] == .alreadyFixed("no row has grade 'TK' any more"))
    #expect(loaded.notApplied.count == 6)
    #expect(
      loaded.notApplied[0].text.hasPrefix("Gus Gone (2005), line 8: exclude line 8 — not applied: the row is gone"))
    // The new person at line 8 is not excluded.
    #expect(loaded.plan.outcome(row: loaded.plan.row(atLine: 8)!) == .create)
  }

  @Test func aDecisionIsNeverAppliedToAnotherPerson() throws {
    let setup = try Setup(store: .sqlite)
    try setup.save(Self.rows, [.exclude(line: 3), .changeBuildingID(line: 7, buildingID: "S2")])
    var rows = Self.rows
    // Bo's custom_id is now on another person's row; Bo is gone. Far's
    // line now holds someone else, and Far is gone.
    rows[1] = "Bea,,Stone,bea@x.org,1002,S1,Student,,4,Active"
    rows[5] = "Fay,,Near,fay@x.org,2004,S9,Student,,2,Active"
    let loaded = try setup.reopen(rows)
    #expect(loaded.plan.decisions.decisions == [])
    #expect(
      loaded.notApplied.map(\.reason) == [
        .conflicting("custom_id 1002 is now on another person's row (line 3)"),
        .conflicting("custom_id 2004 is now on another person's row (line 7)"),
      ])
  }

  @Test func thePersonIsFoundByEmailThenByNameWhenTheIDChanged() throws {
    let setup = try Setup(store: .sqlite)
    try setup.save(Self.rows, [.exclude(line: 3), .exclude(line: 11), .acceptGeneratedEmail(line: 10)])
    var rows = Self.rows
    rows[1] = "Bo,,Li,bo@x.org,1092,S1,Student,,4,Disabled"  // new ID, same email
    rows[9] = "Kim,,Lee,,2098,S2,Student,,TK,Active"  // new ID, no email: by name
    rows[8] = "Ivy,,Ng,ivy@x.org,2011,S2,Staff,Nurse,,Active"  // the SIS has her email now
    let loaded = try setup.reopen(rows)
    #expect(loaded.plan.decisions.decisions == [.exclude(line: 3), .exclude(line: 11)])
    #expect(loaded.notApplied.map(\.reason) == [.alreadyFixed("the export has an email for the row")])
  }

  @Test func aDirectoryThatMovedOnIsReCheckedOnTheSameExport() throws {
    let setup = try Setup(store: .sqlite)
    let ed = try setup.accountID(email: "ed@x.org")
    try setup.save(
      Self.rows,
      [.assignID(line: 4, accountID: ed), .setOrganizationExternalID(organizationID: setup.oakHill, externalID: "S9")])
    let nightly = try setup.fixture.plan(["Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active"])
    _ = try setup.fixture.directory.apply(nightly)
    let path = try setup.fixture.export(Self.rows, name: "old.csv")
    let loaded = try ReviewLoader.loadSession(
      ReviewLoader.Input(exportPath: path, sessionPath: setup.sessionPath), directory: setup.fixture.directory)
    #expect(
      loaded.plan.decisions.decisions == [.setOrganizationExternalID(organizationID: setup.oakHill, externalID: "S9")])
    #expect(loaded.notApplied.map(\.reason) == [.alreadyFixed("account #\(ed) has custom_id 1005")])
  }

  @Test func aSessionOfAnEarlierVersionStillOnlyFitsItsOwnExport() throws {
    let setup = try Setup(store: .sqlite)
    let path = try setup.fixture.export(Self.rows, name: "old.csv")
    try ReviewSession(
      exportPath: path, exportSHA256: try sha256Hex(ofFile: path), mapping: "none", decisions: [.exclude(line: 3)]
    ).save(to: setup.sessionPath)
    #expect(throws: SessionError.self) { _ = try setup.reopen(Array(Self.rows.dropLast())) }
    let same = try ReviewLoader.loadSession(
      ReviewLoader.Input(exportPath: path, sessionPath: setup.sessionPath), directory: setup.fixture.directory)
    #expect(same.plan.decisions.decisions == [.exclude(line: 3)])
  }
}

/// The journal: every decision on disk as it is made.
@Suite struct DecisionJournalTests {
  @Test func decisionsAndUndosAreRecoveredAndACutLastLineIsLeftOut() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("x.session.journal").path
    let journal = DecisionJournal(
      path: path, header: DecisionJournal.Header(exportPath: "x.csv", exportSHA256: "abc", mapping: "none"))
    let anchor = DecisionAnchor(
      rows: [
        RowAnchor(
          line: 2,
          keys: PersonKeys(
            customID: "1", email: "a@x.org", firstName: "A", lastName: "B", building: "S1", userType: "Student"))
      ])
    try journal.append(AnchoredDecision(decision: .exclude(line: 2), anchor: anchor), earlier: { [] })
    let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(permissions == 0o600)
    try journal.append(AnchoredDecision(decision: .exclude(line: 3), anchor: nil), earlier: { [] })
    try journal.appendUndo(earlier: { [] })
    try journal.append(AnchoredDecision(decision: .acceptAllGeneratedEmails, anchor: nil), earlier: { [] })
    var recovered = try #require(try DecisionJournal.recover(path: path))
    #expect(recovered.header.exportSHA256 == "abc")
    #expect(recovered.decisions.map(\.decision) == [.exclude(line: 2), .acceptAllGeneratedEmails])
    #expect(recovered.decisions[0].anchor == anchor)
    // A crash in the middle of a write: the cut line is not read.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(#"{"decision":{"exclude":{"li"#.utf8))
    try handle.close()
    recovered = try #require(try DecisionJournal.recover(path: path))
    #expect(recovered.decisions.count == 2)
    // Compacted into a session: gone.
    journal.discard()
    #expect(try DecisionJournal.recover(path: path) == nil)
  }

  @Test func aBadLineInTheMiddleIsAnErrorNamingIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("j").path
    let journal = DecisionJournal(
      path: path, header: DecisionJournal.Header(exportPath: "x.csv", exportSHA256: "abc", mapping: "none"))
    try journal.start(with: [AnchoredDecision(decision: .exclude(line: 2), anchor: nil)])
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text += "garbage\n{\"undo\":true}\n"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: SessionError.unreadable(path: path, reason: "line 3: not a journal entry")) {
      _ = try DecisionJournal.recover(path: path)
    }
  }

  /// A key stays instant: an append with its fsync, measured.
  @Test func anAppendTakesWellUnderTenMilliseconds() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let journal = DecisionJournal(
      path: folder.appendingPathComponent("j").path,
      header: DecisionJournal.Header(exportPath: "x.csv", exportSHA256: "abc", mapping: "none"))
    try journal.start(with: [])
    let count = 200
    let started = Date()
    for line in 0..<count {
      try journal.append(AnchoredDecision(decision: .exclude(line: line + 2), anchor: nil), earlier: { [] })
    }
    let perAppend = Date().timeIntervalSince(started) / Double(count)
    print("journal append with fsync: \(String(format: "%.3f", perAppend * 1000)) ms")
    #expect(perAppend < 0.010)
  }
}
