import Testing
import TextScreen

/// The review screen's main screens and dialogs as whole pictures, at the
/// smallest supported size and a larger one (GoldenFrame says how to
/// re-record them).
@Suite struct ReviewGoldenTests {
  static let sizes = [(24, 80), (35, 120)]

  /// Opens the fixture at each size, presses `keys`, compares the frame.
  func check(_ name: String, _ keys: [Key], sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (rows, columns) in Self.sizes {
      let fixture = try ReviewFixture(size: (rows, columns))
      for key in keys { fixture.press(key) }
      GoldenFrame.check(fixture.app.render(), "\(name)-\(columns)x\(rows)", sourceLocation: sourceLocation)
    }
  }

  @Test func opening() throws { try check("opening", []) }

  /// 200 columns: custom_id and building columns as wide as what is listed
  /// (schools by name), before names take the rest.
  @Test func wideScreen() throws {
    let rows = ReviewFixture.rows + ["Long,,Identifier,long@x.org,STU-2024-000123,S2,Student,,3,Active"]
    for keys: [Key] in [[], [.character("2")]] {
      let fixture = try ReviewFixture(rows: rows, size: (50, 200))
      for key in keys { fixture.press(key) }
      GoldenFrame.check(fixture.app.render(), keys.isEmpty ? "wide-errors-200x50" : "wide-creates-200x50")
    }
  }

  @Test func errorDetails() throws { try check("error-details", [.character("1"), .down, .down]) }

  @Test func updateDiff() throws { try check("update-diff", [.character("3")]) }

  @Test func createsWithWideNames() throws { try check("creates", [.character("2"), .down]) }

  @Test func excludedRow() throws { try check("excluded", [.character("2"), .character("x")]) }

  @Test func helpScreen() throws { try check("help", [.character("?")]) }

  @Test func searchPrompt() throws { try check("search", [.character("/"), .character("K"), .character("i")]) }

  @Test func editCustomIDDialog() throws { try check("edit-custom-id", [.character("1"), .character("e")]) }

  @Test func commitDialog() throws { try check("commit", [.character("c")]) }

  @Test func quitWithUnsavedDecisions() throws {
    try check("quit-unsaved", [.character("2"), .character("x"), .character("q")])
  }

  @Test func tooSmall() throws {
    let fixture = try ReviewFixture()
    fixture.app.resize(rows: 20, columns: 60)
    GoldenFrame.check(fixture.app.render(), "too-small-60x20")
  }
}
