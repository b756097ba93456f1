import CNcurses
import TextScreen

/// Translates between what `get_wch` returns and `Key`: function-key codes
/// (after `KEY_CODE_YES`) and characters (after `OK`). Pure, no curses state.
enum KeyDecoding {
  /// One item to push back into curses' input queue.
  enum Input: Equatable {
    /// A function-key code (`KEY_UP`…) or a single byte, for `ungetch`.
    case code(Int32)
    /// A character, for `unget_wch`.
    case wide(wchar_t)
  }

  private static let namedCodes: [Int32: Key] = [
    KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
    KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown, KEY_HOME: .home, KEY_END: .end,
    KEY_BTAB: .backTab, KEY_ENTER: .enter, KEY_BACKSPACE: .backspace, KEY_DC: .delete,
    KEY_RESIZE: .resize,
  ]

  /// The key for a function-key code; nil for keys the UI does not use (F1…).
  static func key(code: Int32) -> Key? { namedCodes[code] }

  /// The key for a character `get_wch` read; nil for bytes without meaning
  /// here (NUL, the other C0 and C1 controls).
  static func key(character value: UInt32) -> Key? {
    switch value {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 0x60)))  // 3 → "c"
    case 0..<32, 128..<160: return nil
    default:
      guard let scalar = Unicode.Scalar(value) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// The mouse events the screen asks curses to report: the left button
  /// and the wheel, nothing on mere movement.
  static var reportedMouseEvents: mmask_t {
    cncurses_button1_pressed() | cncurses_button1_clicked() | cncurses_button4_pressed() | cncurses_button5_pressed()
  }

  /// The event for what `getmouse` read; nil for buttons the UI does not use.
  static func mouse(buttons: mmask_t, row: Int32, column: Int32) -> Key? {
    let kind: MouseEvent.Kind
    if buttons & (cncurses_button1_pressed() | cncurses_button1_clicked()) != 0 {
      kind = .click
    } else if buttons & cncurses_button4_pressed() != 0 {
      kind = .wheelUp
    } else if buttons & cncurses_button5_pressed() != 0 {
      kind = .wheelDown
    } else {
      return nil
    }
    return .mouse(MouseEvent(kind, row: Int(row), column: Int(column)))
  }

  /// The buttons `getmouse` reports for a mouse event (tests push it back).
  static func buttons(for kind: MouseEvent.Kind) -> mmask_t {
    switch kind {
    case .click: cncurses_button1_pressed()
    case .wheelUp: cncurses_button4_pressed()
    case .wheelDown: cncurses_button5_pressed()
    }
  }

  /// What to push back so that `get_wch` then reads `key` (tests).
  static func inputs(for key: Key) -> [Input] {
    switch key {
    case .character(let character): return character.unicodeScalars.map { .wide(wchar_t(bitPattern: $0.value)) }
    case .control(let letter):
      guard let ascii = letter.lowercased().unicodeScalars.first?.value, (0x61...0x7A).contains(ascii) else {
        return []
      }
      return [.code(Int32(ascii) - 0x60)]
    case .tab: return [.code(9)]
    case .enter: return [.code(10)]
    case .escape: return [.code(27)]
    default:
      guard let code = namedCodes.first(where: { $0.value == key && $0.key != KEY_ENTER })?.key else { return [] }
      return [.code(code)]
    }
  }
}
