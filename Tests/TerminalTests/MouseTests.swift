import CNcurses
import Testing
import TextScreen

@testable import Terminal

extension CursesSuite {
  @Test func mouseEventsComeBackAsPlainValues() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    #expect(terminal.reportsMouse)
    let events = [
      MouseEvent(.click, row: 3, column: 30), MouseEvent(.wheelDown, row: 5, column: 40),
      MouseEvent(.wheelUp, row: 15, column: 2),
    ]
    var read: [Key] = []
    for event in events {
      terminal.injectMouse(event)
      if let key = terminal.readKey(timeoutMilliseconds: 0) { read.append(key) }
    }
    #expect(read == events.map(Key.mouse))
  }

  @Test func buttonsTheScreenDoesNotUseAreSkipped() {
    #expect(
      KeyDecoding.mouse(buttons: cncurses_button1_pressed(), row: 1, column: 2)
        == .mouse(.init(.click, row: 1, column: 2)))
    #expect(
      KeyDecoding.mouse(buttons: cncurses_button1_clicked(), row: 1, column: 2)
        == .mouse(.init(.click, row: 1, column: 2)))
    #expect(KeyDecoding.mouse(buttons: 0, row: 1, column: 2) == nil)
  }

  @Test func theMouseIsOffWithNoMouseOrTheEnvironmentVariable() throws {
    #expect(CursesTerminal.mouseAllowed(by: [:]))
    #expect(CursesTerminal.mouseAllowed(by: ["SIS_SYNC_NO_MOUSE": "0"]))
    #expect(!CursesTerminal.mouseAllowed(by: ["SIS_SYNC_NO_MOUSE": "1"]))
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80, mouse: false)
    defer { terminal.close() }
    #expect(!terminal.reportsMouse)
  }
}
