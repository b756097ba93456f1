import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Terminal faults (issue 6, item 4): a resize storm, a terminal shrunk below
/// the minimum and back, an unknown or dumb TERM, a non-UTF-8 locale, closed
/// or redirected standard streams. The real binary in a tmux pane, as in
/// `ReviewTmuxTests`: no crash, the terminal given back as it was.
/// Serialized: each test starts its own tmux server and sis-sync process.
@Suite(.serialized) struct ReviewTerminalFaultTests {
  typealias Demo = ReviewTmuxTests.Demo

  /// The demo's first line: the header of every full frame.
  static let header = "demo-district.csv → demo.sqlite"

  /// About a hundred sizes in quick succession: many below 80×24, some
  /// large, a few absurd (1×1, 10×3, 300×100).
  static let stormSizes: [(columns: Int, rows: Int)] = (0..<100).map { step in
    switch step {
    case 33: (1, 1)
    case 50: (10, 3)
    case 66: (300, 100)
    default: (60 + (step * 37) % 141, 15 + (step * 13) % 46)
    }
  }

  // MARK: - Resizing

  @Test func resizeStormEndsOnTheSameFullFrame() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    #expect(Self.stormSizes.filter { $0.columns < 80 || $0.rows < 24 }.count >= 30)
    #expect(Self.stormSizes.contains { $0.columns >= 200 && $0.rows >= 60 })
    let demo = try Demo()
    let tmux = try demo.openReview(columns: 100, rows: 30)
    defer { tmux.close() }
    let first = try tmux.waitForScreen("a 100×30 frame", until: Self.fullFrame(rows: 30))
    let pid = try tmux.programPID()

    for size in Self.stormSizes { try tmux.resize(columns: size.columns, rows: size.rows) }
    try tmux.resize(columns: 100, rows: 30)

    // The same frame as before the storm: header, categories, rows,
    // details and key hints, drawn for 100×30 (hints fitted to 100 columns).
    let settled = try tmux.waitForScreen("the 100×30 frame again") { $0 == first }
    #expect(kill(pid, 0) == 0, "the program still runs")
    #expect(!FileManager.default.fileExists(atPath: tmux.folder.appendingPathComponent("exit.txt").path))
    #expect(Self.fullFrame(rows: 30)(settled))
    #expect(PaneText.count(of: "Errors", in: settled) == 12)
    #expect(PaneText.count(of: "Creates", in: settled) == 10)

    // Faster than tmux passes resizes on: the same sizes set on the pane's
    // terminal directly, 2 ms apart, so that frames are drawn for sizes
    // already gone; then back to 100×30, the size tmux has.
    try Self.setTerminalSizes(of: tmux, Self.stormSizes + [(100, 30)], pause: 2_000)
    try tmux.waitForScreen("the 100×30 frame after the direct storm") { $0 == first }
    #expect(kill(pid, 0) == 0, "the program still runs")

