import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The cleanup screen's staged changes as a session: saved with `s`,
/// resumed on the same accounts, journaled as they are made and offered
/// back after a crash, never dropped without asking.
@Suite struct CleanupSessionTests {
  private func customIDs(_ step: CleanupStep, _ loop: CleanupLoop) -> Set<String> {
    Set(step.accounts.map { loop.snapshot.values(ofAccount: $0)[.customID] })
  }

  private func permissions(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
  }

  @Test func aSavedSessionResumesTheSameChangesOnTheSameAccounts() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student managed:yes", journaled: true)
    fixture.press(.character("d"), .character("f"), .control("u"))
    fixture.type("grade:11")
    fixture.press(.enter, .character("g"), .character("1"), .character("0"), .enter)
    #expect(fixture.loop.state.staged.count == 2)
    fixture.press(.character("s"))
    #expect(fixture.screen.contains("Save the cleanup session"))
    fixture.press(.enter)
    #expect(fixture.screen.contains("Saved 2 staged changes to \(fixture.sessionPath)"))
    #expect(try permissions(fixture.sessionPath) == 0o600)
    // Saved: the journal's work is done, and quitting asks nothing.
    #expect(!FileManager.default.fileExists(atPath: fixture.sessionPath + ".journal"))
    fixture.press(.character("q"))
    #expect(fixture.loop.state.shouldExit)

