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
    }
  }
}
