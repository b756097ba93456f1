import Foundation
import TextScreen

/// Where keys go: the panes, or the dialog that is open (a dialog takes
/// every key while it is open, each dialog its own). The dialog that shows
/// while a commit runs takes no keys.
public enum KeyContext: Sendable, Hashable, CaseIterable {
  case panes, help, prompt, confirmDecision, matchSchools, buildingScope, confirmCommit, heldCommit, result, stalePlan
  case confirmQuit, recovery
}

/// One row of the binding table: the keys, where they work, what they ask
/// for, and the help text. The same table dispatches keys, draws the `?`
/// screen and writes the key reference of the man page, so the three
/// cannot disagree. Whether a binding is available right now, and why
/// not, is computed from the state (`ReviewAvailability`).
public struct KeyBinding: Sendable {
  public enum Section: String, CaseIterable, Sendable {
    case moving = "Moving"
    case finding = "Finding rows"
    case deciding = "Decisions"
    case finishing = "Session, report and commit"
    case help = "In this help"
    case prompt = "In a prompt (search, filter, an ID, a path)"
    case confirmDecision = "Asked about a decision on many rows"
    case matchSchools = "Asked to match schools"
    case buildingScope = "Asked about a building ID other rows share"
    case confirmCommit = "Asked to commit"
    case heldCommit = "Asked to commit a plan a threshold holds"
    case result = "The commit's outcome"
    case stalePlan = "The commit refused: the directory changed"
    case confirmQuit = "Asked to quit with unsaved decisions"
    case recovery = "Offered a recovered session"

    public var context: KeyContext {
      switch self {
      case .moving, .finding, .deciding, .finishing: .panes
      case .help: .help
      case .prompt: .prompt
      case .confirmDecision: .confirmDecision
      case .matchSchools: .matchSchools
      case .buildingScope: .buildingScope
      case .confirmCommit: .confirmCommit
      case .heldCommit: .heldCommit
      case .result: .result
      case .stalePlan: .stalePlan
      case .confirmQuit: .confirmQuit
      case .recovery: .recovery
      }
    }
  }

  /// Keys a binding takes besides its own, when no other binding of its
  /// context names them: typed characters, or any key at all.
  public enum OtherKeys: Sendable {
    case characters, all
  }

  public let keys: [Key]
  public let otherKeys: OtherKeys?
  public let action: ReviewAction
  /// How the keys are written in help (when not just their labels).
  public let keyText: String?
  public let help: String
  public let section: Section

  public var context: KeyContext { section.context }
  public var keysLabel: String { keyText ?? keys.map(\.label).joined(separator: " ") }
}

