import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// A real SQLite directory with a graduating class (grade 12) among
/// younger students and staff, and the cleanup screen's loop on it.
final class CleanupFixture {
  static let accounts =
    [
      "Ana,,Ruiz,ana@x.org,1001,S1,Student,,12,Active",
      "Bo,,Li,bo@x.org,1002,S1,Student,,12,Active",
      "Cy,,Do,cy@x.org,1003,S2,Student,,12,Active",
      "Di,,Ng,di@x.org,1004,S1,Student,,11,Active",
      "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,12,Active",
      "Fay,,Um,fay@x.org,,S2,Student,,12,Active",
    ] + (0..<40).map { "Kid\($0),,Young,kid\($0)@x.org,20\($0 + 10),S1,Student,,5,Active" }

  let folder: URL
  let directory: any DirectoryStore
  private(set) var loop: CleanupLoop

  /// Where this fixture's cleanup session is saved.
  var sessionPath: String { folder.appendingPathComponent("cleanup.session").path }

  init(filter: String = "", options: PlanOptions = PlanOptions(), journaled: Bool = false) throws {
    let folder = try FixtureFolder.make("cleanup")
    self.folder = folder
    (directory, loop) = try FixtureFolder.settingUp(folder) {
      let organizations = try ReviewFixture.write(
        folder, "organizations.csv", ["external_id,name,kind"] + ReviewFixture.organizations)
      let accounts = try ReviewFixture.write(folder, "accounts.csv", [exportHeaderLine] + Self.accounts)
      let directory = try StoreKind.sqlite.makeStore(in: folder)
      _ = try directory.importCSV(organizationsPath: organizations, accountsPath: accounts)
      return (directory, try CleanupLoop(store: directory, filter: filter, options: options, rows: 24, columns: 100))
    }
    if journaled { try reopen(filter: filter) }
  }

  /// A new screen on the same directory, as `cleanup --review --session`
  /// opens it: the saved session resumed, a journal left behind offered.
  /// The old loop is left as a crash leaves it (nothing saved or dropped).
  func reopen(filter: String? = nil) throws {
    let files = try CleanupSessionFiles.open(path: sessionPath, directoryID: try directory.state.directoryID)
    loop = try CleanupLoop(
      store: directory, filter: filter ?? files.saved?.filter ?? "", session: files, rows: 24, columns: 100)
  }

  deinit { FixtureFolder.remove(folder, after: directory) }

  func press(_ keys: Key...) { for key in keys { loop.press(key) } }
  func type(_ text: String) { for character in text { loop.press(.character(character)) } }
  var screen: String { loop.render().lines.joined(separator: "\n") }

  /// custom_id → status, as the directory holds them now.
  func statuses() throws -> [String: String] {
    let snapshot = try directory.snapshot()
    var statuses: [String: String] = [:]
    for account in 0..<snapshot.accountCount {
      let values = snapshot.values(ofAccount: account)
      statuses[values[.customID].isEmpty ? values[.email] : values[.customID]] = values[.status]
    }
    return statuses
  }
}

@Suite struct CleanupLoopTests {
  @Test func disablingAGraduatingClassIsOneRunThatRevertRestores() throws {
    let fixture = try CleanupFixture()
    let runsBefore = try fixture.directory.runs().count
    fixture.press(.character("f"), .control("u"))
    fixture.type("grade:12 type:Student")
    fixture.press(.enter)
    #expect(fixture.loop.state.shown.count == 4)
    #expect(fixture.screen.contains("filter: grade:12 type:Student · 4 accounts shown"))
    fixture.press(.character("d"))
    #expect(fixture.screen.contains("Staged: disable (4 accounts)"))
    fixture.press(.character("c"))
    #expect(fixture.screen.contains("Commit the staged changes?"))
    #expect(fixture.screen.contains("- 3 disable"))
    #expect(fixture.screen.contains("left out (no custom_id): 1"))
    fixture.press(.character("y"))
    let run = try #require(fixture.loop.state.committedRun)
    #expect(fixture.screen.contains("Applied as run \(run)"))
    #expect(try fixture.directory.runs().count == runsBefore + 1)
    let changed = try fixture.directory.read { try $0.changes(ofRun: run) }
    #expect(Set(changed.compactMap(\.customID)) == ["1001", "1002", "1003"])
    var statuses = try fixture.statuses()
    #expect(statuses["1001"] == "Disabled" && statuses["1002"] == "Disabled" && statuses["1003"] == "Disabled")
    #expect(statuses["1004"] == "Active" && statuses["1005"] == "Active" && statuses["fay@x.org"] == "Active")
    #expect(statuses["2010"] == "Active")
    #expect(fixture.loop.state.staged.isEmpty)

    let reverted = try fixture.directory.revert(runID: run)
    #expect(reverted.failed.isEmpty)
    statuses = try fixture.statuses()
    #expect(statuses.values.allSatisfy { $0 == "Active" })
  }

