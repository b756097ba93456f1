import SyncEngine
import TextScreen

/// The categories of the left pane (SPEC §8), in order: keys 1–9 and 0
/// jump to the first ten.
public enum ReviewCategory: Int, CaseIterable, Sendable {
  case errors, creates, updates, idChanges, disables, reactivations, idFixes, heldBack, unchanged, excluded

  public var title: String {
    switch self {
    case .errors: "Errors"
    case .creates: "Creates"
    case .updates: "Updates"
    case .idChanges: "ID changes"
    case .disables: "Disables"
    case .reactivations: "Reactivations"
    case .idFixes: "ID fixes"
    case .heldBack: "Held back"
    case .unchanged: "Unchanged"
    case .excluded: "Excluded"
    }
  }

  /// The key that selects it: 1–9, then 0 for the tenth.
  public var digit: Character { Character(String((rawValue + 1) % 10)) }

  public var tone: Style.Tone {
    switch self {
    case .errors: .error
    case .creates: .addition
    case .updates, .idChanges, .reactivations, .idFixes: .change
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
