import SyncEngine

/// What the cleanup screen asks for in a prompt.
public enum CleanupPrompt: Sendable, Equatable {
  case filter, moveTo, setGrade, setPosition

  var title: String {
    switch self {
    case .filter: "Filter"
    case .moveTo: "Move to building"
    case .setGrade: "Set grade"
    case .setPosition: "Set position"
    }
  }

  /// What the field takes, under it.
  var hint: String {
    switch self {
    case .filter: "school:ID type:Student grade:12 status:Active managed:yes changed-before:DATE never-exported"
    case .moveTo: "The building's external ID, or its name"
    case .setGrade: "PreK, K, 1 … 12, Other or Unspecified; empty clears it"
    case .setPosition: "Any text; empty clears it"
    }
  }
}

/// The dialog open over the list, if any.
public enum CleanupModal: Sendable, Equatable {
  case prompt(CleanupPrompt, text: String)
  /// The staged plan's counts and holds; `typed` is the override word so far.
  case confirmCommit(typed: String)
  case result(title: String, lines: [String], isError: Bool)
  case help
  case confirmQuit
}

/// Everything the cleanup screen shows, as a value.
public struct CleanupState: Sendable {
  public var rows: Int
  public var columns: Int
  public var filterText: String
  /// The accounts the filter selects, as indexes into the snapshot.
  public var shown: [Int] = []
  public var cursor = 0
  public var top = 0
  public var marked: Set<Int> = []
  /// The changes staged so far, in order: together they make one plan.
  public var staged: [CleanupStep] = []
  public var modal: CleanupModal?
  public var message: String?
  public var committedRun: Int64?
  public var shouldExit = false

  /// Rows the list takes (title, header, staged line, message and keys around it).
  var listHeight: Int { max(1, rows - 5) }

  /// The accounts an action is staged for: the marked ones, else all shown.
  var targets: [Int] { marked.isEmpty ? shown : shown.filter(marked.contains) }

  /// Accounts that some staged change names.
  var stagedAccounts: Set<Int> { Set(staged.flatMap(\.accounts)) }
}