  @Test func stagedChangesOnMarkedRowsMakeOnePlanAndUndoDropsTheLast() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student managed:yes")
    #expect(fixture.loop.state.shown.count == 3)
    fixture.press(.character(" "))  // marks the first (1001), cursor to the second
    fixture.press(.character("g"))
    fixture.type("11")
    fixture.press(.enter)
    #expect(
      fixture.loop.state.staged == [CleanupStep(accounts: [fixture.loop.state.shown[0]], action: .setGrade("11"))])
    fixture.press(.character("p"))  // nothing marked now: all three shown
    fixture.type("Senior")
    fixture.press(.enter, .character("r"))  // all Active: reactivating changes nothing
    #expect(fixture.loop.state.staged.count == 3)
    fixture.press(.character("u"))
    #expect(fixture.loop.state.staged.count == 2)
    let plan = try fixture.loop.currentPlan().plan
    #expect(plan.summary.update == 3 && plan.summary.disable == 0)
    let first = try #require(plan.changes.first { $0.customID == "1001" })
    #expect(first.after[.grade] == "11" && first.after[.position] == "Senior")
  }

  @Test func movingToABuildingAsksWhichAndRefusesAnUnknownOne() throws {
    let fixture = try CleanupFixture(filter: "school:S1 grade:12 type:Student")
    #expect(fixture.loop.state.shown.count == 2)
    fixture.press(.character("m"))
    fixture.type("S9")
    fixture.press(.enter)
    #expect(fixture.screen.contains("Not staged: there is no organization 'S9'"))
    #expect(fixture.loop.state.staged.isEmpty)
    fixture.press(.character("m"))
    fixture.type("Roosevelt")
    fixture.press(.enter, .character("c"), .character("y"))
    #expect(fixture.loop.state.committedRun != nil)
    let snapshot = try fixture.directory.snapshot()
    let moved = (0..<snapshot.accountCount).filter { snapshot.values(ofAccount: $0)[.schoolExternalID] == "S2" }
      .map { snapshot.values(ofAccount: $0)[.customID] }
    #expect(Set(moved) == ["1001", "1002", "1003", ""])
  }

  @Test func aHeldPlanNeedsTheOverrideWord() throws {
    let options = PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 2, maxShare: nil)])
    let fixture = try CleanupFixture(filter: "grade:12 type:Student", options: options)
    fixture.press(.character("d"), .character("c"))
    #expect(fixture.screen.contains("HELD by a threshold"))
    fixture.press(.enter)
    #expect(fixture.loop.state.committedRun == nil)
    fixture.type("override")
    fixture.press(.enter)
    #expect(fixture.loop.state.committedRun != nil)
    #expect(try fixture.statuses()["1001"] == "Disabled")
  }

  @Test func quittingWithStagedChangesAsks() throws {
    let fixture = try CleanupFixture(filter: "grade:12")
    fixture.press(.character("d"), .character("q"))
    #expect(!fixture.loop.state.shouldExit)
    #expect(fixture.screen.contains("1 staged change not committed, not saved"))
    fixture.press(.character("y"))
    #expect(fixture.loop.state.shouldExit)
  }

  @Test func aBadFilterIsShownAndTheHelpListsTheKeys() throws {
    let fixture = try CleanupFixture()
    fixture.press(.character("f"), .control("u"))
    fixture.type("grade:99")
    fixture.press(.enter)
    #expect(fixture.screen.contains("'99' is not a known grade"))
    fixture.press(.escape, .character("?"))
    for binding in CleanupKeys.table { #expect(fixture.screen.contains(binding.help)) }
  }

  @Test func aClickPutsTheCursorOnAnAccountAndTheWheelMovesIt() throws {
    let fixture = try CleanupFixture()
    fixture.press(.mouse(MouseEvent(.click, row: 4, column: 10)))
    #expect(fixture.loop.state.cursor == 2)
    #expect(fixture.screen.contains("Cy Do <cy@x.org>: nothing staged"))
    fixture.press(.mouse(MouseEvent(.wheelDown, row: 4, column: 10)))
    #expect(fixture.loop.state.cursor == 5)
    fixture.press(.mouse(MouseEvent(.wheelUp, row: 4, column: 10)), .mouse(MouseEvent(.wheelUp, row: 4, column: 10)))
    #expect(fixture.loop.state.cursor == 0)
    // A click on the title or below the list, or over a dialog, changes nothing.
    fixture.press(.mouse(MouseEvent(.click, row: 0, column: 10)), .mouse(MouseEvent(.click, row: 23, column: 1)))
    #expect(fixture.loop.state.cursor == 0)
    fixture.press(.character("?"), .mouse(MouseEvent(.click, row: 6, column: 10)))
    #expect(fixture.loop.state.modal == .help && fixture.loop.state.cursor == 0)
  }
}
