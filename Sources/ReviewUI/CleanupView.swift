import SyncEngine
import TextScreen

/// Paints the cleanup screen: a title with the filter, the accounts it
/// selects, what is staged, a message and the keys; a dialog over them.
struct CleanupView {
  let state: CleanupState
  let snapshot: DirectorySnapshot
  /// The staged changes as a plan.
  let staged: StagedPlan
  var plan: CleanupOutcome? { staged.outcome }

  func render() -> Screen {
    var screen = Screen(rows: state.rows, columns: state.columns)
    let title =
      "sis-sync cleanup · filter: \(state.filterText.isEmpty ? "all" : state.filterText) · "
      + "\(Counted.of(state.shown.count, "account")) shown · \(state.marked.count) marked"
    screen.fill(row: 0, style: Style(.accent, .reverse))
    screen.put(" " + title, row: 0, column: 0, style: Style(.accent, .reverse), limit: state.columns)
    screen.put(line(["", "custom_id", "name", "school", "type", "grade", "status"]), row: 1, column: 0, style: .muted)
    let stagedAccounts = state.stagedAccounts
    for (offset, account) in state.shown.dropFirst(state.top).prefix(state.listHeight).enumerated() {
      let index = state.top + offset
      let values = snapshot.values(ofAccount: account)
      let mark = (state.marked.contains(account) ? "*" : " ") + (stagedAccounts.contains(account) ? "~" : " ")
      let text = line([
        mark, values[.customID].isEmpty ? "(no ID)" : values[.customID], values[.lastName] + ", " + values[.firstName],
        snapshot.organization(ofAccount: account).name, values[.userType], values[.grade], values[.status],
      ])
      let style = index == state.cursor ? Style(.plain, .reverse) : .plain
      if index == state.cursor { screen.fill(row: CleanupState.listRow + offset, style: style) }
      screen.put(text, row: CleanupState.listRow + offset, column: 0, style: style, limit: state.columns)
    }
    if state.shown.isEmpty {
      screen.put("  No account matches the filter (f changes it).", row: CleanupState.listRow, column: 0, style: .muted)
    }
    let (cursorText, cursorStyle) = cursorLine
    screen.put(cursorText, row: state.rows - 4, column: 0, style: cursorStyle, limit: state.columns)
    screen.put(stagedLine, row: state.rows - 3, column: 0, style: Style(.change), limit: state.columns)
    if let message = state.message {
      screen.put(message, row: state.rows - 2, column: 0, style: Style(.warning), limit: state.columns)
    }
    // On a narrow terminal the mark key gives way (the title counts marks; ? lists it).
    let keys = "f filter · d r m g p stage · u undo · c commit · s save · ? keys · q quit"
    screen.put(
      state.columns >= 86 ? "Space mark · " + keys : keys, row: state.rows - 1, column: 0, style: .muted,
      limit: state.columns)
    if let modal = state.modal { draw(modal, on: &screen) }
    return screen
  }

  /// The columns of a row at fixed widths (the name and school widest).
  private func line(_ cells: [String]) -> String {
    let widths = [2, 12, 24, 18, 9, 6, 9]
    return zip(cells, widths).map { DisplayWidth.fitted($0, to: $1) + " " }.joined()
  }

  /// The account under the cursor and what the staged changes do to it,
  /// each changed field as before → after.
  private var cursorLine: (String, Style) {
    guard state.shown.indices.contains(state.cursor) else { return ("", .muted) }
    let account = state.shown[state.cursor]
    let values = snapshot.values(ofAccount: account)
    let who = "\(values[.firstName]) \(values[.lastName]) <\(values[.email])>"
    guard state.stagedAccounts.contains(account) else { return ("\(who): nothing staged", .muted) }
    guard let change = staged.change(ofAccount: snapshot.accountIDs[account]), let before = change.before else {
      let reason =
        snapshot.isManaged(account: account)
        ? "the staged changes change nothing" : "not managed (no custom_id): left out"
      return ("\(who): \(reason)", .muted)
    }
    let fields = change.changedColumns.map { column -> String in
      guard column == .schoolExternalID else { return "\(column.header) \(before[column]) → \(change.after[column])" }
      let after = snapshot.organizationIndex(id: change.organizationID).map { snapshot.organizations[$0].name }
      return "school \(snapshot.organization(ofAccount: account).name) → \(after ?? change.after[column])"
    }
    return ("\(who): " + fields.joined(separator: " · "), Style(.change))
  }

  private var stagedLine: String {
    guard !state.staged.isEmpty else { return "Staged: nothing" }
    return "Staged: "
      + state.staged.map { "\($0.action.text) (\(Counted.of($0.accounts.count, "account")))" }
      .joined(separator: " · ")
  }

  private func draw(_ modal: CleanupModal, on screen: inout Screen) {
    switch modal {
    case .prompt(let prompt, let text):
      DialogBox.draw(
        prompt.title, [("> " + text + "█", .plain), (prompt.hint, .muted), ("Enter applies · Esc cancels", .muted)],
        on: &screen)
    case .confirmCommit(let typed): drawCommit(typed: typed, on: &screen)
    case .result(let title, let lines, let isError):
      DialogBox.draw(
        title, lines.map { ($0, Style(isError ? .error : .plain)) } + [("Any key closes", .muted)], on: &screen,
        titleTone: isError ? .error : .addition)
    case .help:
      let lines = CleanupKeys.table.map {
        ("  " + DisplayWidth.fitted($0.keysLabel, to: 12) + " " + $0.help, Style.plain)
      }
      DialogBox.draw("Keys", lines + [("Any key closes", .muted)], on: &screen)
    case .confirmQuit:
      DialogBox.draw(
        "Quit?",
        [
          ("\(Counted.of(state.staged.count, "staged change")) not committed, not saved.", .plain),
          ("s       save them to \(state.sessionPath) and quit", .plain),
          ("y or q  quit and drop them", .plain), ("other keys  stay", .muted),
        ], on: &screen, titleTone: .warning)
    case .offerRecovered(let count):
      DialogBox.draw(
        "A cleanup stopped before it was saved",
        [
          ("It had \(Counted.of(count, "staged change")) that no saved session holds", .plain),
          ("(kept in \(state.sessionPath).journal).", .muted),
          ("r  stage them again (nothing is applied until you commit)", .plain),
          ("d  drop them", .plain),
        ], on: &screen, titleTone: .warning)
    }
  }

  private func drawCommit(typed: String, on screen: inout Screen) {
    guard let plan else {
      DialogBox.draw("Commit", [("The staged changes cannot be planned.", Style(.error))], on: &screen)
      return
    }
    let summary = plan.plan.summary
    var lines: [(String, Style)] = [
      ("The engine will apply, in one transaction (one run):", .plain),
      ("  ~ \(summary.update) update", Style(.change)),
      ("  - \(summary.disable) disable", Style(.removal)),
      ("  ^ \(summary.reactivate) reactivate", Style(.change)),
      ("Unchanged: \(summary.unchanged) · left out (no custom_id): \(plan.leftOut.count)", .muted),
    ]
    let holds = plan.plan.holds
    if holds.isEmpty {
      lines.append(("y or Enter: apply · n or Esc: cancel", .accent))
    } else {
      lines.append(("HELD by a threshold:", Style(.warning, .bold)))
      for hold in holds { lines.append(("  " + hold.message, Style(.warning))) }
      lines.append(("To apply anyway, type \(CleanupLoop.overrideWord) and press Enter (Esc cancels):", .accent))
      lines.append(("> " + typed + "█", .plain))
    }
    DialogBox.draw("Commit the staged changes?", lines, on: &screen)
  }
}
