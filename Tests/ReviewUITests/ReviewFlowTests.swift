import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// Sessions, reports, the commit and quitting, through the real engine.
@Suite struct ReviewFlowTests {
  @Test(arguments: StoreKind.allCases) func commitShowsTheFinalCountsThenAppliesAndShowsTheRun(store: StoreKind) throws
  {
    let fixture = try ReviewFixture(store: store)
    fixture.press(.character("2"), .character("x"))  // exclude line 4
    fixture.press(.character("c"))
    let confirm = fixture.screen
    #expect(confirm.contains("Commit the approved plan?"))
    #expect(confirm.contains("+ 1 create"))
    #expect(confirm.contains("~ 1 update"))
    #expect(confirm.contains("Not applied: 3 rows with errors, 1 excluded."))
    fixture.press(.character("y"))
    #expect(fixture.services.commits == 1)
    let result = fixture.screen
    #expect(result.contains("Applied as run 2"))
    #expect(result.contains("sis-sync show 2"))
    // The directory has the run; the excluded and the error rows were not applied.
    let (run, _) = try #require(try fixture.directory.run(id: 2))
    #expect(run.counts == ["assign_id": 1, "create": 1, "disable": 1, "reactivate": 1, "update": 1])
    let accounts = try fixture.directory.exportCSV().accounts
    #expect(accounts.contains("wang@x.org"))
    #expect(!accounts.contains("new@x.org"))
    #expect(!accounts.contains("dup1@x.org"))
    // After the commit: no more decisions, no second commit, quitting does not ask.
    fixture.press(.escape, .character("x"))
    #expect(fixture.lines[22].contains("The plan is committed"))
    fixture.press(.character("c"))
    #expect(fixture.lines[22].contains("Already committed as run 2"))
    fixture.press(.character("q"))
    #expect(fixture.app.state.shouldExit)
  }

  @Test(arguments: StoreKind.allCases) func cancellingTheCommitAppliesNothing(store: StoreKind) throws {
    let fixture = try ReviewFixture(store: store)
    fixture.press(.character("c"), .character("n"))
    #expect(fixture.services.commits == 0)
    #expect(fixture.lines[22] == " Commit cancelled; nothing was applied")
    #expect(try fixture.directory.runs().count == 1)  // the import only
  }

