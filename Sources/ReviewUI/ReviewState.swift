import Foundation
import SyncEngine
import TextScreen

/// Everything the screen shows that is not the plan itself: where the
/// reviewer is, what they are typing, which dialog is open, and what the
/// view needs from the plan ready to read. A plain value, changed only by
/// the update step (`ReviewLoop.send`).
public struct ReviewState: Sendable, Equatable {
  public enum Pane: Int, CaseIterable, Sendable {
    case categories, rows, details
  }

  /// The terminal's size, and where each pane goes at it.
  public var layout: ReviewLayout
  public var focus: Pane = .rows
  public var category: ReviewCategory = .errors
  /// Selected position and first visible position, per category.
  public var cursors = Array(repeating: 0, count: ReviewCategory.allCases.count)
  public var tops = Array(repeating: 0, count: ReviewCategory.allCases.count)
  public var detailScroll = 0
  public var filter: RowFilter?
  public var search: String?
  public var modal: Modal?
  public var message: Message?
  /// Decisions as last saved (or loaded): quitting with others asks first.
  public var savedDecisions: [Decision]
  public var sessionPath: String?
  public var reportPath: String?
  /// Set once the plan is applied: the review is over.
  public var committedRun: Int64?
  /// Quit once the pending save succeeds.
  public var wantsToQuit = false
  /// The screen is done: the runner leaves.
  public var shouldExit = false

  /// The current category's items narrowed by the filter, and the
  /// thresholds holding the plan: derived from the model, refreshed by the
  /// update step when what they come from changes, so the view only reads.
  public internal(set) var visibleItems: [Int32] = []
  public internal(set) var holds: [ThresholdHold] = []
  /// With the rollover profile: its groups of expected changes (the
  /// commit dialog and the header show them), refreshed with `holds`.
  public internal(set) var rollover: RolloverOutcome?
  /// What `visibleItems` and `holds` were computed from.
  var listedFrom: ListingSource?

  struct ListingSource: Equatable, Sendable {
    var category: ReviewCategory
    var filter: RowFilter?
    var modelVersion: Int
  }

  public init(rows: Int, columns: Int, savedDecisions: [Decision] = []) {
    layout = ReviewLayout(rows: rows, columns: columns)
    self.savedDecisions = savedDecisions
  }

  public var cursor: Int {
    get { cursors[category.rawValue] }
    set { cursors[category.rawValue] = newValue }
  }

  public var top: Int {
    get { tops[category.rawValue] }
    set { tops[category.rawValue] = newValue }
  }

  /// The item under the cursor, if the list has any.
  public var selectedItem: ReviewItem? {
    guard !visibleItems.isEmpty else { return nil }
    return ReviewItem(packed: visibleItems[min(cursor, visibleItems.count - 1)])
  }
}

/// A line of feedback under the panes (what a decision did, why a key
/// does nothing here).
public struct Message: Sendable, Equatable {
  public var text: String
  public var tone: Style.Tone
  public init(_ text: String, tone: Style.Tone = .plain) {
    self.text = text
    self.tone = tone
  }
}

/// A dialog over the panes; keys go to it while it is open.
public enum Modal: Sendable, Equatable {
  case help(scroll: Int)
  case prompt(Prompt)
  /// A yes/no question about a decision (`X` on many rows).
  case confirmDecision(question: String, decision: Decision)
  /// `O`: organizations proposed for the export's unknown building IDs.
  case matchSchools(offers: [OrganizationProposal])
  /// `b` on a building ID other rows share: this row, or all of them.
  case buildingScope(line: Int, from: String, to: String, sharedBy: Int)
  /// The final counts; `typed` collects the confirmation word when a
  /// threshold holds the plan.
  case confirmCommit(typed: String)
  case applying
  /// The outcome of the commit (or why it was refused).
  case result(title: String, lines: [String], isError: Bool)
  /// A commit refused because the directory changed: r rebuilds the plan.
  case stalePlan(summary: String, changes: [String])
  case confirmQuit
  /// On opening: a journal kept `count` decisions the session file does
  /// not hold (the screen stopped before they were saved).
  case offerRecovery(count: Int)
}

/// A one-line text field.
public struct Prompt: Sendable, Equatable {
  public enum Purpose: Sendable, Equatable {
    case search
    case goToLine
    case filter
    case editCustomID(line: Int)
    case changeBuildingID(line: Int)
    case assignID(line: Int)
    case organizationExternalID(externalID: String)
    case sessionPath
    case reportPath(redacted: Bool)
    case mapValue(column: ExportColumn, from: String)
    case mappingPath
    case protectReason(accountID: Int64)
  }

  public var purpose: Purpose
  public var title: String
  /// A hint under the field (what to type).
  public var hint: String
  public var text: String
  /// Values offered to pick with ↑↓ (`A`, `b`, `o`); typing narrows them.
  public var choices: [PromptChoice]
  /// The picked one among `shownChoices`; nil: what is typed applies.
  public var chosen: Int?

  public init(
    _ purpose: Purpose, title: String, hint: String = "", text: String = "", choices: [PromptChoice] = []
  ) {
    self.purpose = purpose
    self.title = title
    self.hint = hint
    self.text = text
    self.choices = choices
  }
}
