import TextScreen

/// The framed box every dialog is drawn in (the review's and the cleanup
/// screen's alike).
enum DialogBox {
  /// A centred frame with a title and lines (cut to fit).
  static func draw(
    _ title: String, _ lines: [(String, Style)], on screen: inout Screen, titleTone: Style.Tone = .accent
  ) {
    let width = min(screen.columns - 4, max(40, min(76, (lines.map { DisplayWidth.of($0.0) }.max() ?? 0) + 4)))
    // Long lines (an error naming a path) wrap rather than lose their end.
    let lines = lines.flatMap { line in TextWrap.wrap(line.0, width: width - 4).map { ($0, line.1) } }
    let height = min(screen.rows - 2, lines.count + 2)
    let top = max(1, (screen.rows - height) / 2)
    let left = max(0, (screen.columns - width) / 2)
    let frame = Style.accent
    screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left, style: frame)
    screen.put(
      " " + DisplayWidth.truncated(title, to: width - 6) + " ", row: top, column: left + 2,
      style: Style(titleTone, .bold))
    for index in 0..<(height - 2) {
      let row = top + 1 + index
      screen.put("│", row: row, column: left, style: frame)
      screen.fill(row: row, column: left + 1, count: width - 2)
      if index < lines.count {
        screen.put(" " + lines[index].0, row: row, column: left + 1, style: lines[index].1, limit: width - 3)
      }
      screen.put("│", row: row, column: left + width - 1, style: frame)
    }
    screen.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + height - 1, column: left, style: frame)
  }
}
