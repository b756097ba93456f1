import Foundation
import SyncEngine
import TextScreen

/// The view: paints a frame from the state and the plan, and writes
/// nothing (what it needs precomputed, the update step keeps in the
/// state). Only what is visible is looked at, so a frame costs the same
/// for a hundred rows or a million.
struct ReviewView {
  let state: ReviewState
  let model: ReviewModel
  let presenter: RowPresenter
  private var layout: ReviewLayout { state.layout }

  func render() -> Screen {
    var screen = Screen(rows: layout.rows, columns: layout.columns)
    if layout.isTooSmall {
      drawTooSmall(&screen)
      return screen
    }
    drawHeader(&screen)
    drawCategories(&screen)
    drawRows(&screen)
    drawDetails(&screen)
    drawMessage(&screen)
    drawHints(&screen)
    if let modal = state.modal { DialogView(state: state, model: model).draw(modal, on: &screen) }
    return screen
  }

  private func drawTooSmall(_ screen: inout Screen) {
    let lines = [
      "sis-sync review needs at least \(ReviewLayout.minimumColumns)×\(ReviewLayout.minimumRows).",
      "This terminal is \(layout.columns)×\(layout.rows): please enlarge it.",
      state.modal == .confirmQuit
        ? "Decisions are not saved: enlarge the terminal to answer the quit question."
        : "(q quits)",
    ]
    let top = max(0, layout.rows / 2 - 1)
    for (index, line) in lines.enumerated() {
      let column = max(0, (layout.columns - DisplayWidth.of(line)) / 2)
      screen.put(line, row: top + index, column: column, style: index == 0 ? .accent : .plain)
    }
  }

  // MARK: - Header and footer

  private func drawHeader(_ screen: inout Screen) {
    let summary = model.livePlan.summary
    let export = (model.exportPath as NSString).lastPathComponent
    let directory = (model.directoryLocation as NSString).lastPathComponent
    let holds = state.holds
    var text = " "
    if let planning = model.planning {
      // A preview: nothing here is final yet, and the header says so first.
      // Before the directory is read the first rows are only checked: their errors show, nothing else.
      let (soFar, seen) = model.livePlan.awaitsDirectory ? ("errors so far…", "checked") : ("counts so far…", "shown")
      text += "PLANNING \(ReviewAvailability.progressText(planning, of: model.livePlan)) · \(soFar) · "
      text += "first \(Counted.of(model.livePlan.rowCount, "row")) \(seen) · " + export + " → \(directory)"
      screen.fill(row: layout.headerRow, style: Style(.warning, .reverse))
      screen.put(text, row: layout.headerRow, column: 0, style: Style(.warning, .reverse))
      return
    }
    if let run = state.committedRun {
      text += "COMMITTED as run \(run) · "
    } else if !holds.isEmpty {
      // Which thresholds hold, by the action each limits.
      let actions = holds.map { $0.threshold.action.rawValue.replacingOccurrences(of: "_", with: " ") }
      text += "HELD by the \(actions.joined(separator: " and ")) threshold\(holds.count == 1 ? "" : "s") · "
    }
    if let rollover = state.rollover { text += "ROLLOVER \(rollover.explained) expected · " }
    text += export + (model.mappingLabel.map { " via \($0)" } ?? "") + " → \(directory) · "
    text += "\(Counted.of(model.livePlan.rowCount, "row")) · \(Counted.of(summary.rowsWithErrors, "error")) · "
    text += "+\(summary.create) ~\(summary.update) -\(summary.disable + model.disablesOfAbsentAccounts)"
    text += " ^\(summary.reactivate) =\(summary.assignID)"
    if summary.idChange > 0 { text += " >\(summary.idChange)" }
    screen.fill(row: layout.headerRow, style: Style(.accent, .reverse))
    screen.put(text, row: layout.headerRow, column: 0, style: Style(holds.isEmpty ? .accent : .warning, .reverse))
  }

  private func drawMessage(_ screen: inout Screen) {
    if let message = state.message {
      // A message longer than the line ends in … rather than mid-word.
      let text = DisplayWidth.truncated(message.text, to: layout.columns - 1)
      screen.put(" " + text, row: layout.messageRow, column: 0, style: Style(message.tone))
    } else if let filter = state.filter {
      screen.put(" filter: \(filter.description) (F clears)", row: layout.messageRow, column: 0, style: .muted)
    } else if !model.decisions.isEmpty {
      let count = model.decisions.count == 1 ? "1 decision" : "\(model.decisions.count) decisions"
      let state =
        if let run = state.committedRun { ", committed as run \(run)" } else if state.hasUnsavedDecisions(model) {
          ", not saved (s saves)"
        } else { ", saved" }
      screen.put(" " + count + state, row: layout.messageRow, column: 0, style: .muted)
    }
  }

