import SyncEngine

/// What the cleanup screen asks for in a prompt.
public enum CleanupPrompt: Sendable, Equatable {
  case filter, moveTo, setGrade, setPosition, sessionPath

  var title: String {
    switch self {
    case .filter: "Filter"
    case .moveTo: "Move to building"
    case .setGrade: "Set grade"
    case .setPosition: "Set position"
    case .sessionPath: "Save the cleanup session"
    }
  }

  /// What the field takes, under it.
  var hint: String {
    switch self {
    case .filter: "school:ID type:Student grade:12 status:Active managed:yes changed-before:DATE never-exported"
    case .moveTo: "The building's external ID, or its name"
    case .setGrade: "PreK, K, 1 … 12, Other or Unspecified; empty clears it"
    case .setPosition: "Any text; empty clears it"
    case .sessionPath: "resume with: sis-sync cleanup --review --session PATH"
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
  /// A cleanup that stopped before saving left this many staged changes.
  case offerRecovered(count: Int)
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
  /// The staged changes as last saved (or resumed): quitting with others
  /// asks first.
  public var savedSteps: [CleanupStep] = []
  /// Where `s` saves the session.
  public var sessionPath: String
  public var modal: CleanupModal?
  public var message: String?
  public var committedRun: Int64?
  public var shouldExit = false

  /// Rows the list takes (title and header above; the account under the
  /// cursor, the staged line, a message and the keys below).
  var listHeight: Int { max(1, rows - 6) }
  /// The screen row of the list's first account (under the title and header).
  static let listRow = 2

  /// The accounts an action is staged for: the marked ones, else all shown.
  var targets: [Int] { marked.isEmpty ? shown : shown.filter(marked.contains) }

  public var hasUnsavedChanges: Bool { staged != savedSteps }

  /// Accounts that some staged change names.
  var stagedAccounts: Set<Int> { Set(staged.flatMap(\.accounts)) }
}

/// The staged changes as one plan, with each account's change at hand for
/// the line under the list.
struct StagedPlan {
  /// nil when the staged changes cannot be planned.
  let outcome: CleanupOutcome?
  private let changeIndexByAccount: [Int64: Int]

  init(outcome: CleanupOutcome?) {
    self.outcome = outcome
    var index: [Int64: Int] = [:]
    for (position, change) in (outcome?.plan.changes ?? []).enumerated() {
      if let account = change.accountID { index[account] = position }
    }
    changeIndexByAccount = index
  }

  func change(ofAccount id: Int64) -> PlannedChange? {
    changeIndexByAccount[id].map { outcome!.plan.changes[$0] }
  }
}
