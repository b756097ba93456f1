import CNcurses
import Foundation
import TextScreen

/// The terminal as the review screen uses it: keys in, frames out, and the
/// terminal given back as it was on every exit. The only code that touches
/// curses. Not thread-safe: use it from one thread (curses has global state).
public final class CursesTerminal {
  /// The curses SCREEN (nil once closed).
  private var cursesScreen: OpaquePointer?
  /// Files opened for a headless terminal, closed after `delscreen`.
  private var ownedFiles: [UnsafeMutablePointer<FILE>] = []
  private var signals = SignalFlag()
  private var catchesSignals = false
  private let styles: CursesStyles
  /// The last frame drawn; nil forces a full redraw (first draw, resize).
  private var lastFrame: Screen?
  /// How many rows the last `draw` wrote (tests check that only changed rows are).
  private(set) var lastDrawnRowCount = 0

  private init(screen: OpaquePointer, files: [UnsafeMutablePointer<FILE>], colors: Bool, mouse: Bool) {
    cursesScreen = screen
    ownedFiles = files
    raw()
    noecho()
    keypad(cncurses_stdscr(), true)
    curs_set(0)
    // Esc alone is a key here (leave, cancel): don't wait the default second.
    set_escdelay(25)
    styles = CursesStyles(colors: colors)
    // Clicks and the wheel arrive as KEY_MOUSE; no wait to tell a click
    // from a double click.
    if mouse {
      mousemask(KeyDecoding.reportedMouseEvents, nil)
      mouseinterval(0)
    }
    reportsMouse = mouse
  }

  /// Whether clicks and the wheel are reported (off with `--no-mouse`).
  public private(set) var reportsMouse = false

  deinit { close() }

  /// Checks stdin/stdout are ttys, sets a UTF-8 locale, starts curses with
  /// `newterm` (never `initscr`: it exits on an unknown TERM) and catches
  /// SIGINT, SIGTERM and SIGHUP (see `pendingSignal`). Colours unless the
  /// terminal has none or NO_COLOR is set (non-empty); the mouse unless
  /// `mouse` is false or SIS_SYNC_NO_MOUSE is set (non-empty, not 0).
  public static func open(
    environment: [String: String] = ProcessInfo.processInfo.environment, mouse: Bool = true
  ) throws(TerminalError) -> CursesTerminal {
    try open(environment: environment, mouse: mouse, isTerminal: { isatty($0) == 1 })
  }

  /// False when SIS_SYNC_NO_MOUSE is set to anything but "" or "0".
  public static func mouseAllowed(by environment: [String: String]) -> Bool {
    let value = environment["SIS_SYNC_NO_MOUSE"] ?? ""
    return value.isEmpty || value == "0"
  }

  /// `open`, with the tty check replaceable (tests).
  static func open(
    environment: [String: String], mouse: Bool = true, isTerminal: (Int32) -> Bool
  ) throws(TerminalError) -> CursesTerminal {
    // Without a tty `get_wch` returns at once and the key loop would spin.
    guard isTerminal(STDIN_FILENO) else { throw .notATerminal("standard input") }
    guard isTerminal(STDOUT_FILENO) else { throw .notATerminal("standard output") }
    let term = environment["TERM"] ?? ""
    guard !term.isEmpty else { throw .unknownTerminal("") }
    TerminalLocale.useUTF8()
    var signals = SignalFlag()
    signals.install()
    CrashRestore.saveModes()
    guard let screen = startCurses(term: term, output: cncurses_stdout(), input: cncurses_stdin()) else {
      signals.restore()
      throw .unknownTerminal(term)
    }
    let terminal = CursesTerminal(
      screen: screen, files: [], colors: colorsAllowed(by: environment),
      mouse: mouse && mouseAllowed(by: environment))
    terminal.signals = signals
    terminal.catchesSignals = true
    CrashRestore.install()
    return terminal
  }

  /// False when NO_COLOR is set to anything but "" (https://no-color.org).
  static func colorsAllowed(by environment: [String: String]) -> Bool {
    (environment["NO_COLOR"] ?? "").isEmpty
  }

  /// A terminal that draws into curses' virtual screen only (output to
  /// /dev/null), `rows` × `columns`; keys come from `inject`. For tests.
  public static func headless(
    rows: Int, columns: Int, term: String = "xterm-256color", colors: Bool = true, mouse: Bool = true
  ) throws(TerminalError) -> CursesTerminal {
    try makeHeadless(rows: rows, columns: columns, term: term, colors: colors, mouse: mouse, catchingSignals: false)
  }

