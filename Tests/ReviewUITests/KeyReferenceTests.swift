import Foundation
import ReviewUI
import Testing
import TextScreen

/// The binding table is the one source of the keys: dispatch, the help
/// screen and the man page.
@Suite struct KeyReferenceTests {
  /// The man page's text between `.\" BEGIN NAME` and `.\" END NAME`.
  private func manPageSection(_ name: String) throws -> String {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let page = try String(contentsOf: repository.appendingPathComponent("man/sis-sync.1"), encoding: .utf8)
    let begin = try #require(page.range(of: ".\\\" BEGIN \(name)"))
    let afterBegin = try #require(page[begin.upperBound...].firstIndex(of: "\n"))
    let end = try #require(page.range(of: ".\\\" END \(name)"))
    return String(page[page.index(after: afterBegin)..<end.lowerBound])
  }

  @Test func theManPageCarriesTheGeneratedKeyReference() throws {
    #expect(
      try manPageSection("REVIEW KEYS") == KeyBindings.manPageReference, "regenerate it with: sis-sync review-keys")
  }

  @Test func theManPageCarriesTheCleanupScreensKeys() throws {
    #expect(
      try manPageSection("CLEANUP KEYS") == CleanupKeys.manPageReference,
      "regenerate it with: sis-sync review-keys --cleanup")
    // Each key reaches one binding.
    let keys = CleanupKeys.table.flatMap(\.keys)
    #expect(Set(keys).count == keys.count)
  }

  @Test func everySpecKeyIsBoundOnceAndDispatches() {
    // SPEC §8's keys, which support staff read to customers over the phone.
    let spec: [(Key, ReviewAction)] = [
      (.up, .moveUp), (.character("k"), .moveUp), (.down, .moveDown), (.character("j"), .moveDown),
      (.pageUp, .pageUp), (.pageDown, .pageDown), (.home, .moveToTop), (.character("g"), .moveToTop),
      (.end, .moveToBottom), (.character("G"), .moveToBottom), (.tab, .nextPane), (.backTab, .previousPane),
      (.enter, .showDetails), (.character("/"), .search), (.character("n"), .nextMatch),
      (.character("N"), .previousMatch), (.character("x"), .toggleExclude), (.character("X"), .excludeMatching),
      (.character("e"), .editCustomID), (.character("b"), .changeBuildingID), (.character("a"), .acceptSuggestion),
      (.character("u"), .undo), (.character("w"), .writeReport), (.character("s"), .saveSession),
      (.character("c"), .commit), (.character("?"), .help), (.character("q"), .quit),
    ]
    for (key, action) in spec { #expect(KeyBindings.action(for: key) == action, "\(key.label)") }
    for (digit, category) in zip("12345678", ReviewCategory.allCases) {
      #expect(KeyBindings.action(for: .character(digit)) == .selectCategory(category))
    }
    // Within the panes and within each dialog, a key reaches one binding.
    for context in KeyContext.allCases {
      let keys = KeyBindings.table.filter { $0.context == context }.flatMap(\.keys)
      #expect(Set(keys).count == keys.count, "a key is bound twice in \(context)")
    }
  }
}