    try tmux.press("2")
    try tmux.waitFor("Creates · 10 rows · 1/10")
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    try Self.expectTerminalRestored(tmux)
  }

  @Test func keysWhileTooSmallChangeNothingAndTheSelectionIsKept() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview(columns: 100, rows: 30)
    defer { tmux.close() }
    try tmux.waitForScreen("a 100×30 frame", until: Self.fullFrame(rows: 30))
    try tmux.press("2")
    try tmux.waitFor("Creates · 10 rows · 1/10")
    try tmux.press("j")
    // The whole frame, once drawn: under load a capture can catch it half-drawn.
    let chosen = try tmux.waitForSteady("Creates · 10 rows · 2/10")

    try tmux.resize(columns: 70, rows: 20)
    try Self.waitForTooSmall(tmux, columns: 70, rows: 20)
    // Keys that would move, exclude, switch category and pane, search and
    // edit: the reviewer sees none of it, so none of it may happen.
    try tmux.press("j", "j", "x", "4", "Tab", "/", "a", "Enter", "Down", "e", "u")
    try Self.waitUntilKeysRead(tmux)
    let small = try tmux.capture()
    #expect(small.contains("sis-sync review needs at least 80×24."))
    #expect(small.contains("(q quits)"))

    try tmux.resize(columns: 100, rows: 30)
    // Same category, same row, no exclusion, no dialog, no message.
    let back = try tmux.waitForScreen("the frame from before shrinking") { $0 == chosen }
    #expect(PaneText.count(of: "Excluded", in: back) == 0)
    try tmux.press("j")  // the rows pane still has the focus
    try tmux.waitFor("Creates · 10 rows · 3/10")

    // q quits while too small, as the screen says (nothing is unsaved).
    try tmux.resize(columns: 70, rows: 20)
    try Self.waitForTooSmall(tmux, columns: 70, rows: 20)
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    try Self.expectTerminalRestored(tmux)
  }

  @Test func quittingWhileTooSmallNeverDropsUnsavedDecisionsUnseen() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview(columns: 100, rows: 30)
    defer { tmux.close() }
    try tmux.waitForScreen("a 100×30 frame", until: Self.fullFrame(rows: 30))
    try tmux.press("x")
    try tmux.waitFor("Exclude line 73 (u undoes)")
    let pid = try tmux.programPID()

    try tmux.resize(columns: 70, rows: 20)
    try Self.waitForTooSmall(tmux, columns: 70, rows: 20)
    // q asks, in a Quit? dialog the small screen cannot show; Ctrl-C (like
    // q) would answer that dialog "quit without saving": never unseen.
    try tmux.press("q")
    try Self.waitUntilKeysRead(tmux)
    try tmux.press("C-c")
    try Self.waitUntilKeysRead(tmux)
    try Self.expectStillRunning(tmux, pid: pid)

    try tmux.resize(columns: 100, rows: 30)
    let asked = try tmux.waitFor("1 decision is not saved.")
    #expect(asked.contains("Quit?"))
    try tmux.press("q")  // now seen: quit without saving
    #expect(try tmux.waitForExit() == 0)
    try Self.expectTerminalRestored(tmux)
  }

  // MARK: - Terminal types

  /// Unknown, unable to move the cursor, unset ("").
  @Test(arguments: ["xyz-unknown", "dumb", ""])
  func unusableTERMIsRefusedAndTheTerminalUntouched(term: String) throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let run = try RefusedRun(
      demo: demo, environment: term.isEmpty ? ["-u", "TERM"] : ["TERM=" + term], redirections: "2> err.txt")
    #expect(run.status == 64)
    if term.isEmpty {
      #expect(run.stderr == "sis-sync: the terminal type is not set (TERM); try TERM=xterm-256color\n")
    } else {
      #expect(run.stderr?.hasPrefix("sis-sync: unknown terminal type '\(term)' (TERM)") == true, "\(run.stderr ?? "")")
      #expect(run.stderr?.contains("try TERM=xterm-256color") == true)
    }
    run.expectTerminalUntouched()
  }

  // MARK: - Locale

  @Test(arguments: [["LC_ALL=C", "LANG=C"], ["LC_ALL=POSIX"]])
  func nonUTF8LocaleStillDrawsAndReadsWideText(locale: [String]) throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview(columns: 100, rows: 30, environment: locale)
    defer { tmux.close() }
    let screen = try tmux.waitForScreen("a 100×30 frame", until: Self.fullFrame(rows: 30))
    // Drawn as UTF-8 whatever the locale: the arrow, the rules, accents,
    // Hangul and Han characters, each wide character taking two columns
    // (the error codes stay in one column).
    #expect(screen.contains(Self.header))
    #expect(screen.contains("│"))
    for name in ["김, 예준", "Íñigo Elena", "刘, 静", "Võ, Phương Đức", "刘, 小明", "Hernández, Begoña Luis"] {
      #expect(screen.contains(name), "\(name) is not on the screen")
    }
    let codeColumns = PaneText.lines(screen).compactMap(PaneText.errorCodeColumn)
    #expect(codeColumns.count == 12)
    #expect(Set(codeColumns).count == 1, "error codes at columns \(codeColumns)")

    // Typed wide characters are read as characters: the search finds line 261.
    try tmux.press("/")
    try tmux.waitFor("Search")
    try tmux.type("小明")
    try tmux.waitFor("> 小明")
    try tmux.press("Enter")
    let found = try tmux.waitForSteady("Errors · 12 rows · 10/12")
    #expect(found.contains("Line 261"))
    #expect(PaneText.lines(found).contains { $0.contains("first_name") && $0.hasSuffix("小明") })

    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    try Self.expectTerminalRestored(tmux)
  }

  // MARK: - Standard streams

  @Test func closedStandardOutputIsRefusedWithoutACrash() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let run = try RefusedRun(demo: demo, redirections: ">&- 2> err.txt")
    #expect(run.status == 64, "a usage error, not a signal (128+N)")
    #expect(run.stderr?.hasPrefix("sis-sync") == true)
    #expect(run.stderr?.contains("needs a terminal: standard output is not a terminal") == true, "\(run.stderr ?? "")")
    run.expectTerminalUntouched()
  }

  @Test func closedStandardOutputAndErrorStillExitCleanly() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let run = try RefusedRun(demo: demo, redirections: ">&- 2>&-")
    #expect(run.status == 64, "a usage error, not a signal (128+N)")
    #expect(run.stderr == nil)
    run.expectTerminalUntouched()
  }

  @Test func standardInputFromDevNullIsRefused() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let run = try RefusedRun(demo: demo, redirections: "< /dev/null 2> err.txt")
    #expect(run.status == 64)
    #expect(run.stderr?.contains("needs a terminal: standard input is not a terminal") == true, "\(run.stderr ?? "")")
    run.expectTerminalUntouched()
  }

  // MARK: - Helpers

  /// Every row used: the header on the first line, the key hints on the last.
  static func fullFrame(rows: Int) -> (String) -> Bool {
    { screen in
      let lines = PaneText.lines(screen)
      return lines.count == rows && lines.first?.contains(header) == true && lines.last?.contains("? help") == true
    }
  }

  static func waitForTooSmall(_ tmux: TmuxSession, columns: Int, rows: Int) throws {
    try tmux.waitForScreen("the too-small screen at \(columns)×\(rows)") {
      $0.contains("sis-sync review needs at least 80×24.") && $0.contains("This terminal is \(columns)×\(rows)")
    }
  }

  /// Waits until the program has read every byte sent to the pane: its
  /// terminal's input queue stays empty for a few polls (curses reads a byte
  /// at a time and handles each key before reading the next).
  static func waitUntilKeysRead(_ tmux: TmuxSession, timeout: TimeInterval = 5) throws {
    let tty = try tmux.paneTTY()
    let descriptor = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else { throw TmuxSession.Failure(description: "cannot open \(tty): errno \(errno)") }
    defer { _ = Glibc.close(descriptor) }
    let deadline = Date().addingTimeInterval(timeout)
    var emptyPolls = 0
    while emptyPolls < 4 {
      var waiting: Int32 = 0
      guard ioctl(descriptor, UInt(FIONREAD), &waiting) == 0 else {
        throw TmuxSession.Failure(description: "FIONREAD on \(tty) failed: errno \(errno)")
      }
      emptyPolls = waiting == 0 ? emptyPolls + 1 : 0
      guard Date() < deadline else {
        throw TmuxSession.Failure(description: "the program did not read its input (\(waiting) bytes waiting)")
      }
      usleep(25_000)
    }
  }

  /// Sets the pane's terminal size (TIOCSWINSZ, which sends SIGWINCH) to
  /// each of `sizes` in turn, `pause` microseconds apart, without tmux.
  static func setTerminalSizes(
    of tmux: TmuxSession, _ sizes: [(columns: Int, rows: Int)], pause: useconds_t
  ) throws {
    let tty = try tmux.paneTTY()
    let descriptor = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else { throw TmuxSession.Failure(description: "cannot open \(tty): errno \(errno)") }
    defer { _ = Glibc.close(descriptor) }
    for size in sizes {
      var window = winsize(ws_row: UInt16(size.rows), ws_col: UInt16(size.columns), ws_xpixel: 0, ws_ypixel: 0)
      guard ioctl(descriptor, UInt(TIOCSWINSZ), &window) == 0 else {
        throw TmuxSession.Failure(description: "TIOCSWINSZ on \(tty) failed: errno \(errno)")
      }
      usleep(pause)
    }
  }

  /// The program has not exited (checked for a moment after the last key).
  static func expectStillRunning(_ tmux: TmuxSession, pid: pid_t) throws {
    let exitFile = tmux.folder.appendingPathComponent("exit.txt").path
    let until = Date().addingTimeInterval(0.4)
    while Date() < until {
      guard !FileManager.default.fileExists(atPath: exitFile), kill(pid, 0) == 0 else {
        Issue.record("the program exited; the pane shows:\n\((try? tmux.capture()) ?? "")")
        return
      }
      usleep(50_000)
    }
  }

  /// The program left the alternate screen, the shell's lines are back and
  /// the terminal modes are as before.
  static func expectTerminalRestored(_ tmux: TmuxSession) throws {
    #expect(try tmux.alternateScreenIsOn() == false)
    #expect(try tmux.capture().contains(TmuxSession.marker))
    let modes = try tmux.terminalModes()
    #expect(!modes.before.isEmpty)
    #expect(modes.before == modes.after)
  }
}

