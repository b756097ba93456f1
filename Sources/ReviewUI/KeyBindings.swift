import Foundation
import TextScreen

/// One row of the binding table: the keys, what they do, and the help
/// text. The same table dispatches keys, draws the `?` screen and writes
/// the key reference of the man page, so the three cannot disagree.
public struct KeyBinding: Sendable {
  public enum Section: String, CaseIterable, Sendable {
    case moving = "Moving"
    case finding = "Finding rows"
    case deciding = "Decisions"
    case finishing = "Session, report and commit"
  }

  public let keys: [Key]
  public let action: ReviewAction
  /// How the keys are written in help (when not just their labels).
  public let keyText: String?
  public let help: String
  public let section: Section

  public var keysLabel: String { keyText ?? keys.map(\.label).joined(separator: " ") }
}

public enum KeyBindings {
  public static let table: [KeyBinding] = {
    var table: [KeyBinding] = []
    func bind(
      _ keys: [Key], _ action: ReviewAction, _ section: KeyBinding.Section, _ help: String, keyText: String? = nil
    ) {
      table.append(KeyBinding(keys: keys, action: action, keyText: keyText, help: help, section: section))
    }
    let character = Key.character
    bind([.up, character("k")], .moveUp, .moving, "previous row (or category, or scroll details up)", keyText: "↑ k")
    bind([.down, character("j")], .moveDown, .moving, "next row", keyText: "↓ j")
    bind([.pageUp], .pageUp, .moving, "a page up")
    bind([.pageDown], .pageDown, .moving, "a page down")
    bind([.home, character("g")], .moveToTop, .moving, "first row", keyText: "Home g")
    bind([.end, character("G")], .moveToBottom, .moving, "last row", keyText: "End G")
    bind([.tab, .right], .nextPane, .moving, "next pane (categories, rows, details)", keyText: "Tab →")
    bind([.backTab, .left], .previousPane, .moving, "previous pane", keyText: "Shift-Tab ←")
    for category in ReviewCategory.allCases {
      bind(
        [character(category.digit)], .selectCategory(category), .moving, "show \(category.title)",
        keyText: category == .errors ? "1…8" : nil)
    }
    bind([.enter], .showDetails, .moving, "details of the row")
    bind([character("/")], .search, .finding, "search rows (name, email, custom_id, building, line)")
    bind([character("n")], .nextMatch, .finding, "next match")
    bind([character("N")], .previousMatch, .finding, "previous match")
    bind([character("f")], .filter, .finding, "filter rows: words, school:ID, code:E031")
    bind([character("F")], .clearFilter, .finding, "clear the filter")
    bind([character("x")], .toggleExclude, .deciding, "exclude or include the row")
    bind([character("X")], .excludeMatching, .deciding, "exclude every row listed (category and filter)")
    bind([character("e")], .editCustomID, .deciding, "edit the row's custom_id")
    bind([character("b")], .changeBuildingID, .deciding, "change the row's building ID (or all rows with it)")
    bind([character("a")], .acceptSuggestion, .deciding, "accept the suggested fix")
    bind([character("A")], .assignID, .deciding, "give the row's custom_id to an unmanaged account")
    bind([character("o")], .setOrganizationExternalID, .deciding, "give an organization the row's building ID")
    bind([character("m")], .mapValue, .deciding, "map the row's unknown value (grade TK…) for every row")
    bind([character("u")], .undo, .deciding, "undo the last decision")
    bind([character("w")], .writeReport, .finishing, "write the report (text and CSV)")
    bind([character("s")], .saveSession, .finishing, "save the review session")
    bind([character("M")], .saveMapping, .finishing, "save the mapping with your value decisions")
    bind([character("c")], .commit, .finishing, "commit: apply the approved plan")
    bind([character("?")], .help, .finishing, "this help")
    bind([character("q"), .control("c")], .quit, .finishing, "quit (asks before losing decisions)", keyText: "q")
    return table
  }()

  /// The action a key asks for, outside prompts and dialogs.
  public static func action(for key: Key) -> ReviewAction? {
    table.first { $0.keys.contains(key) }?.action
  }

  /// Rows as the help screen and the man page list them (the eight
  /// category keys on one row).
  public static var helpRows: [(section: KeyBinding.Section, keys: String, help: String)] {
    table.compactMap { binding in
      if case .selectCategory(let category) = binding.action {
        guard category == .errors else { return nil }
        return (binding.section, binding.keysLabel, "jump to a category (1 Errors … 8 Excluded)")
      }
      return (binding.section, binding.keysLabel, binding.help)
    }
  }

  /// The key reference for the man page (roff), generated from the table.
  public static var manPageReference: String {
    var roff = ""
    for section in KeyBinding.Section.allCases {
      roff += ".SS \(section.rawValue)\n"
      for row in helpRows where row.section == section {
        roff += ".TP\n.B \(roffEscaped(row.keys))\n\(roffEscaped(row.help))\n"
      }
    }
    return roff
  }

  private static func roffEscaped(_ text: String) -> String {
    var escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
    return escaped
  }
}
