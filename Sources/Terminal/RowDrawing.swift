import CNcurses
import TextScreen

/// Writes one row of a frame into curses' screen, cell by cell at absolute
/// columns, so one odd cell cannot shift the rest of the row.
enum RowDrawing {
  static func draw(_ screen: Screen, row: Int, columns: Int, styles: CursesStyles) {
    // The first column not yet covered by a wide character drawn before.
    var covered = 0
    for column in 0..<columns {
      let cell = screen[row, column]
      // The right half of a wide character was drawn with its left half.
      if cell.isContinuation && column < covered { continue }
      let width = DisplayWidth.of(cell.text)
      var text = cell.text
      // Blank out what cannot be drawn in place: empty or zero-width text,
      // an orphaned right half, a wide character cut at the right edge.
      if cell.isContinuation || width == 0 || (width > 1 && column + width > columns) { text = " " }
      styles.apply(cell.style)
      let wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
      mvaddnwstr(Int32(row), Int32(column), wide, Int32(wide.count))
      covered = column + (text == " " ? 1 : width)
    }
  }
}