/// `sis-sync review` on the demo in a pane, with shell `redirections`
/// applied to the program (e.g. `>&- 2> err.txt`), run until it exits while
/// watching that curses never takes the screen.
private struct RefusedRun {
  let status: Int32
  /// The text of err.txt; nil when the run wrote none.
  let stderr: String?
  /// The pane's non-empty lines after the run.
  let pane: [String]
  let alternateScreenSeen: Bool
  let modes: (before: String, after: String)

  init(demo: ReviewTmuxTests.Demo, environment: [String] = [], redirections: String) throws {
    let tmux = try TmuxSession(
      scratch: demo.scratch, columns: 100, rows: 30,
      arguments: ["/bin/sh", "-c", "exec \"$@\" " + redirections, "sh", "/usr/bin/env"] + environment + [
        ReviewTmuxTests.binary, "review", demo.export, "--directory", demo.directory,
      ])
    defer { tmux.close() }
    let exitFile = tmux.folder.appendingPathComponent("exit.txt").path
    let deadline = Date().addingTimeInterval(10)
    var seen = false
    while !FileManager.default.fileExists(atPath: exitFile) {
      seen = try tmux.alternateScreenIsOn() || seen
      guard Date() < deadline else { throw TmuxSession.Failure(description: "sis-sync did not exit") }
      usleep(10_000)
    }
    status = try tmux.waitForExit()
    alternateScreenSeen = try tmux.alternateScreenIsOn() || seen
    stderr = try? String(contentsOf: tmux.folder.appendingPathComponent("err.txt"), encoding: .utf8)
    pane = PaneText.lines(try tmux.capture()).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    modes = try tmux.terminalModes()
  }

