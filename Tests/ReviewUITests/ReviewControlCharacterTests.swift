import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// Values and file names holding ESC, C1 controls or bidi overrides are drawn
/// and reported visibly, never handed to the terminal raw.
@Suite struct ReviewControlCharacterTests {
  private static func holdsRawControl(_ text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
    text.unicodeScalars.contains { VisibleText.isEscaped($0) && !allowed.contains($0) }
  }

  @Test func theScreenAndTheEngineEscapeTheSameCharactersTheSameWay() {
    for value in UInt32(0)..<0x3000 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      #expect(VisibleCharacters.isEscaped(scalar) == VisibleText.isEscaped(scalar))
      #expect(VisibleCharacters.visible("a\(scalar)b") == VisibleText.escaped("a\(scalar)b"))
    }
  }

  @Test func putDrawsControlsVisiblyAndKeepsDirectionMarks() {
    var screen = Screen(rows: 1, columns: 40)
    screen.put("a\u{1B}[2J\u{9B}b\u{202E}c\u{200F}d\te", row: 0, column: 0)
    #expect(screen.lines == ["a<U+001B>[2J<U+009B>b<U+202E>c\u{200F}d\\te"])
    #expect(DisplayWidth.fitted("\u{1B}x", to: 6) == "<U+00…", "cut as drawn, not as stored")
  }

  @Test func hostileValuesAndTheExportNameAreEscapedOnScreenAndInTheReport() throws {
    let rows = [
      "Ana\u{1B}]0;x\u{07},,Ruiz,ana@x.org,1001,S1,Student,,6,Active",
      "New\u{202E},,Kid\u{9B}2J,new@x.org,2001,S2,Student,,K,Active",
    ]
    let fixture = try ReviewFixture(rows: rows, exportName: "ex\u{1B}[2Jport.csv")
    let screen = fixture.app.render()
    let drawn = screen.cells.map(\.text).joined()
    #expect(!Self.holdsRawControl(drawn))
    #expect(fixture.screen.contains("ex<U+001B>[2Jport.csv"))
    let base = fixture.folder.appendingPathComponent("report").path
    fixture.press(.character("w"), .control("u"))
    fixture.type(base)
    fixture.press(.enter)
    let text = try String(contentsOfFile: base + ".txt", encoding: .utf8)
    #expect(!Self.holdsRawControl(text, allowing: ["\n"]))
    #expect(text.contains("Ana<U+001B>]0;x<U+0007>"))
    #expect(text.contains("Kid<U+009B>2J"))
    let csv = try String(contentsOfFile: base + ".csv", encoding: .utf8)
    #expect(!Self.holdsRawControl(csv, allowing: ["\r", "\n"]))
    #expect(csv.contains("Kid<U+009B>2J"))
  }
}
