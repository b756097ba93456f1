import Foundation
import Testing

/// The mouse on a real terminal (tmux): the program asks for mouse reports,
/// and clicks and the wheel, sent as the terminal encodes them (X10:
/// ESC [ M, then button, column and row each plus 32, 1-based), select and
/// scroll; `--no-mouse` and SIS_SYNC_NO_MOUSE=1 leave the mouse alone.
extension ReviewTmuxTests {
  /// A press and its release at a 0-based cell.
  static func click(row: Int, column: Int) -> [UInt8] {
    report(button: 0, row: row, column: column) + report(button: 3, row: row, column: column)
  }

  /// One notch of the wheel (buttons 4 and 5 are reported as 64 and 65).
  static func wheel(down: Bool, row: Int, column: Int) -> [UInt8] {
    report(button: down ? 65 : 64, row: row, column: column)
  }

  private static func report(button: Int, row: Int, column: Int) -> [UInt8] {
    [0x1B, UInt8(ascii: "["), UInt8(ascii: "M"), UInt8(32 + button), UInt8(32 + column + 1), UInt8(32 + row + 1)]
  }

  @Test func clicksAndTheWheelSelectAndScroll() throws {
    guard Self.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux = try demo.openReview()
    defer { tmux.close() }
    try tmux.waitFor("Errors · 12 rows · 1/12")
    #expect(try tmux.mouseReportingIsOn())
    try tmux.send(bytes: Self.click(row: 4, column: 5))  // "3 Updates" in the categories
    try tmux.waitFor("Updates · 10 rows · 1/10")
    try tmux.send(bytes: Self.click(row: 4, column: 40))  // the third row of the list
    try tmux.waitFor("Updates · 10 rows · 3/10")
    try tmux.send(bytes: Self.wheel(down: true, row: 5, column: 40))
    try tmux.waitFor("Updates · 10 rows · 6/10")
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
  }

  @Test(arguments: [["--no-mouse"], ["SIS_SYNC_NO_MOUSE=1"]]) func theMouseCanBeTurnedOff(how: [String]) throws {
    guard Self.tmuxIsInstalled() else { return }
    let demo = try Demo()
    let tmux =
      how[0].hasPrefix("--")
      ? try TmuxSession(
        scratch: demo.scratch, columns: 100, rows: 30,
        arguments: [Self.binary, "review", demo.export, "--directory", demo.directory] + how)
      : try demo.openReview(environment: how)
    defer { tmux.close() }
    try tmux.waitFor("Errors · 12 rows · 1/12")
    #expect(try !tmux.mouseReportingIsOn())
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
  }
}
