import CNcurses
import TextScreen

/// What tests need: keys fed in, and curses' own screen read back.
extension CursesTerminal {
  /// Queues `keys` so that `readKey` returns them in order.
  public func inject(_ keys: [Key]) {
    guard size.rows > 0 else { return }  // also makes this terminal current
    // curses' push-back queue is last in, first out: push in reverse.
    for key in keys.reversed() {
      for input in KeyDecoding.inputs(for: key).reversed() {
        switch input {
        case .code(let code): ungetch(code)
        case .wide(let character): unget_wch(character)
        }
      }
    }
  }

  /// Queues a mouse event as the terminal would report it (`getmouse`
  /// then reads it back).
  public func injectMouse(_ event: MouseEvent) {
    guard size.rows > 0 else { return }
    var mouse = MEVENT()
    mouse.x = Int32(event.column)
    mouse.y = Int32(event.row)
    mouse.bstate = KeyDecoding.buttons(for: event.kind)
    ungetmouse(&mouse)
  }

  /// What curses' screen shows, one string per row, trailing spaces trimmed.
  public func screenLines() -> [String] {
    let (rows, columns) = size
    let window = cncurses_stdscr()
    // Room for a base character and its combining marks in every cell.
    let capacity = columns * Int(CCHARW_MAX) + 1
    return (0..<rows).map { row in
      var buffer = [wchar_t](repeating: 0, count: capacity)
      let count = mvwinnwstr(window, Int32(row), 0, &buffer, Int32(capacity - 1))
      return Self.trimmed(Self.string(buffer.prefix(max(0, Int(count)))))
    }
  }

  /// The text of one cell (a base character and its combining marks; "" for
  /// the right half of a wide character) and its curses attributes and pair.
  func cell(row: Int, column: Int) -> (text: String, attributes: attr_t, pair: Int16)? {
    guard size.rows > 0 else { return nil }
    var cell = cchar_t()
    guard mvwin_wch(cncurses_stdscr(), Int32(row), Int32(column), &cell) != ERR else { return nil }
    var characters = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)
    var attributes: attr_t = 0
    var pair: Int16 = 0
    guard getcchar(&cell, &characters, &attributes, &pair, nil) != ERR else { return nil }
    return (Self.string(characters.prefix { $0 != 0 }), attributes, pair)
  }

  private static func string(_ characters: some Sequence<wchar_t>) -> String {
    var text = ""
    for character in characters {
      guard character != 0 else { break }
      if let scalar = Unicode.Scalar(UInt32(bitPattern: character)) { text.unicodeScalars.append(scalar) }
    }
    return text
  }

  private static func trimmed(_ text: String) -> String {
    var text = text
    while text.last == " " { text.removeLast() }
    return text
  }
}