  static func makeHeadless(
    rows: Int, columns: Int, term: String, colors: Bool, mouse: Bool = true, catchingSignals: Bool
  ) throws(TerminalError) -> CursesTerminal {
    TerminalLocale.useUTF8()
    guard let output = fopen("/dev/null", "w") else { throw .cannotOpen("/dev/null") }
    guard let input = fopen("/dev/null", "r") else {
      fclose(output)
      throw .cannotOpen("/dev/null")
    }
    var signals = SignalFlag()
    if catchingSignals { signals.install() }
    guard let screen = startCurses(term: term, output: output, input: input) else {
      signals.restore()
      fclose(output)
      fclose(input)
      throw .unknownTerminal(term)
    }
    resizeterm(Int32(rows), Int32(columns))
    // resizeterm queues a KEY_RESIZE when the size changed: start empty.
    flushinp()
    let terminal = CursesTerminal(screen: screen, files: [output, input], colors: colors, mouse: mouse)
    terminal.signals = signals
    terminal.catchesSignals = catchingSignals
    return terminal
  }

  /// `newterm` (which, unlike `initscr`, returns nil on an unknown TERM),
  /// also refusing terminals that cannot move the cursor ("dumb").
  private static func startCurses(
    term: String, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>
  ) -> OpaquePointer? {
    guard let screen = newterm(term, output, input) else { return nil }
    if cncurses_can_address_cursor() { return screen }
    endwin()
    delscreen(screen)
    return nil
  }

  /// Makes this terminal curses' current one (several may exist in tests).
  /// False once closed.
  private func activate() -> Bool {
    guard let cursesScreen else { return false }
    set_term(cursesScreen)
    return true
  }

  public var size: (rows: Int, columns: Int) {
    guard activate() else { return (0, 0) }
    let window = cncurses_stdscr()
    return (Int(cncurses_max_y(window)), Int(cncurses_max_x(window)))
  }

  public var usesColor: Bool { styles.usesColor }

  /// SIGINT, SIGTERM or SIGHUP received since `open` (the signal number).
  public var pendingSignal: Int32? { catchesSignals ? SignalFlag.pending : nil }

  /// Waits at most `timeoutMilliseconds` (negative: without limit) for a
  /// key. Nil on timeout or when a signal arrived (see `pendingSignal`).
  /// Keys the UI does not use (F1…) are skipped.
  public func readKey(timeoutMilliseconds: Int32) -> Key? {
    guard pendingSignal == nil, activate() else { return nil }
    let window = cncurses_stdscr()
    wtimeout(window, timeoutMilliseconds)
    while true {
      var value: wint_t = 0
      let status = wget_wch(window, &value)
      if pendingSignal != nil { return nil }
      switch status {
      case KEY_CODE_YES:
        let code = Int32(bitPattern: value)
        // curses has already resized its screens; ours must redraw whole.
        if code == KEY_RESIZE { lastFrame = nil }
        if code == KEY_MOUSE {
          var event = MEVENT()
          if getmouse(&event) == OK, let key = KeyDecoding.mouse(buttons: event.bstate, row: event.y, column: event.x) {
            return key
          }
          continue
        }
        if let key = KeyDecoding.key(code: code) { return key }
      case OK:
        if let key = KeyDecoding.key(character: value) { return key }
      default:
        return nil
      }
    }
  }

  /// Draws `screen`: only the rows that differ from the last frame (all of
  /// them the first time and after a resize), then one refresh.
  public func draw(_ screen: Screen) {
    guard activate() else { return }
    let window = cncurses_stdscr()
    let fullRedraw = lastFrame == nil || lastFrame?.rows != screen.rows || lastFrame?.columns != screen.columns
    // A full redraw may follow a smaller frame or a resize: start blank.
    if fullRedraw { werase(window) }
    let rows = fullRedraw ? Array(0..<screen.rows) : screen.changedRows(since: lastFrame)
    let visibleRows = min(screen.rows, Int(cncurses_max_y(window)))
    let visibleColumns = min(screen.columns, Int(cncurses_max_x(window)))
    var drawn = 0
    for row in rows where row < visibleRows {
      RowDrawing.draw(screen, row: row, columns: visibleColumns, styles: styles)
      drawn += 1
    }
    cncurses_set_style(cncurses_a_normal(), 0)
    wrefresh(window)
    lastDrawnRowCount = drawn
    lastFrame = screen
  }

  /// Leaves curses (`endwin` restores the terminal modes and leaves the
  /// alternate screen) and puts the signal handlers back. Idempotent.
  public func close() {
    guard let screen = cursesScreen else { return }
    set_term(screen)
    endwin()
    delscreen(screen)
    cursesScreen = nil
    for file in ownedFiles { fclose(file) }
    if catchesSignals && ownedFiles.isEmpty { CrashRestore.uninstall() }
    ownedFiles = []
    signals.restore()
  }

  /// Headless: resizes curses' screen as a terminal resize would (curses
  /// then queues a KEY_RESIZE, read as `.resize`).
  func resize(rows: Int, columns: Int) {
    guard activate() else { return }
    resizeterm(Int32(rows), Int32(columns))
  }
}
