import SyncEngine
import TextScreen

/// What the screen asks the runner to do outside itself. The runner draws
/// the current frame first (so "Applying…" shows), then calls `perform`.
public enum ReviewEffect: Equatable, Sendable {
  case saveSession(path: String)
  case writeReport(path: String)
  case saveMapping(path: String)
  case commit(overrideThresholds: Bool)
}

/// The review screen's logic: keys in, state and effects out, frames
/// rendered on demand. No terminal here; tests drive it with keys and read
/// the rendered lines.
public final class ReviewApp {
  public internal(set) var state: ReviewState
  public let model: ReviewModel
  let presenter: RowPresenter
  /// Decisions as last saved (or loaded): quitting with others asks first.
  var savedDecisions: [Decision]
  private var visibleCache: (category: ReviewCategory, filter: RowFilter?, version: Int, items: [Int32])?
  private var holdsCache: (version: Int, holds: [ThresholdHold])?

  public init(model: ReviewModel, rows: Int, columns: Int, sessionPath: String? = nil) {
    self.model = model
    self.presenter = RowPresenter(model: model)
    self.savedDecisions = model.decisions
    state = ReviewState(size: (rows, columns))
    state.sessionPath = sessionPath
    // Open where the work is: the first category with rows, errors first.
    state.category = ReviewCategory.allCases.first { model.count($0) > 0 } ?? .errors
  }

  public var layout: ReviewLayout { ReviewLayout(rows: state.size.rows, columns: state.size.columns) }

  public var hasUnsavedDecisions: Bool { state.committedRun == nil && model.decisions != savedDecisions }

  /// The current category's items, narrowed by the filter (cached until a
  /// decision, the category or the filter changes).
  public var visibleItems: [Int32] {
    if let cache = visibleCache, cache.category == state.category, cache.filter == state.filter,
      cache.version == model.version
    {
      return cache.items
    }
    var items = model.items(state.category)
    if let filter = state.filter {
      items = items.filter { filter.matches(ReviewItem(packed: $0), presenter) }
    }
    visibleCache = (state.category, state.filter, model.version, items)
    return items
  }

  /// The thresholds holding the plan as decided so far.
  public var currentHolds: [ThresholdHold] {
    if let cache = holdsCache, cache.version == model.version { return cache.holds }
    let holds = model.plan.thresholdHolds()
    holdsCache = (model.version, holds)
    return holds
  }

  public var selectedItem: ReviewItem? {
    let items = visibleItems
    guard !items.isEmpty else { return nil }
    return ReviewItem(packed: items[min(state.cursor, items.count - 1)])
  }

  /// The selected export row and its line, when the selection is a row.
  var selectedRow: (row: Int, line: Int)? {
    guard case .row(let row) = selectedItem else { return nil }
    return (row, model.plan.line(ofRow: row))
  }

  public func resize(rows: Int, columns: Int) {
    state.size = (rows, columns)
    keepCursorVisible()
  }

  public func render() -> Screen { ReviewRenderer(app: self).render() }

  // MARK: - Keys

  /// Handles one key: a dialog's when one is open, else the binding table's.
  public func handle(_ key: Key) -> [ReviewEffect] {
    if key == .resize { return [] }
    if state.modal != nil { return handleModal(key) }
    state.message = nil
    guard let action = KeyBindings.action(for: key) else {
      if case .character(let character) = key, character != " " {
        state.message = Message("'\(character)' does nothing here; ? lists the keys", tone: .muted)
      }
      return []
    }
    return perform(action)
  }

  public func perform(_ action: ReviewAction) -> [ReviewEffect] {
    switch action {
    case .moveUp: move(by: -1)
    case .moveDown: move(by: 1)
    case .pageUp: move(by: -pageSize)
    case .pageDown: move(by: pageSize)
    case .moveToTop: move(by: Int.min / 2)
    case .moveToBottom: move(by: Int.max / 2)
    case .nextPane: cyclePane(1)
    case .previousPane: cyclePane(-1)
    case .selectCategory(let category): select(category)
    case .showDetails:
      if selectedItem != nil {
        state.focus = .details
        state.detailScroll = 0
      }
    case .search: openPrompt(Prompt(.search, title: "Search", hint: "name, email, custom_id, building ID or line"))
    case .nextMatch: findMatch(forward: true)
    case .previousMatch: findMatch(forward: false)
    case .filter:
      openPrompt(
        Prompt(
          .filter, title: "Filter rows", hint: "words, school:ID, code:E031 — empty clears",
          text: state.filter?.description ?? ""))
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
    case .saveMapping:
      openPrompt(
        Prompt(
          .mappingPath, title: "Save the mapping with your value decisions",
          hint: "reuse it with: sis-sync plan EXPORT --mapping PATH",
          text: Self.defaultPath(model.exportPath, suffix: ".map")))
    case .undo: undo()
    case .writeReport:
      openPrompt(
        Prompt(
          .reportPath, title: "Write the report (text and CSV)", hint: "writes PATH.txt and PATH.csv, owner-only",
          text: state.reportPath ?? Self.defaultPath(model.exportPath, suffix: "-report")))
    case .saveSession:
      openPrompt(
        Prompt(
          .sessionPath, title: "Save the review session", hint: "resume with: sis-sync review EXPORT --session PATH",
          text: state.sessionPath ?? Self.defaultPath(model.exportPath, suffix: ".session")))
    case .commit: startCommit()
    case .help: state.modal = .help(scroll: 0)
    case .quit: requestQuit()
    }
    return []
  }

  // MARK: - Moving

  var pageSize: Int { state.focus == .details ? layout.detailHeight : layout.listHeight }

  private func move(by delta: Int) {
    switch state.focus {
    case .categories:
      let all = ReviewCategory.allCases
      let index = max(0, min(all.count - 1, state.category.rawValue + max(-all.count, min(all.count, delta))))
      select(all[index], focus: .categories)
    case .rows:
      let count = visibleItems.count
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
    let count = visibleItems.count
    let height = layout.listHeight
    state.cursor = max(0, min(state.cursor, count - 1))
    if state.cursor < state.top { state.top = state.cursor }
    if state.cursor >= state.top + height { state.top = state.cursor - height + 1 }
    state.top = max(0, min(state.top, max(0, count - height)))
  }

  // MARK: - Search

  /// Moves to the next (or previous) listed item matching the search,
  /// wrapping around; scans from the cursor, so it stops at the first hit.
  func findMatch(forward: Bool) {
    guard let search = state.search, !search.isEmpty else {
      state.message = Message("No search yet: press / to search", tone: .muted)
      return
    }
    let items = visibleItems
    guard !items.isEmpty else { return }
    let lowered = search.lowercased()
    for step in 1...items.count {
      let index = (state.cursor + (forward ? step : -step) % items.count + items.count) % items.count
      if TextMatch.contains(ReviewItem(packed: items[index]), lowered, presenter) {
        state.cursor = index
        state.focus = .rows
        keepCursorVisible()
        if step == items.count { state.message = Message("Only this row matches '\(search)'", tone: .muted) }
        return
      }
    }
    state.message = Message("No row of \(state.category.title) matches '\(search)'", tone: .warning)
  }

  public static func defaultPath(_ exportPath: String, suffix: String) -> String {
    var base = exportPath
    if base.lowercased().hasSuffix(".csv") { base.removeLast(4) }
    return base + suffix
  }
}
