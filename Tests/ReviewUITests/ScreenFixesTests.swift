import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The review screen where it misled (issue 12, item 3): each test failed
/// on the screen before its fix.
@Suite struct ScreenFixesTests {
  // MARK: - Finding rows

  @Test func searchFindsARowInAnotherCategoryAndSaysWhere() throws {
    let fixture = try ReviewFixture()
    #expect(fixture.app.state.category == .errors)
    fixture.press(.character("/"))
    fixture.type("wang")
    fixture.press(.enter)
    #expect(fixture.app.state.category == .creates)
    #expect(fixture.app.state.selectedItem == .row(3))
    #expect(fixture.lines[22].contains("'wang' found in Creates"))
    // n goes on through the other categories and comes back.
    fixture.press(.character("/"))
    fixture.type("x.org")
    fixture.press(.enter)
    var seen: [ReviewCategory] = []
    for _ in 0..<12 {
      fixture.press(.character("n"))
      seen.append(fixture.app.state.category)
    }
    #expect(Set(seen).isSuperset(of: [.errors, .creates, .updates, .disables, .reactivations, .idFixes]))
  }

  @Test func searchSaysWhenNoCategoryHasAMatch() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("/"))
    fixture.type("nobody-at-all")
    fixture.press(.enter)
    #expect(fixture.lines[22] == " No row matches 'nobody-at-all' in any category")
  }

  @Test func colonJumpsToALineInItsCategory() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character(":"))
    fixture.type("9")
    fixture.press(.enter)
    #expect(fixture.app.state.category == .reactivations)
    #expect(fixture.app.state.selectedItem == .row(7))
    fixture.press(.character(":"))
    fixture.type("99")
    fixture.press(.enter)
    #expect(fixture.lines[22] == " No row at line '99' of the export")
    #expect(fixture.app.state.selectedItem == .row(7))
  }

  @Test func theFilterPromptStartsEmpty() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("f"))
    fixture.type("school:S1")
    fixture.press(.enter)
    fixture.press(.character("f"))
    guard case .prompt(let prompt) = fixture.app.state.modal else {
      Issue.record("no prompt")
      return
    }
    #expect(prompt.text == "")
    #expect(prompt.hint.contains("now: school:S1"))
    fixture.type("code:E030")
    fixture.press(.enter)
    #expect(fixture.app.state.filter?.description == "code:E030")
  }

  // MARK: - What the screen says

  @Test func pressAToAcceptShowsOnlyWhereAWorks() throws {
    // 'kg' suggests a grade, which review does not change: no "press a".
    let rows = [
      "Kay,,Gee,kay@x.org,3001,S1,Student,,kindergarten,Active", "Far,,Away,far@x.org,2004,S9,Student,,2,Active",
    ]
    let fixture = try ReviewFixture(rows: rows, size: (50, 120))
    fixture.press(.character("1"))
    let first = fixture.app.state.selectedItem!
    let gradeFinding = fixture.app.model.livePlan.findings(row: 0).first { $0.code == .invalidGrade }
    #expect(gradeFinding?.suggestedValue != nil)
    #expect(first == .row(0))
    #expect(!fixture.screen.contains("press a to accept"))
    fixture.press(.character("a"))
    #expect(fixture.app.model.decisions.isEmpty)
  }

  @Test func helpExplainsTheMarks() throws {
    let fixture = try ReviewFixture(size: (40, 120))
    fixture.press(.character("?"))
    var seen = fixture.screen
    for _ in 0..<12 {
      fixture.press(.pageDown)
      seen += fixture.screen
    }
    #expect(seen.contains("!            the row has a warning"))
  }

  @Test func escapeLeavesTheDetailsPane() throws {
    let fixture = try ReviewFixture()
    fixture.press(.enter)
    #expect(fixture.app.state.focus == .details)
    fixture.press(.escape)
    #expect(fixture.app.state.focus == .rows)
  }

  @Test func countsOfOneAreSingular() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("f"))
    fixture.type("wang")
    fixture.press(.enter)
    #expect(fixture.screen.contains("Creates · 1 row (filtered from 2)"))
    #expect(fixture.lines[22] == " Filter 'wang': 1 row of Creates")
  }

  @Test func aLongMessageEndsInAnEllipsis() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("/"))
    fixture.type(String(repeating: "z", count: 100))
    fixture.press(.enter)
    #expect(fixture.lines[22].hasSuffix("…"))
  }

  @Test func theQuitPromptCountsOnlyUnsavedDecisions() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("x"), .character("j"), .character("x"))
    fixture.press(.character("s"))
    fixture.press(.control("u"))
    fixture.type(fixture.folder.appendingPathComponent("s.session").path)
    fixture.press(.enter)
    fixture.press(.character("5"), .character("x"), .character("q"))
    #expect(fixture.screen.contains("1 decision is not saved."))
  }

  // MARK: - The cursor after a decision

  @Test func theCursorStaysOnTheSamePersonWhenRowsBeforeItLeave() throws {
    let rows = [
      "A,,One,a1@x.org,3001,S1,Student,,TK,Active",  // 2 error: grade
      "B,,Two,b2@x.org,3002,S1,Student,,TK,Active",  // 3 error: grade
      "C,,Three,c3@x.org,3003,S9,Student,,TK,Active",  // 4 error: grade and building
      "D,,Four,d4@x.org,3004,S9,Student,,2,Active",  // 5 error: building
    ]
    let fixture = try ReviewFixture(rows: rows)
    fixture.press(.character("1"), .character("j"), .character("j"))
    #expect(fixture.app.state.selectedItem == .row(2))
    fixture.press(.character("m"))
    fixture.type("K")
    fixture.press(.enter)
    #expect(fixture.app.model.decisions.count == 1)
    #expect(fixture.app.state.selectedItem == .row(2))
  }

  @Test func theCursorStaysInPlaceWhenTheRowLeavesTheList() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"))
    #expect(fixture.app.state.selectedItem == .row(2))
    fixture.press(.character("x"))
    #expect(fixture.app.state.selectedItem == .row(3))
  }

  // MARK: - Layout (item 4)

  @Test func at80x24TheFirstFindingAndItsFixShowWithoutScrolling() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("1"), .character("G"))  // line 8: unknown building S9
    let details = fixture.lines[12..<22].joined(separator: "\n")
    #expect(details.contains("E040 error (school_district_external_id)"))
    #expect(details.contains("fix:"))
  }

  @Test func at200ColumnsIDsAndBuildingsGetTheirWidthAndSchoolsTheirName() throws {
    let rows = ReviewFixture.rows + ["Long,,Identifier,long@x.org,STU-2024-000123,S2,Student,,3,Active"]
    let fixture = try ReviewFixture(rows: rows, size: (50, 200))
    fixture.press(.character("2"), .character("G"))
    let line = fixture.lines.first { $0.contains("Identifier, Long") } ?? ""
    #expect(line.contains("STU-2024-000123 "))
    #expect(line.contains("S2 Roosevelt"))
    // The details name the school too.
    #expect(fixture.screen.contains("building ID  S2 Roosevelt"))
  }

  // MARK: - Decisions asked about, results in words

  @Test func anIDAnotherRowOrAccountHasIsAskedAboutFirst() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("1"), .character("G"), .character("e"), .control("u"))  // line 8
    fixture.type("1001")  // line 2's, and Ana Ruiz's account
    fixture.press(.enter)
    guard case .confirmDecision(let question, _) = fixture.app.state.modal else {
      Issue.record("no question before the edit")
      return
    }
    #expect(question.contains("line 2"))
    #expect(question.contains("(Ruiz, Ana)"))
    #expect(fixture.app.model.decisions.isEmpty)
    fixture.press(.character("y"))
    #expect(fixture.app.model.decisions == [.editCustomID(line: 8, customID: "1001")])
    // A free ID is applied at once.
    fixture.press(.character("u"), .character("1"), .character("G"), .character("e"), .control("u"))
    fixture.type("4242")
    fixture.press(.enter)
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.app.model.decisions == [.editCustomID(line: 8, customID: "4242")])
  }

  @Test func theCommitResultSpeaksInWords() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("c"), .character("y"))
    guard case .result(_, let lines, _) = fixture.app.state.modal else {
      Issue.record("no result")
      return
    }
    #expect(lines.first?.contains("1 existing account given its custom_id") == true)
    #expect(lines.first?.contains("2 accounts created") == true)
    #expect(lines.first?.contains("assign_id") == false)
  }

  @Test func theHeaderNamesTheThresholdsThatHold() throws {
    let accounts = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,Active" }
    let rows = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,\($0 == 1 ? "Active" : "Disabled")" }
    let fixture = try ReviewFixture(
      rows: rows, accounts: accounts,
      options: PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 3, maxShare: nil)]))
    #expect(fixture.lines[0].hasPrefix(" HELD by the disable threshold · "))
  }

  // MARK: - Pickers

  @Test func assignOffersUnmanagedAccountsLikeliestFirst() throws {
    let accounts = ReviewFixture.accounts + ["Neu,,Kid,neu@x.org,,S2,Student,,K,Active"]  // account #6
    let fixture = try ReviewFixture(accounts: accounts, size: (30, 100))
    fixture.press(.character("2"))  // Creates: line 4, New Kid
    #expect(fixture.app.state.selectedItem == .row(2))
    fixture.press(.character("A"))
    guard case .prompt(let prompt) = fixture.app.state.modal else {
      Issue.record("no picker")
      return
    }
    #expect(prompt.choices.map(\.value) == ["6", "3", "5"])
    #expect(fixture.screen.contains("#6 Kid, Neu  neu@x.org  Roosevelt"))
    fixture.press(.down, .enter)
    #expect(fixture.app.model.decisions == [.assignID(line: 4, accountID: 6)])
  }

  @Test func buildingAndOrganizationPickersNameTheSchools() throws {
    let fixture = try ReviewFixture(size: (30, 100))
    fixture.press(.character("1"), .character("G"), .character("b"))  // line 8, building S9
    #expect(fixture.screen.contains("S1  Lincoln"))
    #expect(fixture.screen.contains("S2  Roosevelt"))
    fixture.type("roose")
    fixture.press(.down, .enter)
    #expect(fixture.app.model.decisions == [.changeBuildingID(line: 8, buildingID: "S2")])
    fixture.press(.character("u"), .character("1"), .character("G"), .character("o"))
    #expect(fixture.screen.contains("#4 Oak Hill"))
    fixture.press(.down, .enter)
    #expect(fixture.app.model.decisions == [.setOrganizationExternalID(organizationID: 4, externalID: "S9")])
  }

  // MARK: - Duplicates

  @Test func excludingEveryOtherLineOfADuplicateClearsTheOneLeft() throws {
    let rows = ReviewFixture.rows + ["Dup,,Three,dup3@x.org,2003,S1,Student,,2,Active"]  // line 11
    let fixture = try ReviewFixture(rows: rows)
    let plan = fixture.app.model.livePlan
    let line7 = try #require(plan.row(atLine: 7))
    fixture.press(.character(":"))
    fixture.type("6")
    fixture.press(.enter, .character("x"))
    // Two rows still share 2003.
    #expect(plan.findings(row: line7).contains { $0.code == .duplicateCustomID })
    fixture.press(.character(":"))
    fixture.type("11")
    fixture.press(.enter, .character("x"))
    #expect(!plan.findings(row: line7).contains { $0.code == .duplicateCustomID })
    #expect(plan.outcome(row: line7) == .create)
    #expect(fixture.app.model.category(ofRow: line7) == .creates)
    // Planning from scratch with the same decisions agrees.
    let fresh = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: fixture.exportPath, decisions: plan.decisions, keepsRows: true),
      directory: fixture.directory)
    #expect(fresh.plan.rowOutcomes == plan.plan().rowOutcomes)
    #expect(fresh.plan.findings.map(\.code) == plan.plan().findings.map(\.code))
    // Taking one exclusion back brings the duplicate back.
    fixture.press(.character("u"))
    #expect(plan.findings(row: line7).contains { $0.code == .duplicateCustomID })
  }

  // MARK: - A stale plan

  @Test func aStalePlanSaysWhatChangedByKindAndReloadsInPlace() throws {
    let fixture = try ReviewFixture(size: (30, 100))
    fixture.press(.character("3"), .character("x"))  // exclude line 2 (Ana's update)
    try fixture.applyBehindTheScreen(excludingLines: [4])  // a run in between: all but New Kid
    fixture.press(.character("c"), .character("y"))
    let lines = fixture.lines
    let summary = try #require(lines.firstIndex { $0.contains("changed since the plan was made: 5 accounts changed") })
    let firstRecord = try #require(lines.firstIndex { $0.contains("account #") })
    #expect(summary < firstRecord)
    #expect(fixture.services.commits == 1)
    fixture.press(.character("r"))
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.app.model.decisions == [.exclude(line: 2)])
    #expect(fixture.lines[28].hasPrefix(" Plan rebuilt against the directory as it is now, 1 decision kept"))
    // The rebuilt plan is planning from scratch against the directory now.
    let fresh = try PlanPipeline.run(
      PlanPipeline.Input(
        exportPath: fixture.exportPath, decisions: ReviewDecisions([.exclude(line: 2)]), keepsRows: true),
      directory: fixture.directory)
    let rebuilt = fixture.app.model.livePlan.plan()
    #expect(rebuilt.rowOutcomes == fresh.plan.rowOutcomes)
    #expect(rebuilt.summary.create == 1)
    fixture.press(.character("c"), .character("y"))
    guard case .result(let title, _, false) = fixture.app.state.modal else {
      Issue.record("not applied after the reload")
      return
    }
    #expect(title.hasPrefix("Applied as run"))
  }

  @Test func theStaleRefusalCountsByKindBeforeTheList() {
    let refusal = ApplyRefusal.stale(changes: ["account #2 (custom_id 1002)", "organization #3 (Lincoln)"])
    #expect(
      refusal.description.hasPrefix("the directory changed since the plan was made (1 account, 1 organization):\n"))
  }
}
