import Testing
import TextScreen

@testable import Terminal

extension CursesSuite {
  @Test func wideAndCombiningTextLinesUpInColumns() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    var screen = Screen(rows: 24, columns: 80)
    // Names in several scripts, then a bar at column 12 on every row.
    let names = ["Ana Silva", "Rene\u{301}e", "王小明", "김민준", "Ｚｏｅ", "Nguyễn Thị Hạnh"]
    for (row, name) in names.enumerated() {
      screen.put(name, row: row, column: 2, limit: 10)
      screen.put("|ok", row: row, column: 12)
    }
    terminal.draw(screen)

    let lines = terminal.screenLines()
    #expect(lines.count == 24)
    #expect(lines[0] == "  Ana Silva |ok")
    #expect(lines[1] == "  Renée     |ok")
    #expect(lines[1].unicodeScalars.contains("\u{301}"))  // drawn decomposed, read back decomposed
    #expect(lines[2] == "  王小明    |ok")
    #expect(lines[3] == "  김민준    |ok")
    #expect(lines[4] == "  Ｚｏｅ    |ok")
    #expect(lines[5] == "  Nguyễn Thị|ok")  // clipped at the limit
    #expect(lines[6...].allSatisfy { $0.isEmpty })
    for row in names.indices {
      #expect(terminal.cell(row: row, column: 12)?.text == "|", "row \(row)")
      #expect(terminal.cell(row: row, column: 13)?.text == "o", "row \(row)")
    }
    #expect(terminal.cell(row: 2, column: 2)?.text == "王")
    #expect(terminal.cell(row: 2, column: 4)?.text == "小")
    #expect(terminal.cell(row: 1, column: 5)?.text == "e\u{301}")
    #expect(screen.lines == Array(lines))
  }

  @Test func drawingAgainRewritesOnlyTheChangedRows() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    var screen = Screen(rows: 24, columns: 80)
    for row in 0..<24 { screen.put("row \(row) 王小明", row: row, column: 0) }
    terminal.draw(screen)
    #expect(terminal.lastDrawnRowCount == 24)

    terminal.draw(screen)
    #expect(terminal.lastDrawnRowCount == 0)

    // Narrow text over a wide name: no half characters may be left over.
    screen.fill(row: 5)
    screen.put("row 5 abcdefgh", row: 5, column: 0)
    terminal.draw(screen)
    #expect(terminal.lastDrawnRowCount == 1)
    let lines = terminal.screenLines()
    #expect(lines[5] == "row 5 abcdefgh")
    #expect(lines[4] == "row 4 王小明")
    #expect(lines[6] == "row 6 王小明")

    // And a wide name over narrow text, shifted by one column.
    screen.fill(row: 5)
    screen.put("王小明", row: 5, column: 1)
    terminal.draw(screen)
    #expect(terminal.lastDrawnRowCount == 1)
    #expect(terminal.screenLines()[5] == " 王小明")
  }

  @Test func aResizeArrivesAsAKeyAndTheNextDrawRedrawsEverything() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    #expect(terminal.size == (24, 80))
    var small = Screen(rows: 24, columns: 80)
    small.put("before", row: 0, column: 0)
    terminal.draw(small)
    #expect(terminal.readKey(timeoutMilliseconds: 0) == nil)

    terminal.resize(rows: 30, columns: 100)
    #expect(terminal.readKey(timeoutMilliseconds: 0) == .resize)
    #expect(terminal.size == (30, 100))

    // The same frame again: after a resize it is drawn whole all the same.
    terminal.draw(small)
    #expect(terminal.lastDrawnRowCount == 24)

    var large = Screen(rows: 30, columns: 100)
    large.put("after", row: 29, column: 95)
    terminal.draw(large)
    #expect(terminal.lastDrawnRowCount == 30)
    let lines = terminal.screenLines()
    #expect(lines.count == 30)
    #expect(lines[0].isEmpty)  // nothing left from the smaller frame
    #expect(lines[29] == String(repeating: " ", count: 95) + "after")
    terminal.draw(large)
    #expect(terminal.lastDrawnRowCount == 0)
  }

  @Test func aFrameLargerThanTheTerminalIsClipped() throws {
    let terminal = try CursesTerminal.headless(rows: 3, columns: 10)
    defer { terminal.close() }
    var screen = Screen(rows: 5, columns: 20)
    screen.put("abcdefghi王小明", row: 0, column: 0)  // 王 would straddle the edge
    screen.put("last", row: 4, column: 0)
    terminal.draw(screen)
    #expect(terminal.lastDrawnRowCount == 3)
    #expect(terminal.screenLines() == ["abcdefghi", "", ""])
  }

  @Test func closingTwiceIsHarmlessAndAClosedTerminalDoesNothing() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    terminal.close()
    terminal.close()
    #expect(terminal.size == (0, 0))
    #expect(terminal.readKey(timeoutMilliseconds: 0) == nil)
    terminal.draw(Screen(rows: 24, columns: 80))
    #expect(terminal.screenLines().isEmpty)
    // And curses can start again in the same process.
    let again = try CursesTerminal.headless(rows: 2, columns: 5)
    defer { again.close() }
    #expect(again.size == (2, 5))
  }
}
