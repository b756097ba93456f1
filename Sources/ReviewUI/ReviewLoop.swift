import SyncEngine
import TextScreen

/// The review screen as update and view, in the shape of The Composable
/// Architecture and Bubble Tea: `send` takes what happened (a key, a new
/// size, an effect's outcome), changes the state (and, by decisions, the
/// model) and returns effects; `render` paints the state and writes
/// nothing; `press` is one whole step, as the terminal runner and the tests
/// both take it. No terminal here.
public final class ReviewLoop {
  public internal(set) var state: ReviewState
  /// The plan and its category lists, changed by decisions in `send` only.
  public let model: ReviewModel
  let presenter: RowPresenter

  public init(model: ReviewModel, rows: Int, columns: Int, sessionPath: String? = nil) {
    self.model = model
    self.presenter = RowPresenter(model: model)
    state = ReviewState(rows: rows, columns: columns, savedDecisions: model.decisions)
    state.sessionPath = sessionPath
    // Open where the work is: the first category with rows, errors first.
    state.category = ReviewCategory.allCases.first { model.count($0) > 0 } ?? .errors
    refreshListing()
    if let recovered = model.recovered {
      state.modal = .offerRecovery(count: recovered.decisions.count)
    } else {
      showNotApplied()
    }
  }

  public var layout: ReviewLayout { state.layout }

  public var hasUnsavedDecisions: Bool { state.hasUnsavedDecisions(model) }

  // MARK: - The step

  /// One key as the terminal delivers it: the update, then each effect run
  /// through the services with its outcome fed back. `show` gets the frame
  /// after the key and after each effect (so "Applying…" shows while a
  /// commit runs).
  public func press(_ key: Key, services: any ReviewServices, show: ((Screen) -> Void)? = nil) {
    var pending = send(.keyPressed(key))
    show?(render())
    while !pending.isEmpty {
      let effect = pending.removeFirst()
      pending += send(outcome(of: effect, services: services))
      show?(render())
    }
  }

  /// The terminal changed size.
  public func resize(rows: Int, columns: Int) { send(.resized(rows: rows, columns: columns)) }

  /// The frame for the state at its size (the "too small" screen below
  /// 80×24). Reads the state and the model; writes nothing.
  public func render() -> Screen { ReviewView(state: state, model: model, presenter: presenter).render() }

  /// The update step: what happened in, the state changed, effects out.
  @discardableResult
  public func send(_ event: ReviewEvent) -> [ReviewEffect] {
    var effects: [ReviewEffect] = []
    switch event {
    case .keyPressed(let key):
      effects = keyPressed(key)
    case .resized(let rows, let columns):
      state.layout = ReviewLayout(rows: rows, columns: columns)
      keepCursorVisible()
    case .sessionSaved, .sessionNotSaved, .reportWritten, .reportNotWritten, .mappingSaved, .mappingNotSaved,
      .committed, .commitFailed, .commitStale, .planReloaded, .planNotReloaded, .timelineLoaded, .timelineNotLoaded,
      .accountProtected, .accountNotProtected, .pendingRejected, .pendingNotRejected:
      effectFinished(event)
    }
    refreshListing()
    return effects
  }

  /// Why an action cannot be done now (nil when it can).
  public func disabledReason(_ action: ReviewAction) -> Message? {
    ReviewAvailability(state: state, model: model).disabledReason(action)
  }

  // MARK: - Keys

  /// Where keys go now: the open dialog's bindings, else the panes'; none
  /// while a commit runs.
  var keyContext: KeyContext? {
    switch state.modal {
    case nil: .panes
    case .help: .help
    case .prompt: .prompt
    case .confirmDecision: .confirmDecision
    case .matchSchools: .matchSchools
    case .buildingScope: .buildingScope
    case .confirmCommit: state.holds.isEmpty ? .confirmCommit : .heldCommit
    case .applying: nil
    case .result: .result
    case .stalePlan: .stalePlan
    case .confirmQuit: .confirmQuit
    case .offerRecovery: .recovery
    }
  }

  private func keyPressed(_ key: Key) -> [ReviewEffect] {
    guard key != .resize else { return [] }
    if layout.isTooSmall {
      // The "needs at least 80×24" screen shows nothing of the review, so
      // no key may change what the reviewer cannot see (exclude a row,
      // type into a hidden prompt, answer a hidden dialog). Only quitting
      // works, as that screen says; with unsaved decisions it opens the
      // Quit? dialog, which appears once the terminal is large enough.
      guard KeyBindings.action(for: key) == .quit else { return [] }
      return perform(.quit, key: key)
    }
    guard let context = keyContext else { return [] }
    if case .mouse(let event) = key {
      mousePressed(event)
      return []
    }
    if context == .panes { state.message = nil }
    guard let binding = KeyBindings.binding(for: key, in: context) else {
      if context == .panes, case .character(let character) = key, character != " " {
        state.message = Message("'\(character)' does nothing here; ? lists the keys", tone: .muted)
      }
      return []
    }
    if let reason = disabledReason(binding.action) {
      state.message = reason
      return []
    }
    return perform(binding.action, key: key)
  }