    try fixture.reopen()
    let loop = fixture.loop
    #expect(loop.state.filterText == "grade:11")
    #expect(loop.state.staged.map(\.action) == [.disable, .setGrade("10")])
    #expect(customIDs(loop.state.staged[0], loop) == ["1001", "1002", "1003"])
    #expect(customIDs(loop.state.staged[1], loop) == ["1004"])
    #expect(fixture.screen.contains("Resumed 2 staged changes from the saved session"))
    fixture.press(.character("c"), .character("y"))
    let run = try #require(loop.state.committedRun)
    let changes = try fixture.directory.read { try $0.changes(ofRun: run) }
    #expect(Set(changes.compactMap(\.customID)) == ["1001", "1002", "1003", "1004"])
    // Committed: the session holds nothing staged any more.
    try fixture.reopen()
    #expect(fixture.loop.state.staged.isEmpty)
  }

  @Test func stagedChangesSurviveACrashThroughTheJournal() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student", journaled: true)
    fixture.press(.character("p"))
    fixture.type("Graduate")
    fixture.press(.enter, .character("r"), .character("u"), .character("g"), .character("1"), .enter)
    let journal = fixture.sessionPath + ".journal"
    #expect(try permissions(journal) == 0o600)
    // A crash: the loop is gone without saving or quitting.
    try fixture.reopen()
    #expect(fixture.screen.contains("A cleanup stopped before it was saved"))
    #expect(fixture.screen.contains("It had 2 staged changes"))
    fixture.press(.character("r"))
    #expect(fixture.loop.state.staged.map(\.action) == [.setPosition("Graduate"), .setGrade("1")])
    #expect(customIDs(fixture.loop.state.staged[0], fixture.loop) == ["1001", "1002", "1003", ""])
    // Restored but not saved: quitting asks, and s saves before leaving.
    fixture.press(.character("q"))
    #expect(fixture.screen.contains("2 staged changes not committed, not saved"))
    fixture.press(.character("s"))
    #expect(fixture.loop.state.shouldExit)
    let saved = try CleanupSession.read(path: fixture.sessionPath, directoryID: try fixture.directory.state.directoryID)
    #expect(saved.steps.map(\.action) == [.setPosition("Graduate"), .setGrade("1")])
  }

  @Test func droppingRecoveredChangesRemovesTheJournal() throws {
    let fixture = try CleanupFixture(filter: "grade:12", journaled: true)
    fixture.press(.character("d"))
    try fixture.reopen()
    fixture.press(.character("d"))
    #expect(fixture.loop.state.staged.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: fixture.sessionPath + ".journal"))
    try fixture.reopen()
    #expect(fixture.loop.state.modal == nil)
  }

  @Test func quittingWithoutSavingDropsTheJournalOnPurpose() throws {
    let fixture = try CleanupFixture(filter: "grade:12", journaled: true)
    fixture.press(.character("d"), .character("q"), .character("y"))
    #expect(fixture.loop.state.shouldExit)
    #expect(!FileManager.default.fileExists(atPath: fixture.sessionPath + ".journal"))
    #expect(!FileManager.default.fileExists(atPath: fixture.sessionPath))
  }

  @Test func aJournalLineCutShortByACrashIsLeftOut() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student", journaled: true)
    fixture.press(.character("d"), .character("r"))
    let journal = fixture.sessionPath + ".journal"
    let handle = try #require(FileHandle(forWritingAtPath: journal))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"step":{"action":{"kind":"disa"#.utf8))
    try handle.close()
    let recovered = try CleanupJournal.recover(path: journal, directoryID: try fixture.directory.state.directoryID)
    #expect(recovered?.map(\.action) == [.disable, .reactivate])
  }

  @Test func whatNoLongerFitsIsListedWithWhy() throws {
    let fixture = try CleanupFixture(filter: "school:S1 grade:12 type:Student", journaled: true)
    fixture.press(.character("m"))
    fixture.type("S2")
    fixture.press(.enter, .character("s"), .enter, .character("q"))
    var saved = try CleanupSession.read(path: fixture.sessionPath, directoryID: try fixture.directory.state.directoryID)
    // A restored backup may lack an account the session names.
    saved.steps.append(
      CleanupSession.SavedStep(
        action: .disable, accounts: [.init(account: 999_999, customID: "9999", email: "gone@x.org")]))
    try saved.save(to: fixture.sessionPath)
    // The building is renamed away since: its external ID is gone.
    try fixture.directory.write { directory in
      _ = try directory.moveToNewState()
      let s2 = try #require(try directory.organizations().first { $0.externalID == "S2" })
      try directory.setExternalID("S22", ofOrganization: s2.id)
    }
    try fixture.reopen()
    #expect(fixture.loop.state.staged.isEmpty)
    #expect(fixture.screen.contains("2 saved changes do not fit"))
    #expect(fixture.screen.contains("move to S2 (2 accounts): there is no organization 'S2'"))
    #expect(fixture.screen.contains("disable: account 999999, 9999 (gone@x.org), is no longer in the"))
  }

  @Test func aSessionOfAnotherDirectoryIsRefused() throws {
    let fixture = try CleanupFixture(filter: "grade:12", journaled: true)
    fixture.press(.character("d"), .character("s"), .enter)
    #expect(throws: SessionError.self) {
      try CleanupSessionFiles.open(path: fixture.sessionPath, directoryID: "another-directory")
    }
  }

  @Test func theLineUnderTheListShowsTheStagedChangeBeforeAndAfter() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student")
    #expect(fixture.screen.contains("Ana Ruiz <ana@x.org>: nothing staged"))
    fixture.press(.character("m"))
    fixture.type("S2")
    fixture.press(.enter, .character("g"))
    fixture.type("11")
    fixture.press(.enter)
    #expect(fixture.screen.contains("Ana Ruiz <ana@x.org>: school Lincoln → Roosevelt · grade 12 → 11"))
    fixture.press(.down, .down, .down)
    #expect(fixture.screen.contains("Fay Um <fay@x.org>: not managed (no custom_id): left out"))
  }

  @Test func aDisableAndAnotherChangeOfOneAccountAreRefusedAtStaging() throws {
    let fixture = try CleanupFixture(filter: "grade:12 type:Student managed:yes")
    fixture.press(.character("d"), .character("g"))
    fixture.type("11")
    fixture.press(.enter)
    #expect(fixture.loop.state.staged.map(\.action) == [.disable])
    #expect(fixture.screen.contains("Not staged: 3 accounts are staged to be disabled and changed otherwise too"))
    // Reactivating after the disable is fine: it only takes the disable back.
    fixture.press(.character("r"))
    #expect(fixture.loop.state.staged.count == 2)
  }
}