  private func drawHints(_ screen: inout Screen) {
    // Most needed first: what does not fit at this width is left out.
    let hints: [(String, String)] = [
      ("?", "help"), ("q", "quit"), ("c", "commit"), ("Tab", "pane"), ("/", "search"), ("x", "exclude"),
      ("e", "edit ID"), ("b", "building"), ("a", "accept fix"), ("u", "undo"), ("s", "save"), ("w", "report"),
      ("f", "filter"),
    ]
    var column = 1
    for (key, what) in hints {
      let width = DisplayWidth.of(key) + 1 + DisplayWidth.of(what)
      if column + width >= layout.columns { break }
      column += screen.put(key, row: layout.hintRow, column: column, style: .accent)
      column += screen.put(" " + what + "  ", row: layout.hintRow, column: column, style: .muted)
    }
  }

  // MARK: - Panes

  private func paneTitle(_ text: String, _ rect: ReviewLayout.Rect, focused: Bool, on screen: inout Screen) {
    let style = focused ? Style(.accent, [.bold, .reverse]) : Style(.accent, .bold)
    screen.fill(row: rect.row, column: rect.column, count: rect.width, style: focused ? style : .plain)
    screen.put(" " + text, row: rect.row, column: rect.column, style: style, limit: rect.width)
  }

  private func drawCategories(_ screen: inout Screen) {
    let rect = layout.categories
    paneTitle("Categories", rect, focused: state.focus == .categories, on: &screen)
    for category in ReviewCategory.allCases {
      let row = rect.row + 1 + category.rawValue
      let count = model.count(category)
      // The count, right-aligned, takes the columns it needs and the title
      // the rest: "Pending disables" shows whole while its count is small.
      // While planning, a count is a count so far: never shown as final.
      // Before the directory is read only errors are counted at all.
      let countText =
        if model.planning == nil { String(count) } else if awaitsOutcome(category) { "…" } else { "\(count)…" }

      let titleWidth = max(4, rect.width - 1 - 3 - 1 - countText.count)
      let text = " \(category.digit) " + DisplayWidth.fitted(category.title, to: titleWidth) + " " + countText
      let selected = category == state.category
      var style = Style(count == 0 ? .muted : category.tone)
      if selected { style = style.with(state.focus == .categories ? .reverse : .bold) }
      screen.put(DisplayWidth.fitted(text, to: rect.width), row: row, column: rect.column, style: style)
    }
    // A vertical rule between the categories and the right-hand panes.
    for row in rect.row..<(rect.row + rect.height) {
      screen.put("│", row: row, column: rect.column + rect.width, style: .muted)
    }
  }

  /// The category cannot list anything yet: its rows are told apart by
  /// planning against the directory, which is still being read.
  private func awaitsOutcome(_ category: ReviewCategory) -> Bool {
    model.livePlan.awaitsDirectory && category != .errors
  }

