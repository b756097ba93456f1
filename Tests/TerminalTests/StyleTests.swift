import CNcurses
import Testing
import TextScreen

@testable import Terminal

extension CursesSuite {
  /// Draws one cell per style on row 0 and returns what curses holds.
  private func drawn(_ styles: [Style], colors: Bool, term: String = "xterm-256color") throws -> (
    usesColor: Bool, cells: [(attributes: attr_t, pair: Int16)]
  ) {
    let terminal = try CursesTerminal.headless(rows: 2, columns: 20, term: term, colors: colors)
    defer { terminal.close() }
    var screen = Screen(rows: 2, columns: 20)
    for (column, style) in styles.enumerated() { screen.put("x", row: 0, column: column, style: style) }
    terminal.draw(screen)
    let cells = styles.indices.map { column in
      let cell = terminal.cell(row: 0, column: column)
      return (cell?.attributes ?? 0, cell?.pair ?? -1)
    }
    return (terminal.usesColor, cells)
  }

  private func foreground(ofPair pair: Int16) -> Int16 {
    var foreground: Int16 = -2
    var background: Int16 = -2
    pair_content(pair, &foreground, &background)
    return foreground
  }

  @Test func tonesBecomeColourPairsWhenColoursAreOn() throws {
    let terminal = try CursesTerminal.headless(rows: 2, columns: 20)
    defer { terminal.close() }
    #expect(terminal.usesColor)
    var screen = Screen(rows: 2, columns: 20)
    let styles: [Style] = [
      .plain, Style(.error, .bold), Style(.accent), Style(.warning), Style(.addition), Style(.removal),
      Style(.plain, .reverse), Style(.change, .underline),
    ]
    for (column, style) in styles.enumerated() { screen.put("x", row: 0, column: column, style: style) }
    terminal.draw(screen)
    let cells = styles.indices.compactMap { terminal.cell(row: 0, column: $0) }
    #expect(cells.count == styles.count)
    #expect(cells[0].pair == 0 && cells[0].attributes == cncurses_a_normal())
    #expect(foreground(ofPair: cells[1].pair) == Int16(COLOR_RED))
    #expect(cells[1].attributes & cncurses_a_bold() != 0)
    #expect(foreground(ofPair: cells[2].pair) == Int16(COLOR_CYAN))
    #expect(foreground(ofPair: cells[3].pair) == Int16(COLOR_YELLOW))
    #expect(cells[3].attributes & cncurses_a_underline() == 0)  // the colour says it
    #expect(foreground(ofPair: cells[4].pair) == Int16(COLOR_GREEN))
    #expect(foreground(ofPair: cells[5].pair) == Int16(COLOR_MAGENTA))
    #expect(cells[6].pair == 0 && cells[6].attributes & cncurses_a_reverse() != 0)
    #expect(foreground(ofPair: cells[7].pair) == Int16(COLOR_BLUE))
    #expect(cells[7].attributes & cncurses_a_underline() != 0)
  }

  @Test func withoutColoursTonesBecomeAttributes() throws {
    let styles: [Style] = [.plain, Style(.error), Style(.accent), Style(.warning), .muted, Style(.addition), .selected]
    let a = (bold: cncurses_a_bold(), dim: cncurses_a_dim(), underline: cncurses_a_underline())
    let expected: [attr_t] = [0, a.bold, a.bold, a.underline, a.dim, 0, cncurses_a_reverse()]
    // Asked for none (NO_COLOR), and a terminal that has none.
    for (colors, term) in [(false, "xterm-256color"), (true, "vt100")] {
      let result = try drawn(styles, colors: colors, term: term)
      #expect(!result.usesColor, "\(term)")
      #expect(result.cells.map(\.attributes) == expected, "\(term)")
      #expect(result.cells.allSatisfy { $0.pair == 0 }, "\(term)")
    }
  }

  @Test func noColorTurnsColoursOffOnlyWhenSetToSomething() {
    #expect(CursesTerminal.colorsAllowed(by: [:]))
    #expect(CursesTerminal.colorsAllowed(by: ["NO_COLOR": ""]))
    #expect(!CursesTerminal.colorsAllowed(by: ["NO_COLOR": "1"]))
  }
}
