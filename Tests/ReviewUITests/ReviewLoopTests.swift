import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The loop's step itself: a disabled key says why, every dialog key of the
/// binding table reaches its action, the `?` screen lists every binding
/// and why one is unavailable, the too-small gate, and a view that writes
/// nothing.
@Suite struct ReviewLoopTests {
  // MARK: - Disabled reasons

  @Test func aDisabledKeySaysWhyInTheStatusLineAndChangesNothingElse() throws {
    let fixture = try ReviewFixture()
    let cases: [(Key, String)] = [
      (.character("u"), " Nothing to undo"),
      (.character("n"), " No search yet: press / to search"),
      (.character("F"), " No filter to clear"),
      (.character("m"), " This row has no unknown grade, user_type or status value to map"),
      (.character("o"), " Building ID 'S1' already names an organization"),
    ]
    for (key, reason) in cases {
      var before = fixture.app.state
      fixture.press(key)
      #expect(fixture.lines[22] == reason, "\(key.label)")
      // Only the message changed.
      before.message = fixture.app.state.message
      #expect(fixture.app.state == before, "\(key.label)")
    }
    #expect(fixture.app.model.decisions.isEmpty)
  }

  @Test func theReasonFollowsTheState() throws {
    let fixture = try ReviewFixture()
    #expect(fixture.app.disabledReason(.undo)?.text == "Nothing to undo")
    #expect(fixture.app.disabledReason(.clearFilter) != nil)
    fixture.press(.character("2"), .character("x"))
    #expect(fixture.app.disabledReason(.undo) == nil)
    fixture.press(.character("f"))
    fixture.type("wang")
    fixture.press(.enter)
    #expect(fixture.app.disabledReason(.clearFilter) == nil)
    // Excluded rows cannot be excluded again.
    fixture.press(.character("F"), .character("0"), .character("0"))  // 0 again: Excluded
    #expect(fixture.app.state.category == .excluded)
    #expect(fixture.app.disabledReason(.excludeMatching)?.text == "No rows listed here can be excluded")
    fixture.press(.character("0"))  // back to Unchanged: empty
    #expect(fixture.app.state.category == .unchanged)
    #expect(fixture.app.disabledReason(.toggleExclude)?.text == "No row selected: nothing to exclude")
    #expect(fixture.app.disabledReason(.showDetails) != nil)
  }

  @Test func theHelpScreenShowsWhyABindingIsUnavailableNow() throws {
    let fixture = try ReviewFixture(size: (35, 120))
    fixture.press(.character("?"))
    var screen = fixture.screen
    for _ in 0..<2 {  // the keys fill more than two pages at 35 rows
      fixture.press(.pageDown)
      screen += fixture.screen
    }
    #expect(screen.contains("not now: nothing to undo"))
    #expect(screen.contains("not now: no search yet: press / to search"))
    // Available keys carry no reason.
    #expect(!screen.contains("not now: no row selected"))
  }

  // MARK: - Dialog keys from the table

