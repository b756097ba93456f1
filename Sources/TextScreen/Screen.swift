/// One terminal cell: a character (a whole grapheme cluster) and its style.
/// A wide character fills its cell and marks the next one as its
/// continuation, so columns always line up with the terminal's.
public struct Cell: Sendable, Hashable {
  public var text: String
  public var style: Style
  /// The right half of a wide character: drawn by the cell before it.
  public var isContinuation: Bool

  public init(_ text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
    self.text = text
    self.style = style
    self.isContinuation = isContinuation
  }

  public static let blank = Cell()
}

/// A frame: a grid of styled cells that the UI paints and the terminal
/// draws (only the rows that changed since the last frame). Plain values,
/// so a test can compare a rendered screen line by line.
public struct Screen: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  public private(set) var cells: [Cell]

  public init(rows: Int, columns: Int) {
    self.rows = max(0, rows)
    self.columns = max(0, columns)
    cells = Array(repeating: .blank, count: self.rows * self.columns)
  }

  public subscript(row: Int, column: Int) -> Cell {
    get { cells[row * columns + column] }
    set { cells[row * columns + column] = newValue }
  }

  /// Writes `text` from (`row`, `column`), clipped at `limit` columns
  /// (default: the right edge); returns the columns used. A wide character
  /// that would straddle the limit is left out rather than cut in half.
  /// Control and bidi characters are drawn visibly (`VisibleCharacters`):
  /// every text reaches the screen here, so no value can reach the terminal
  /// raw.
  @discardableResult
  public mutating func put(_ text: String, row: Int, column: Int, style: Style = .plain, limit: Int? = nil) -> Int {
    guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
    let end = min(columns, column + (limit ?? columns))
    var position = column
    for character in VisibleCharacters.visible(text) {
      let width = DisplayWidth.of(character)
      if width == 0 {
        // A lone combining mark or format character: join it to the
        // previous cell.
        if position > column, character.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) {
          var previous = position - 1
          while previous > column && self[row, previous].isContinuation { previous -= 1 }
          self[row, previous].text.append(character)
        }
        continue
      }
      if position + width > end { break }
      self[row, position] = Cell(String(character), style: style)
      if width == 2 { self[row, position + 1] = Cell("", style: style, isContinuation: true) }
      position += width
    }
    return position - column
  }

  /// Fills `count` cells of a row from `column` with spaces in `style`.
  public mutating func fill(row: Int, column: Int = 0, count: Int? = nil, style: Style = .plain) {
    guard row >= 0, row < rows else { return }
    let end = min(columns, column + (count ?? columns))
    var position = max(0, column)
    while position < end {
      self[row, position] = Cell(" ", style: style)
      position += 1
    }
  }

  /// The text of a row as the terminal shows it (trailing spaces kept).
  public func text(row: Int) -> String {
    var line = ""
    for column in 0..<columns where !self[row, column].isContinuation { line += self[row, column].text }
    return line
  }

  /// Every row's text without trailing spaces: what tests compare.
  public var lines: [String] {
    (0..<rows).map { row in
      var line = text(row: row)
      while line.last == " " { line.removeLast() }
      return line
    }
  }

  /// Rows whose cells differ from `previous` (all of them after a resize).
  public func changedRows(since previous: Screen?) -> [Int] {
    guard let previous, previous.rows == rows, previous.columns == columns else { return Array(0..<rows) }
    return (0..<rows).filter { row in
      let range = row * columns..<(row + 1) * columns
      return cells[range] != previous.cells[range]
    }
  }
}