public enum KeyBindings {
  public static let table: [KeyBinding] = {
    var table: [KeyBinding] = []
    func bind(
      _ keys: [Key], _ action: ReviewAction, _ section: KeyBinding.Section, _ help: String, keyText: String? = nil,
      otherKeys: KeyBinding.OtherKeys? = nil
    ) {
      table.append(
        KeyBinding(
          keys: keys, otherKeys: otherKeys, action: action, keyText: keyText, help: help, section: section))
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
    for category in ReviewCategory.allCases where category.sameDigitNext != .unchanged {
      // Excluded shares Unchanged's 0 (a second press): one binding per digit.
      let help =
        category.sameDigitNext.map { "show \(category.title) (\(category.digit) again: \($0.title))" }
        ?? "show \(category.title)"
      bind(
        [character(category.digit)], .selectCategory(category), .moving, help,
        keyText: category == .errors ? "1…9 0" : nil)
    }
    bind([.enter], .showDetails, .moving, "details of the row")
    bind([.escape], .leaveDetails, .moving, "leave the details pane, back to the rows")
    bind([character("/")], .search, .finding, "search all categories: name, email, ID, building, line")
    bind([character(":")], .goToLine, .finding, "go to a line number of the export")
    bind([character("n")], .nextMatch, .finding, "next match")
    bind([character("N")], .previousMatch, .finding, "previous match")
    bind([character("f")], .filter, .finding, "filter rows: words, school:ID, code:E031, rollover:GROUP")
    bind([character("F")], .clearFilter, .finding, "clear the filter")
    bind([character("t")], .showTimeline, .finding, "the person's timeline: every run that changed them")
    bind([character("x")], .toggleExclude, .deciding, "exclude or include the row")
    bind([character("X")], .excludeMatching, .deciding, "exclude every row listed (category and filter)")
    bind([character("e")], .editCustomID, .deciding, "edit the row's custom_id")
    bind([character("b")], .changeBuildingID, .deciding, "change the row's building ID (or all rows with it)")
    bind([character("a")], .acceptSuggestion, .deciding, "accept the suggested fix")
    bind([character("A")], .assignID, .deciding, "give the row's custom_id to an unmanaged account")
    bind([character("o")], .setOrganizationExternalID, .deciding, "give an organization the row's building ID")
    bind([character("m")], .mapValue, .deciding, "map the row's unknown value (grade TK…) for every row")
    bind([character("O")], .matchSchools, .deciding, "match schools to unknown building IDs by name")
    bind([character("p")], .acceptProposedEmail, .deciding, "accept the email the mapping proposes for the row")
    bind([character("P")], .acceptAllProposedEmails, .deciding, "accept every proposed email")
    bind([character("K")], .protectAccount, .deciding, "protect the row's account from the sync (asks why)")
    bind([character("u")], .undo, .deciding, "undo the last decision")
    bind([character("w")], .writeReport, .finishing, "write the report for the SIS's people (text and CSV)")
    bind([character("W")], .writeRedactedReport, .finishing, "write it with names and emails masked (--redact)")
    bind([character("s")], .saveSession, .finishing, "save the review session")
    bind([character("M")], .saveMapping, .finishing, "save the mapping with your value decisions")
    bind([character("c")], .commit, .finishing, "commit: apply the approved plan")
    bind([character("R")], .rejectPendingRun, .finishing, "reject the held run (review --pending; asks why)")
    bind([character("?")], .help, .finishing, "this help")
    bind([character("q"), .control("c")], .quit, .finishing, "quit (asks before losing decisions)", keyText: "q")

    bind([.down, character("j")], .scrollHelpDown, .help, "scroll down", keyText: "↓ j")
    bind([.up, character("k")], .scrollHelpUp, .help, "scroll up", keyText: "↑ k")
    bind([.pageDown, character(" ")], .pageHelpDown, .help, "a page down")
    bind([.pageUp], .pageHelpUp, .help, "a page up")
    bind([], .closeHelp, .help, "close the help", keyText: "other keys", otherKeys: .all)

    bind([.enter], .submitPrompt, .prompt, "apply what is typed")
    bind([.escape, .control("c")], .cancelPrompt, .prompt, "cancel")
    bind([.backspace, .delete], .deleteCharacter, .prompt, "delete the last character")
    bind([.control("u")], .clearField, .prompt, "clear the field")
    bind([.down], .nextChoice, .prompt, "pick the next offered value (A, b, o offer some)")
    bind([.up], .previousChoice, .prompt, "pick the previous offered value")
    bind([], .typeCharacter, .prompt, "typed into the field", keyText: "characters", otherKeys: .characters)

    bind([character("y"), .enter], .confirmDecision, .confirmDecision, "yes: decide it for every row named")
    bind([], .declineDecision, .confirmDecision, "no: decide nothing", keyText: "other keys", otherKeys: .all)

    bind([character("y"), .enter], .acceptSchoolMatches, .matchSchools, "yes: give each organization its ID")
    bind([], .declineDecision, .matchSchools, "no: decide nothing", keyText: "other keys", otherKeys: .all)

    bind([character("r"), .enter], .changeOneRow, .buildingScope, "change this row only")
    bind([character("a")], .changeAllRows, .buildingScope, "change every row with the ID (a remap)")
    bind([], .cancelBuildingChange, .buildingScope, "cancel", keyText: "other keys", otherKeys: .all)

    bind([character("y"), .enter], .applyPlan, .confirmCommit, "apply the plan in one transaction")
    bind([character("n"), .escape, .control("c")], .cancelCommit, .confirmCommit, "cancel: nothing is applied")

    bind([.enter], .applyHeldPlan, .heldCommit, "apply anyway, once the word override is typed")
    bind([.escape, .control("c")], .cancelCommit, .heldCommit, "cancel: nothing is applied")
    bind([.backspace], .deleteCharacter, .heldCommit, "delete the last character")
    bind([], .typeCharacter, .heldCommit, "typed into the field", keyText: "characters", otherKeys: .characters)

    bind([], .closeResult, .result, "close", keyText: "any key", otherKeys: .all)

    bind(
      [character("r"), .enter], .reloadPlan, .stalePlan, "re-read the directory and rebuild the plan, decisions kept")
    bind([], .closeResult, .stalePlan, "close: nothing is applied", keyText: "other keys", otherKeys: .all)

    bind([character("s")], .saveAndQuit, .confirmQuit, "save the session, then quit")
    bind([character("q"), character("y"), .control("c")], .quitWithoutSaving, .confirmQuit, "quit without saving")
    bind([], .stay, .confirmQuit, "stay", keyText: "other keys", otherKeys: .all)

    bind([character("y"), .enter], .restoreRecovered, .recovery, "restore the recovered decisions")
    bind([], .keepSavedSession, .recovery, "no: keep the saved session", keyText: "other keys", otherKeys: .all)
    return table
  }()

  private static let byContext: [KeyContext: [KeyBinding]] = Dictionary(grouping: table, by: \.context)

  /// The binding a key reaches in a context: one naming the key, else one
  /// taking typed characters (for a character), else one taking any key.
  public static func binding(for key: Key, in context: KeyContext) -> KeyBinding? {
    let bindings = byContext[context] ?? []
    if let named = bindings.first(where: { $0.keys.contains(key) }) { return named }
    if case .character = key, let typing = bindings.first(where: { $0.otherKeys == .characters }) { return typing }
    return bindings.first { $0.otherKeys == .all }
  }

  /// The action a key asks for (outside dialogs unless a context is named).
  public static func action(for key: Key, in context: KeyContext = .panes) -> ReviewAction? {
    binding(for: key, in: context)?.action
  }

  /// Rows as the help screen and the man page list them (the category
  /// keys on one row).
  public static var helpRows: [(section: KeyBinding.Section, keys: String, help: String, action: ReviewAction)] {
    table.compactMap { binding in
      if case .selectCategory(let category) = binding.action {
        guard category == .errors else { return nil }
        return (
          binding.section, binding.keysLabel,
          "jump to a category by its number (0 twice: \(ReviewCategory.excluded.title))", binding.action
        )
      }
      return (binding.section, binding.keysLabel, binding.help, binding.action)
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

  /// Text as roff shows it literally (backslashes, hyphens, a leading dot).
  static func roffEscaped(_ text: String) -> String {
    var escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
    return escaped
  }
}