  /// Carries out an available action (`key` is what typed it).
  private func perform(_ action: ReviewAction, key: Key) -> [ReviewEffect] {
    switch action {
    case .moveUp: move(by: -1)
    case .moveDown: move(by: 1)
    case .pageUp: move(by: -pageSize)
    case .pageDown: move(by: pageSize)
    case .moveToTop: move(by: Int.min / 2)
    case .moveToBottom: move(by: Int.max / 2)
    case .nextPane: cyclePane(1)
    case .previousPane: cyclePane(-1)
    case .selectCategory(let category):
      // A second press of a shared digit (0) goes on to the other category.
      select(state.category == category ? category.sameDigitNext ?? category : category)
    case .showDetails:
      state.focus = .details
      state.detailScroll = 0
    case .leaveDetails: state.focus = .rows
    case .search: openPrompt(Prompt(.search, title: "Search", hint: "name, email, custom_id, building ID or line"))
    case .goToLine: openPrompt(Prompt(.goToLine, title: "Go to line", hint: "a line number of the export"))
    case .nextMatch: findMatch(forward: true)
    case .previousMatch: findMatch(forward: false)
    case .filter:
      // Starts empty: what is typed replaces the filter (the hint names it).
      let current = state.filter.map { " (now: \($0.description))" } ?? ""
      openPrompt(
        Prompt(
          .filter, title: "Filter rows", hint: "words, school:ID, code:E031, rollover:grade_up — empty clears" + current
        ))
    case .showTimeline:
      if let accountID = selectedAccountID { return [.loadTimeline(accountID: accountID)] }
    case .clearFilter:
      state.filter = nil
      state.cursor = 0
      state.top = 0
      state.message = Message("Filter cleared")
    case .toggleExclude: toggleExclude()
    case .excludeMatching: excludeMatching()
    case .editCustomID: startEditCustomID()
    case .changeBuildingID: startChangeBuildingID()
    case .acceptSuggestion: acceptSuggestion()
    case .assignID: startAssignID()
    case .setOrganizationExternalID: startOrganizationExternalID()
    case .mapValue: startMapValue()
    case .matchSchools: startSchoolMatch()
    case .acceptProposedEmail: acceptProposedEmail()
    case .acceptAllProposedEmails: decide(.acceptAllGeneratedEmails)
    case .protectAccount:
      if let accountID = selectedAccountID {
        openPrompt(
          Prompt(
            .protectReason(accountID: accountID), title: "Protect account #\(accountID)",
            hint: "why (shown in every plan): the sync will not change it"))
      }
    case .rejectPendingRun:
      if let pendingRun = model.pendingRun {
        openPrompt(
          Prompt(
            .rejectReason, title: "Reject pending run \(pendingRun)",
            hint: "why (kept in history): nothing will be applied"))
      }
    case .saveMapping:
      openPrompt(
        Prompt(
          .mappingPath, title: "Save the mapping with your value decisions",
          hint: "reuse it with: sis-sync plan EXPORT --mapping PATH",
          text: Self.defaultPath(model.exportPath, suffix: ".map")))
    case .undo: undo()
    case .writeReport, .writeRedactedReport:
      let redacted = action == .writeRedactedReport
      openPrompt(
        Prompt(
          .reportPath(redacted: redacted),
          title: "Write the report" + (redacted ? ", names and emails masked" : "") + " (text and CSV)",
          hint: "writes PATH.txt and PATH.csv, owner-only" + (redacted ? "; IDs and lines are kept" : ""),
          text: state.reportPath
            ?? Self.defaultPath(model.exportPath, suffix: redacted ? "-report-redacted" : "-report")))
    case .saveSession:
      openPrompt(
        Prompt(
          .sessionPath, title: "Save the review session", hint: "resume with: sis-sync review EXPORT --session PATH",
          text: state.sessionPath ?? Self.defaultPath(model.exportPath, suffix: ".session")))
    case .commit: state.modal = .confirmCommit(typed: "")
    case .help: state.modal = .help(scroll: 0)
    case .quit: requestQuit()
    default: return performInDialog(action, key: key)
    }
    return []
  }

  // MARK: - Moving

  var pageSize: Int { state.focus == .details ? layout.detailHeight : layout.listHeight }

  func move(by delta: Int) {
    switch state.focus {
    case .categories:
      let all = ReviewCategory.allCases
      let index = max(0, min(all.count - 1, state.category.rawValue + max(-all.count, min(all.count, delta))))
      select(all[index], focus: .categories)
    case .rows:
      let count = listedItems().count
      guard count > 0 else { return }
      state.cursor = max(0, min(count - 1, state.cursor &+ delta))
      state.detailScroll = 0
      keepCursorVisible()
    case .details:
      state.detailScroll = max(0, state.detailScroll &+ delta)
    }
  }

  private func cyclePane(_ step: Int) {
    let panes = ReviewState.Pane.allCases
    state.focus = panes[(state.focus.rawValue + step + panes.count) % panes.count]
  }

  func select(_ category: ReviewCategory, focus: ReviewState.Pane = .rows) {
    state.category = category
    state.focus = focus
    state.detailScroll = 0
    keepCursorVisible()
  }

