/// A key press, as the terminal layer decodes it and the UI reads it.
public enum Key: Sendable, Hashable {
  case character(Character)
  /// Ctrl and a letter (`control("c")` for Ctrl-C), other than the ones
  /// that have names below (Tab, Enter, Backspace).
  case control(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case tab, backTab, enter, escape, backspace, delete
  /// The terminal changed size.
  case resize
  /// A mouse click or wheel turn (when the terminal reports the mouse).
  case mouse(MouseEvent)

  /// How the help screen and the man page name the key.
  public var label: String {
    switch self {
    case .character(" "): "Space"
    case .character(let character): String(character)
    case .control(let character): "Ctrl-" + character.uppercased()
    case .up: "↑"
    case .down: "↓"
    case .left: "←"
    case .right: "→"
    case .pageUp: "PgUp"
    case .pageDown: "PgDn"
    case .home: "Home"
    case .end: "End"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .enter: "Enter"
    case .escape: "Esc"
    case .backspace: "Backspace"
    case .delete: "Delete"
    case .resize: "(resize)"
    case .mouse(let event): event.label
    }
  }
}

/// What the mouse did, and where (0-based screen row and column), as a
/// plain value: the UI reads it like a key and is tested without a terminal.
public struct MouseEvent: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// The left button pressed (or clicked).
    case click
    case wheelUp, wheelDown
  }

  public var kind: Kind
  public var row: Int
  public var column: Int

  public init(_ kind: Kind, row: Int, column: Int) {
    self.kind = kind
    self.row = row
    self.column = column
  }

  public var label: String {
    switch kind {
    case .click: "click"
    case .wheelUp: "wheel up"
    case .wheelDown: "wheel down"
    }
  }
}
