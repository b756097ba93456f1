import SyncEngine
import TextScreen

/// The categories of the left pane (SPEC §8), in order: keys 1–9 jump to
/// the first nine, 0 to Unchanged and, pressed again, Excluded.
public enum ReviewCategory: Int, CaseIterable, Sendable {
  case errors, creates, updates, idChanges, disables, pendingDisables, reactivations, idFixes, heldBack, unchanged
  case excluded

  public var title: String {
    switch self {
    case .errors: "Errors"
    case .creates: "Creates"
    case .updates: "Updates"
    case .idChanges: "ID changes"
    case .disables: "Disables"
    case .pendingDisables: "Pending disables"
    case .reactivations: "Reactivations"
    case .idFixes: "ID fixes"
    case .heldBack: "Held back"
    case .unchanged: "Unchanged"
    case .excluded: "Excluded"
    }
  }

  /// The key that selects it: 1–9, then 0 for the last two (a second 0
  /// goes from Unchanged to Excluded and back): eleven categories, ten
  /// digits, and the two that change nothing share one.
  public var digit: Character { rawValue < 9 ? Character(String(rawValue + 1)) : "0" }

  /// The category a second press of its digit selects (Unchanged ⇄ Excluded).
  var sameDigitNext: ReviewCategory? {
    switch self {
    case .unchanged: .excluded
    case .excluded: .unchanged
    default: nil
    }
  }

  public var tone: Style.Tone {
    switch self {
    case .errors: .error
    case .creates: .addition
    case .updates, .idChanges, .pendingDisables, .reactivations, .idFixes: .change
    case .disables: .removal
    case .unchanged, .excluded: .muted
    case .heldBack: .warning
    }
  }

  /// Where a row with this outcome is listed. Rows disabled in the export
  /// that have no account need nothing: they are listed with the unchanged.
  init(_ outcome: RowOutcome) {
    self =
      switch outcome {
      case .error: .errors
      case .create: .creates
      case .update: .updates
      case .disable: .disables
      case .reactivate: .reactivations
      case .assignID: .idFixes
      case .idChange: .idChanges
      case .unchanged, .skipped: .unchanged
      case .excluded: .excluded
      case .heldBack: .heldBack
      }
  }
}
