import TextScreen

/// The mouse, as lazygit and htop users expect it: a click selects the
/// category or row it lands on (or focuses the details), the wheel scrolls
/// what it is over. Events come as plain values (`Key.mouse`), so this is
/// tested without a terminal; the terminal reports none with `--no-mouse`.
extension ReviewLoop {
  /// Rows the wheel moves per notch.
  static let wheelStep = 3

  func mousePressed(_ event: MouseEvent) {
    let step = event.kind == .wheelUp ? -Self.wheelStep : Self.wheelStep
    if case .help(let scroll) = state.modal {
      if event.kind != .click { state.modal = .help(scroll: max(0, scroll + step)) }
      return
    }
    // Other dialogs are answered with keys: a stray click changes nothing.
    guard state.modal == nil, let pane = layout.pane(atRow: event.row, column: event.column) else { return }
    state.message = nil
    switch (pane, event.kind) {
    case (.categories, .click):
      let index = event.row - layout.categories.row - 1
      guard ReviewCategory.allCases.indices.contains(index) else { return }
      select(ReviewCategory.allCases[index], focus: .categories)
    case (.rows, .click):
      state.focus = .rows
      let index = state.top + event.row - layout.rowsPane.row - 1
      guard index >= state.top, index < listedItems().count else { return }
      state.cursor = index
      state.detailScroll = 0
    case (.details, .click):
      state.focus = .details
    case (.categories, _):
      let all = ReviewCategory.allCases
      let index = max(0, min(all.count - 1, state.category.rawValue + (step < 0 ? -1 : 1)))
      select(all[index], focus: .categories)
    case (.rows, _):
      let count = listedItems().count
      guard count > 0 else { return }
      state.cursor = max(0, min(count - 1, state.cursor + step))
      state.detailScroll = 0
      keepCursorVisible()
    case (.details, _):
      state.detailScroll = max(0, state.detailScroll + step)
    }
  }
}