  /// Keeps the selection inside the list and on screen.
  func keepCursorVisible() {
    let count = listedItems().count
    let height = layout.listHeight
    state.cursor = max(0, min(state.cursor, count - 1))
    if state.cursor < state.top { state.top = state.cursor }
    if state.cursor >= state.top + height { state.top = state.cursor - height + 1 }
    state.top = max(0, min(state.top, max(0, count - height)))
  }

  // MARK: - What the view reads, kept here

  /// The listed items, refreshed first if the category, the filter or the
  /// plan changed since they were computed.
  func listedItems() -> [Int32] {
    refreshListing()
    return state.visibleItems
  }

  /// Recomputes the state's derived lists when what they come from
  /// changed: the filter runs over the category once, not once a frame.
  func refreshListing() {
    let source = ReviewState.ListingSource(
      category: state.category, filter: state.filter, modelVersion: model.version)
    guard source != state.listedFrom else { return }
    if state.listedFrom?.modelVersion != model.version {
      // A preview's thresholds would judge a part: they wait for the whole.
      (state.holds, state.rollover) = model.planning == nil ? model.livePlan.thresholdJudgement() : ([], nil)
    }
    var items = model.items(state.category)
    if let filter = state.filter {
      items = items.filter { filter.matches(ReviewItem(packed: $0), presenter) }
    }
    state.visibleItems = items
    state.listedFrom = source
  }

  /// The selected export row and its line, when the selection is a row.
  var selectedRow: (row: Int, line: Int)? {
    guard case .row(let row) = state.selectedItem else { return nil }
    return (row, model.livePlan.line(ofRow: row))
  }

  // MARK: - Search

  /// Moves to the next (or previous) item matching the search, in this
  /// category first, then in the others in order, wrapping around (the
  /// filter, if any, applies to every category); a match elsewhere selects
  /// its category and says so.
  func findMatch(forward: Bool) {
    guard let search = state.search, !search.isEmpty else { return }
    let lowered = search.lowercased()
    let all = ReviewCategory.allCases
    let start = state.category.rawValue
    let cursorBefore = state.cursor
    // The current category twice: after the cursor first, before it last.
    for offset in 0...all.count {
      let category = all[(start + (forward ? offset : -offset) + all.count) % all.count]
      let items = offset == 0 ? listedItems() : searchable(category)
      guard !items.isEmpty else { continue }
      let here = category == state.category
      let indices: [Int] =
        switch (here, offset == all.count, forward) {
        case (true, false, true): Array((state.cursor + 1)..<max(state.cursor + 1, items.count))
        case (true, false, false): Array((0..<min(state.cursor, items.count)).reversed())
        case (true, true, true): Array(0...min(state.cursor, items.count - 1))
        case (true, true, false): Array((min(state.cursor, items.count - 1)..<items.count).reversed())
        case (false, _, true): Array(items.indices)
        case (false, _, false): Array(items.indices.reversed())
        }
      guard let index = indices.first(where: { TextMatch.contains(ReviewItem(packed: items[$0]), lowered, presenter) })
      else { continue }
      if !here { select(category) }
      state.cursor = index
      state.focus = .rows
      keepCursorVisible()
      if !here {
        state.message = Message("'\(search)' found in \(category.title)", tone: .accent)
      } else if offset == all.count && index == cursorBefore {
        state.message = Message("Only this row matches '\(search)'", tone: .muted)
      }
      return
    }
    state.message = Message("No row matches '\(search)' in any category", tone: .warning)
  }

  /// A category's items as it would list them under the current filter.
  private func searchable(_ category: ReviewCategory) -> [Int32] {
    let items = model.items(category)
    guard let filter = state.filter else { return items }
    return items.filter { filter.matches(ReviewItem(packed: $0), presenter) }
  }

  /// `:` then a number: selects the export's line, in whatever category
  /// lists it (the filter is cleared if it hides the line).
  func goToLine(_ typed: String) {
    guard let line = Int(typed), let row = model.livePlan.row(atLine: line) else {
      state.message = Message("No row at line '\(typed)' of the export", tone: .error)
      return
    }
    guard let category = model.category(ofRow: row) else {
      state.message = Message(
        "Line \(line) has no error; what it changes is shown once the directory is read", tone: .muted)
      return
    }
    var index = searchable(category).firstIndex(of: Int32(row))
    if index == nil, state.filter != nil {
      state.filter = nil
      state.message = Message("Filter cleared to show line \(line)", tone: .muted)
      index = model.items(category).firstIndex(of: Int32(row))
    }
    select(category)
    state.cursor = index ?? 0
    keepCursorVisible()
  }

  public static func defaultPath(_ exportPath: String, suffix: String) -> String {
    var base = exportPath
    if base.lowercased().hasSuffix(".csv") { base.removeLast(4) }
    return base + suffix
  }
}

extension ReviewState {
  /// Decisions made since the last save, and the plan not committed.
  func hasUnsavedDecisions(_ model: ReviewModel) -> Bool {
    committedRun == nil && model.decisions != savedDecisions
  }
}
