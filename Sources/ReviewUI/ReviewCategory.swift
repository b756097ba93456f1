import SyncEngine
import TextScreen

/// The categories of the left pane (SPEC §8), in order: keys 1–9 and 0
/// jump to the first ten.
public enum ReviewCategory: Int, CaseIterable, Sendable {
  case errors, creates, updates, disables, pendingDisables, reactivations, idFixes, unchanged, excluded

  public var title: String {
    switch self {
    case .errors: "Errors"
    case .creates: "Creates"
    case .updates: "Updates"
    case .disables: "Disables"
    case .pendingDisables: "Pending disables"
    case .reactivations: "Reactivations"
    case .idFixes: "ID fixes"
    case .unchanged: "Unchanged"
    case .excluded: "Excluded"
    }
  }

  /// The key that selects it.
  public var digit: Character? {
    let digits = Array("1234567890")
    return rawValue < digits.count ? digits[rawValue] : nil
  }

  public var tone: Style.Tone {
    switch self {
    case .errors: .error
    case .creates: .addition
    case .updates, .reactivations, .idFixes, .pendingDisables: .change
    case .disables: .removal
    case .unchanged, .excluded: .muted
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
      case .unchanged, .skipped: .unchanged
      case .excluded: .excluded
      }
  }
}