  /// Curses never started: no alternate screen, nothing but the script's
  /// marker in the pane, the terminal modes as before.
  func expectTerminalUntouched() {
    #expect(!alternateScreenSeen)
    #expect(pane == [TmuxSession.marker])
    #expect(!modes.before.isEmpty)
    #expect(modes.before == modes.after)
  }
}

/// More readings of the screen, for the fault tests.
extension PaneText {
  /// The display column of the finding code (` E041 `) on a row of the
  /// Errors list; nil for other lines.
  static func errorCodeColumn(_ line: String) -> Int? {
    // A list row starts with its line number (after a ! or x mark) right of the rule.
    guard let rule = line.range(of: "│"),
      line[rule.upperBound...].drop(while: { " !x".contains($0) }).first?.isNumber == true,
      let code = line.range(of: #" E0\d\d "#, options: .regularExpression)
    else { return nil }
    return width(line[..<code.lowerBound])
  }

  /// Columns a terminal gives the text: two for Hangul, Han and fullwidth
  /// forms, none for combining marks (enough for the demo's names).
  static func width(_ text: Substring) -> Int {
    text.unicodeScalars.reduce(0) { total, scalar in
      let value = scalar.value
      if scalar.properties.generalCategory == .nonspacingMark { return total }
      let wide =
        (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
        || (0xF900...0xFAFF).contains(value) || (0xFF00...0xFF60).contains(value)
      return total + (wide ? 2 : 1)
    }
  }
}