  @Test(arguments: StoreKind.allCases) func aHeldPlanNeedsTheTypedWord(store: StoreKind) throws {
    // Five disables where at most three may go without a person's word.
    let accounts = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,Active" }
    let rows = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,\($0 == 1 ? "Active" : "Disabled")" }
    let fixture = try ReviewFixture(
      rows: rows, accounts: accounts,
      options: PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 3, maxShare: nil)]), store: store)
    #expect(fixture.lines[0].hasPrefix(" HELD by the disable threshold ·"))
    fixture.press(.character("c"))
    #expect(fixture.screen.contains("HELD by a threshold:"))
    fixture.press(.character("y"), .enter)  // neither confirms a held plan
    #expect(fixture.services.commits == 0)
    #expect(fixture.screen.contains("> y█"))
    fixture.press(.backspace)
    fixture.type("override")
    #expect(fixture.screen.contains("> override█"))
    fixture.press(.enter)
    #expect(fixture.services.commits == 1)
    #expect(fixture.screen.contains("Applied as run 2"))
    // The run also counts the rows it left alone, as the plan did.
    let counts = try #require(try fixture.directory.run(id: 2)?.0.counts)
    #expect(counts.filter { $0.key != RunRecord.unchangedRows && $0.key != RunRecord.skippedRows } == ["disable": 5])
  }

  @Test(arguments: StoreKind.allCases) func aRefusedCommitSaysWhyAndChangesNothing(store: StoreKind) throws {
    let fixture = try ReviewFixture(store: store)
    // Someone else changes the directory while the review is open.
    let other = try ReviewFixture.write(
      fixture.folder, "other.csv", [exportHeaderLine, "Ana,,Ruiz,ana@x.org,1001,S1,Student,,7,Active"])
    let otherPlan = try PlanPipeline.run(PlanPipeline.Input(exportPath: other), directory: fixture.directory).plan
    _ = try fixture.directory.apply(otherPlan)
    fixture.press(.character("c"), .character("y"))
    let screen = fixture.screen
    #expect(screen.contains("Not applied"))
    #expect(screen.contains("account #1"))
    #expect(screen.contains("Nothing was applied."))
    #expect(screen.contains("1 account changed"))
    #expect(try fixture.directory.runs().count == 2)
  }

  @Test(arguments: StoreKind.allCases) func sessionsSaveOwnerOnlyAndResume(store: StoreKind) throws {
    let fixture = try ReviewFixture(store: store)
    fixture.press(.character("2"), .character("x"), .character("1"), .character("e"), .control("u"))
    fixture.type("2010")
    fixture.press(.enter)
    let path = fixture.folder.appendingPathComponent("review.session").path
    fixture.press(.character("s"), .control("u"))
    fixture.type(path)
    fixture.press(.enter)
    #expect(fixture.app.state.message?.text == "Session saved to \(path) (2 decisions)")
    let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(permissions == 0o600)
    #expect(!fixture.app.hasUnsavedDecisions)

    // Sessions go with the export's content: the same rows in another
    // folder resume it too.
    let resumed = try ReviewFixture(sessionPath: path, store: store)
    #expect(resumed.app.model.decisions == [.exclude(line: 4), .editCustomID(line: 6, customID: "2010")])
    #expect(!resumed.app.hasUnsavedDecisions)
    #expect(resumed.count(.excluded) == 1)
    let again = try ReviewLoader.load(
      ReviewLoader.Input(exportPath: fixture.exportPath, sessionPath: path), directory: fixture.directory)
    #expect(again.decisions.decisions == fixture.app.model.decisions)
    #expect(again.summary == fixture.app.model.livePlan.summary)
  }

  /// A session follows its people to a new export: the decision is kept
  /// on the person's new line; one about a removed row is listed, with
  /// why, in a dialog and in the report.
  @Test(arguments: StoreKind.allCases) func aSessionResumesOnANewExportOfTheSamePeople(store: StoreKind) throws {
    let fixture = try ReviewFixture(store: store)
    fixture.press(.character("2"), .character("x"), .character("j"), .character("x"))
    #expect(fixture.app.model.decisions == [.exclude(line: 4), .exclude(line: 5)])
    let path = fixture.folder.appendingPathComponent("s.session").path
    fixture.press(.character("s"), .control("u"))
    fixture.type(path)
    fixture.press(.enter)
    #expect(fixture.services.savedSessions == [path])
    // Line 4 (New Kid) is removed; every later row moves up by one.
    var rows = ReviewFixture.rows
    rows.remove(at: 2)
    _ = try ReviewFixture.write(fixture.folder, "export.csv", [exportHeaderLine] + rows)
    let loaded = try ReviewLoader.loadSession(
      ReviewLoader.Input(exportPath: fixture.exportPath, sessionPath: path), directory: fixture.directory)
    #expect(loaded.plan.decisions.decisions == [.exclude(line: 4)])
    #expect(loaded.notApplied.map(\.reason) == [.rowGone])

    let resumed = try ReviewFixture(rows: rows, sessionPath: path, store: store)
    #expect(resumed.app.model.decisions == [.exclude(line: 4)])
    #expect(resumed.screen.contains("1 saved decision was not applied"))
    #expect(resumed.screen.contains("New Kid (2001), line 4: exclude line 4"))
    resumed.press(.character(" "), .character("w"), .control("u"))
    let report = resumed.folder.appendingPathComponent("report").path
    resumed.type(report)
    resumed.press(.enter)
    let text = try String(contentsOfFile: report + ".txt", encoding: .utf8)
    #expect(text.contains("Saved decisions not applied (1):"))
    #expect(text.contains("New Kid (2001), line 4: exclude line 4 — not applied: the row is gone from the export"))
  }

  @Test func quittingWithUnsavedDecisionsAsksFirst() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("q"))
    #expect(fixture.app.state.shouldExit)  // nothing to lose

    let busy = try ReviewFixture()
    busy.press(.character("x"), .character("q"))
    #expect(!busy.app.state.shouldExit)
    #expect(busy.screen.contains("1 decision is not saved."))
    busy.press(.escape)
    #expect(!busy.app.state.shouldExit)
    busy.press(.character("q"), .character("s"))  // save, then quit
    #expect(busy.services.savedSessions.count == 1)
    #expect(busy.app.state.shouldExit)
    #expect(FileManager.default.fileExists(atPath: busy.folder.appendingPathComponent("export.session").path))

    let discard = try ReviewFixture()
    discard.press(.character("x"), .control("c"), .character("q"))
    #expect(discard.app.state.shouldExit)
    #expect(discard.services.savedSessions.isEmpty)
  }

  @Test func theReportIsWrittenAsTextAndCSVOwnerOnly() throws {
    let fixture = try ReviewFixture()
    let base = fixture.folder.appendingPathComponent("for-the-district").path
    fixture.press(.character("w"), .control("u"))
    fixture.type(base)
    fixture.press(.enter)
    #expect(fixture.app.state.message?.text == "Report written: \(base).txt, \(base).csv")
    let text = try String(contentsOfFile: base + ".txt", encoding: .utf8)
    #expect(text.contains("Far Away (2004), line 8"))
    #expect(text.contains("E040"))
    let csv = try String(contentsOfFile: base + ".csv", encoding: .utf8)
    #expect(csv.hasPrefix("line,name,id,sis_column,current_value,set_to,instruction,code\r\n"))
    #expect(csv.contains("8,Far Away,2004,school_district_external_id,S9,"))
    for path in [base + ".txt", base + ".csv"] {
      let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
      #expect(permissions == 0o600)
    }
  }
}

/// Issue 6: the directory file changes under an open review screen.
/// SQLite only: it is about the file.
@Suite struct ReviewDirectoryFaultTests {
  @Test(arguments: [false, true]) func aDeletedOrReplacedDirectoryIsNotWrittenAndTheReviewSaysSo(replace: Bool) throws {
    let fixture = try ReviewFixture()
    let path = fixture.folder.appendingPathComponent("directory.sqlite").path
    let saved = path + ".moved"
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
      try FileManager.default.moveItem(atPath: path + suffix, toPath: saved + suffix)
    }
    if replace { try FileManager.default.copyItem(atPath: saved, toPath: path) }
    fixture.press(.character("c"), .character("y"))
    let screen = fixture.screen
    #expect(screen.contains("Not applied"))
    #expect(screen.contains(replace ? "was replaced by another file" : "was deleted since it was opened"))
    #expect(fixture.app.state.committedRun == nil)
    // Nothing was written to the file the review had open.
    let moved = try SQLiteDirectory(path: saved, access: .write)
    #expect(try moved.runs().count == 1)
  }
}