  /// Opens the dialog a context belongs to, in a state where each of its
  /// actions shows.
  private func open(_ context: KeyContext) throws -> ReviewFixture {
    switch context {
    case .panes:
      return try ReviewFixture()
    case .help:
      let fixture = try ReviewFixture()
      fixture.press(.character("?"), .down, .down)
      return fixture
    case .prompt:
      let fixture = try ReviewFixture()
      fixture.press(.character("/"))
      fixture.type("ab")
      return fixture
    case .confirmDecision:
      let fixture = try ReviewFixture()
      fixture.press(.character("1"), .character("X"))
      return fixture
    case .matchSchools:
      let fixture = try ReviewFixture()
      try fixture.useOrganizationsFile(["SIS ID,Name", "S9,Oak Hill School"])
      fixture.press(.character("O"))
      return fixture
    case .buildingScope:
      let fixture = try ReviewFixture(rows: ReviewFixture.rows + ["Far,,Too,far2@x.org,2005,S9,Student,,2,Active"])
      fixture.press(.character("1"), .character("G"), .character("b"), .control("u"))
      fixture.type("S1")
      fixture.press(.enter)
      return fixture
    case .confirmCommit:
      let fixture = try ReviewFixture()
      fixture.press(.character("c"))
      return fixture
    case .heldCommit:
      let accounts = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,Active" }
      let rows = (1...6).map { "P\($0),,Q,p\($0)@x.org,90\($0),S1,Student,,3,\($0 == 1 ? "Active" : "Disabled")" }
      let fixture = try ReviewFixture(
        rows: rows, accounts: accounts,
        options: PlanOptions(thresholds: [Threshold(action: .disable, maxCount: 3, maxShare: nil)]))
      fixture.press(.character("c"))
      fixture.type("overrid")
      return fixture
    case .result:
      let fixture = try ReviewFixture()
      fixture.press(.character("c"), .character("y"))
      return fixture
    case .stalePlan:
      let fixture = try ReviewFixture()
      // Another plan (not this one: that would be "already applied").
      try fixture.applyBehindTheScreen(excludingLines: [2])
      fixture.press(.character("c"), .character("y"))
      return fixture
    case .confirmQuit:
      let fixture = try ReviewFixture()
      fixture.press(.character("x"), .character("q"))
      return fixture
    case .recovery:
      // A journal left by a review of an earlier export of the same people.
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).journal").path
      let journal = DecisionJournal(
        path: path, header: DecisionJournal.Header(exportPath: "old.csv", exportSHA256: "old", mapping: "none"))
      let newKid = PersonKeys(
        customID: "2001", email: "new@x.org", firstName: "New", lastName: "Kid", building: "S2", userType: "Student")
      try journal.start(with: [
        AnchoredDecision(decision: .exclude(line: 9), anchor: DecisionAnchor(rows: [RowAnchor(line: 9, keys: newKid)]))
      ])
      return try ReviewFixture(journalPath: path)
    }
  }

  /// What each dialog action does, as seen from outside.
  private func expectDone(
    _ action: ReviewAction, after key: Key, in fixture: ReviewFixture, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let app = fixture.app
    let state = app.state
    let listHeight = app.layout.listHeight
    let what = "\(action) by \(key.label)"
    switch action {
    case .scrollHelpDown: #expect(state.modal == .help(scroll: 3), "\(what)", sourceLocation: sourceLocation)
    case .scrollHelpUp: #expect(state.modal == .help(scroll: 1), "\(what)", sourceLocation: sourceLocation)
    case .pageHelpDown:
      #expect(state.modal == .help(scroll: 2 + listHeight), "\(what)", sourceLocation: sourceLocation)
    case .pageHelpUp: #expect(state.modal == .help(scroll: 0), "\(what)", sourceLocation: sourceLocation)
    case .reloadPlan:
      #expect(
        fixture.services.reloads == 1 && state.modal == nil && state.message?.text.hasPrefix("Plan rebuilt") == true,
        "\(what)", sourceLocation: sourceLocation)
    case .closeHelp, .closeResult, .cancelPrompt, .stay:
      #expect(state.modal == nil && !state.shouldExit, "\(what)", sourceLocation: sourceLocation)
    case .typeCharacter:
      let typed = if case .prompt(let prompt) = state.modal { prompt.text } else { "" }
      let word = if case .confirmCommit(let typed) = state.modal { typed } else { "" }
      #expect(typed == "ab" + key.label || word == "overrid" + key.label, "\(what)", sourceLocation: sourceLocation)
    case .deleteCharacter:
      let shorter = state.modal == .confirmCommit(typed: "overri") || fixture.screen.contains("> a█")
      #expect(shorter, "\(what)", sourceLocation: sourceLocation)
    case .clearField: #expect(fixture.screen.contains("> █"), "\(what)", sourceLocation: sourceLocation)
    case .nextChoice, .previousChoice:
      // The search prompt offers nothing to pick: the field stays as typed.
      #expect(fixture.screen.contains("> ab█"), "\(what)", sourceLocation: sourceLocation)
    case .submitPrompt:
      #expect(state.modal == nil && state.search == "ab", "\(what)", sourceLocation: sourceLocation)
    case .confirmDecision:
      #expect(app.model.decisions.count == 1 && state.modal == nil, "\(what)", sourceLocation: sourceLocation)
    case .declineDecision, .cancelBuildingChange:
      #expect(
        app.model.decisions.isEmpty && state.modal == nil && state.message?.text == "Cancelled", "\(what)",
        sourceLocation: sourceLocation)
    case .acceptSchoolMatches:
      #expect(
        app.model.decisions == [.setOrganizationExternalID(organizationID: 4, externalID: "S9")], "\(what)",
        sourceLocation: sourceLocation)
    case .changeOneRow:
      #expect(
        app.model.decisions == [.changeBuildingID(line: 11, buildingID: "S1")], "\(what)",
        sourceLocation: sourceLocation)
    case .changeAllRows:
      #expect(
        app.model.decisions == [.remapBuildingID(from: "S9", to: "S1")], "\(what)", sourceLocation: sourceLocation)
    case .applyPlan:
      #expect(fixture.services.commits == 1 && state.committedRun != nil, "\(what)", sourceLocation: sourceLocation)
    case .applyHeldPlan:
      // Not yet: the word is one letter short, and the status line says so.
      #expect(fixture.services.commits == 0, "\(what)", sourceLocation: sourceLocation)
      #expect(state.message?.text.hasPrefix("Type override, then Enter") == true, "\(what)")
    case .cancelCommit:
      #expect(
        fixture.services.commits == 0 && state.modal == nil
          && state.message?.text == "Commit cancelled; nothing was applied", "\(what)", sourceLocation: sourceLocation)
    case .saveAndQuit:
      #expect(
        fixture.services.savedSessions.count == 1 && state.shouldExit, "\(what)", sourceLocation: sourceLocation)
    case .quitWithoutSaving:
      #expect(fixture.services.savedSessions.isEmpty && state.shouldExit, "\(what)", sourceLocation: sourceLocation)
    case .restoreRecovered:
      #expect(
        app.model.decisions == [.exclude(line: 4)] && state.modal == nil, "\(what)", sourceLocation: sourceLocation)
    case .keepSavedSession:
      #expect(app.model.decisions.isEmpty && state.modal == nil, "\(what)", sourceLocation: sourceLocation)
    default:
      Issue.record("no check for the dialog action \(action)", sourceLocation: sourceLocation)
    }
  }

  @Test func everyDialogKeyInTheTableReachesItsAction() throws {
    let dialogBindings = KeyBindings.table.filter { $0.context != .panes }
    #expect(Set(dialogBindings.map(\.context)).count == KeyContext.allCases.count - 1)
    for binding in dialogBindings {
      var keys = binding.keys
      switch binding.otherKeys {
      case .characters: keys.append(.character("Z"))
      case .all: keys += [.character("Z"), .home]
      case nil: break
      }
      for key in keys {
        #expect(KeyBindings.action(for: key, in: binding.context) == binding.action, "\(key.label)")
        let fixture = try open(binding.context)
        fixture.press(key)
        expectDone(binding.action, after: key, in: fixture)
      }
    }
  }

  @Test func theHelpScreenListsEveryBindingDialogsIncluded() throws {
    let fixture = try ReviewFixture(size: (35, 120))
    fixture.press(.character("?"))
    var seen = fixture.screen
    for _ in 0..<12 {
      fixture.press(.pageDown)
      seen += fixture.screen
    }
    for section in KeyBinding.Section.allCases { #expect(seen.contains(section.rawValue)) }
    for row in KeyBindings.helpRows { #expect(seen.contains(row.help), "\(row.keys): \(row.help)") }
  }

  // MARK: - The too-small gate

  @Test func belowTheMinimumSizeOnlyQuittingWorks() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("x"))
    fixture.app.resize(rows: 20, columns: 60)
    let before = fixture.app.state
    for key: Key in [.character("j"), .character("x"), .character("4"), .tab, .character("/"), .enter, .character("u")]
    {
      fixture.press(key)
    }
    #expect(fixture.app.state == before)
    // q asks (a decision is unsaved), in a dialog shown once there is room;
    // Ctrl-C does not answer it unseen.
    fixture.press(.character("q"), .control("c"))
    #expect(fixture.app.state.modal == .confirmQuit)
    #expect(!fixture.app.state.shouldExit)
    #expect(fixture.screen.contains("sis-sync review needs at least 80×24."))
    fixture.app.resize(rows: 24, columns: 80)
    #expect(fixture.screen.contains("1 decision is not saved."))
  }

  // MARK: - The view writes nothing

  @Test func renderingTwiceGivesTheSameFrameAndLeavesTheStateAlone() throws {
    var rows = ReviewFixture.rows
    rows.append("Far,,Too,far2@x.org,2005,S9,Student,,2,Active")
    let fixture = try ReviewFixture(rows: rows)
    let steps: [[Key]] = [
      [], [.character("?")], [.escape, .character("f")], [.character("S"), .character("9"), .enter],
      [.character("x")], [.character("c")], [.escape, .character("3"), .enter],
    ]
    for keys in steps {
      for key in keys { fixture.press(key) }
      let state = fixture.app.state
      let version = fixture.app.model.version
      let first = fixture.app.render()
      let second = fixture.app.render()
      #expect(first == second)
      #expect(fixture.app.state == state)
      #expect(fixture.app.model.version == version)
    }
    fixture.app.resize(rows: 20, columns: 60)
    let state = fixture.app.state
    #expect(fixture.app.render() == fixture.app.render())
    #expect(fixture.app.state == state)
  }
}
