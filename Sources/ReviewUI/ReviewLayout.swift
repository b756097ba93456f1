/// Where each pane goes for a terminal size: a header line, the categories
/// on the left, rows above details on the right, a message line and the
/// key hints at the bottom. Pure arithmetic, shared by rendering and by the
/// reducer (which needs page sizes).
public struct ReviewLayout: Equatable, Sendable {
  public static let minimumRows = 24
  public static let minimumColumns = 80

  public struct Rect: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var height: Int
    public var width: Int
  }

  public let rows: Int
  public let columns: Int

  public init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
  }

  public var isTooSmall: Bool { rows < Self.minimumRows || columns < Self.minimumColumns }

  var headerRow: Int { 0 }
  var messageRow: Int { rows - 2 }
  var hintRow: Int { rows - 1 }
  private var bodyTop: Int { 1 }
  private var bodyHeight: Int { rows - 3 }

  /// The categories pane: a title line, then one line per category.
  var categories: Rect { Rect(row: bodyTop, column: 0, height: bodyHeight, width: 22) }

  /// The rows pane (title line included): about half the body, more on tall
  /// terminals where details rarely need it all.
  var rowsPane: Rect {
    let height = max(6, bodyHeight / 2)
    return Rect(row: bodyTop, column: categories.width + 1, height: height, width: columns - categories.width - 1)
  }

  var details: Rect {
    let top = rowsPane.row + rowsPane.height
    return Rect(row: top, column: rowsPane.column, height: bodyTop + bodyHeight - top, width: rowsPane.width)
  }

  /// The pane under a screen cell (a click or the wheel), nil outside them.
  func pane(atRow row: Int, column: Int) -> ReviewState.Pane? {
    guard row >= bodyTop, row < bodyTop + bodyHeight, column >= 0, column < columns else { return nil }
    if column < categories.width { return .categories }
    if column == categories.width { return nil }  // the rule between them
    return row < details.row ? .rows : .details
  }

  /// Rows of the list shown at once (the rows pane minus its title).
  public var listHeight: Int { max(1, rowsPane.height - 1) }
  public var detailHeight: Int { max(1, details.height - 1) }
}