  private func drawRows(_ screen: inout Screen) {
    let rect = layout.rowsPane
    let items = state.visibleItems
    var title = "\(state.category.title) · \(Counted.of(items.count, "row"))"
    if state.filter != nil { title += " (filtered from \(model.count(state.category)))" }
    if model.planning != nil { title += " so far" }
    if !items.isEmpty { title += " · \(state.cursor + 1)/\(items.count)" }
    paneTitle(title, rect, focused: state.focus == .rows, on: &screen)
    guard !items.isEmpty else {
      var empty = state.filter == nil ? "No rows in \(state.category.title)." : "No rows match the filter."
      if model.planning != nil { empty = "None among the first rows; still planning the rest." }
      if awaitsOutcome(state.category) {
        empty = "Shown once the directory is read: these rows are planned against its accounts."
      }
      screen.put("  " + empty, row: rect.row + 1, column: rect.column, style: .muted, limit: rect.width)
      return
    }
    // IDs and buildings get the width their visible values need (up to a
    // cap) before names take theirs.
    let shown = items[state.top..<min(items.count, state.top + layout.listHeight)].map(ReviewItem.init(packed:))
    let columns = RowColumns(
      width: rect.width, lastLine: model.livePlan.rowCount + 1,
      widestCustomID: shown.map { DisplayWidth.of(presenter.value($0, .customID)) }.max() ?? 0,
      widestSchool: shown.map { DisplayWidth.of(presenter.school($0)) }.max() ?? 0)
    for offset in 0..<layout.listHeight {
      let index = state.top + offset
      guard index < items.count else { break }
      let item = ReviewItem(packed: items[index])
      let row = rect.row + 1 + offset
      let (what, tone) = presenter.what(item)
      let excluded: Bool = {
        if case .row(let row) = item { return model.livePlan.outcome(row: row) == .excluded }
        return false
      }()
      let hasWarning = presenter.findings(item).contains { $0.severity == .warning }
      let mark = excluded ? "x" : (hasWarning ? "!" : " ")
      var style = Style(tone == .muted ? .muted : .plain)
      let selected = index == state.cursor
      if selected { style = style.with(state.focus == .rows ? .reverse : .bold) }
      screen.fill(row: row, column: rect.column, count: rect.width, style: selected ? style : .plain)
      var column = rect.column
      column += screen.put(mark + " ", row: row, column: column, style: style, limit: 2)
      column += screen.put(
        DisplayWidth.fitted(presenter.location(item), to: columns.line, alignRight: true) + " ", row: row,
        column: column, style: style, limit: columns.line + 1)
      column += screen.put(
        DisplayWidth.fitted(presenter.value(item, .customID), to: columns.customID) + " ", row: row, column: column,
        style: style, limit: columns.customID + 1)
      column += screen.put(
        DisplayWidth.fitted(presenter.displayName(item), to: columns.name) + " ", row: row, column: column,
        style: style, limit: columns.name + 1)
      if columns.school > 0 {
        column += screen.put(
          DisplayWidth.fitted(presenter.school(item), to: columns.school) + " ", row: row,
          column: column, style: style, limit: columns.school + 1)
      }
      let whatStyle = selected ? style : Style(tone)
      screen.put(
        DisplayWidth.truncated(what, to: rect.column + rect.width - column), row: row, column: column,
        style: whatStyle, limit: rect.column + rect.width - column)
    }
  }

  private func drawDetails(_ screen: inout Screen) {
    let rect = layout.details
    paneTitle("Details", rect, focused: state.focus == .details, on: &screen)
    guard let item = state.selectedItem else { return }
    var lines: [(String, Style)] = []
    for (text, style) in presenter.details(item) {
      for piece in TextWrap.wrap(text, width: rect.width - 1) { lines.append((piece, style)) }
    }
    let scroll = min(state.detailScroll, max(0, lines.count - layout.detailHeight))
    for offset in 0..<layout.detailHeight {
      let index = scroll + offset
      guard index < lines.count else { break }
      screen.put(
        " " + lines[index].0, row: rect.row + 1 + offset, column: rect.column, style: lines[index].1,
        limit: rect.width)
    }
  }
}

/// Column widths of the rows pane for its width.
struct RowColumns {
  let line: Int
  let customID: Int
  let name: Int
  let school: Int

  /// `widestCustomID` and `widestSchool`: what the listed rows need.
  init(width: Int, lastLine: Int, widestCustomID: Int = 10, widestSchool: Int = 8) {
    line = max(4, String(lastLine).count)
    let rest = width - 2 - (line + 1)
    // Wide panes widen the ID and building columns to what is listed.
    let wide = rest >= 150
    let narrowID = rest >= 90 ? 14 : 10
    customID = wide ? max(narrowID, min(widestCustomID, 24)) : narrowID
    school = width >= 70 ? (wide ? max(8, min(widestSchool, 30)) : 8) : 0
    name = max(10, (rest - customID - 1 - (school > 0 ? school + 1 : 0)) * 45 / 100)
  }
}

/// Word wrapping by display width (long words are cut).
enum TextWrap {
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0, DisplayWidth.of(text) > width else { return [text] }
    let indent = String(text.prefix { $0 == " " }) + "  "
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if DisplayWidth.of(candidate) <= width || current.trimmingCharacters(in: .whitespaces).isEmpty {
        current = candidate
      } else {
        lines.append(current)
        current = indent + word
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.map { DisplayWidth.truncated($0, to: width) }
  }
}

extension String {
  func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
