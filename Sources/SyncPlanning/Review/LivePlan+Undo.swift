import ExportReading
import SyncModel

/// Undo without replaying: each decision keeps what it overwrote (the
/// rows it re-planned, as they were, and the counts), so taking it back
/// costs what the decision touched, not the size of the export. The state
/// restored is the one the plan had before the decision, which the
/// equivalence tests compare with planning from scratch.
extension LivePlan {
  /// One row's part of the state, as it was before a decision.
  struct RowSnapshot {
    var row: Int
    var outcome: RowOutcome
    var change: PlannedChange?
    var heldBack: HeldBackChange?
    var keptLocal: KeptLocalFields?
    var findings: [Finding]?
    var account: Int32
    var organization: Int32
    var possibleIDChange: PossibleIDChange?
  }

  /// What a decision overwrote.
  struct UndoStep {
    var rows: [RowSnapshot] = []
    var summary: PlanSummary
    /// Edited values before the decision (shared storage unless it edited one).
    var overrides: [Int: [ExportColumn: String]]
    /// For an exclude or include: whether the line was excluded before.
    var wasExcluded = false
  }

  func snapshot(row: Int) -> RowSnapshot {
    RowSnapshot(
      row: row, outcome: state.outcomes[row], change: state.changes[row], heldBack: state.heldBack[row],
      keptLocal: state.keptLocal[row], findings: state.findings[row], account: state.accountOfRow[row],
      organization: state.organizationOfRow[row], possibleIDChange: state.possibleIDChanges[row])
  }

  /// Puts the row back as `saved` has it, keeping the per-account and
  /// per-organization counts in step (the summary is restored whole).
  func restore(_ saved: RowSnapshot) {
    let row = saved.row
    noteAcrossRows(before: snapshot(row: row), after: saved)
    if state.accountOfRow[row] >= 0 { state.presentCount[Int(state.accountOfRow[row])] -= 1 }
    if state.organizationOfRow[row] >= 0 { state.coveredCount[Int(state.organizationOfRow[row])] -= 1 }
    state.outcomes[row] = saved.outcome
    state.changes[row] = saved.change
    state.heldBack[row] = saved.heldBack
    state.keptLocal[row] = saved.keptLocal
    state.findings[row] = saved.findings
    state.accountOfRow[row] = saved.account
    state.organizationOfRow[row] = saved.organization
    state.possibleIDChanges[row] = saved.possibleIDChange
    if saved.account >= 0 { state.presentCount[Int(saved.account)] += 1 }
    if saved.organization >= 0 { state.coveredCount[Int(saved.organization)] += 1 }
  }

  /// Whether what the row changed feeds the whole-export work
  /// (`refreshAcrossRows`): the ID changes see possible ID changes and
  /// which accounts rows name; disable-missing also sees which
  /// organizations are covered and the unapplied rows that name no account.
  func noteAcrossRows(before: RowSnapshot, after: RowSnapshot) {
    let accountMoved = before.account != after.account
    if accountMoved || before.possibleIDChange != nil || after.possibleIDChange != nil {
      acrossRowsStale.idChanges = true
    }
    if accountMoved || before.organization != after.organization || before.account < 0 || after.account < 0 {
      acrossRowsStale.keptAccounts = true
    }
  }

  /// Takes back the last decision from its undo step; nil when it has none
  /// (then `undo()` replays the others).
  func undoFromStep() -> (decision: Decision, rows: [Int])? {
    guard let last = decisions.decisions.last, undoSteps.count == decisions.decisions.count,
      let step = undoSteps.popLast()
    else { return nil }
    // Restored newest first: a row saved twice ends as it was first.
    for saved in step.rows.reversed() { restore(saved) }
    state.summary = step.summary
    state.overrides = step.overrides
    switch last {
    case .exclude, .include:
      decisions.undoLastExclusion(wasExcluded: step.wasExcluded)
    case .editCustomID:
      decisions.undo()
      // The index of rows by custom_id is made again from the values as they are now.
      rowsByCustomID = nil
      rowsByCustomID = rowsByCustomIDIndex()
    case .setOrganizationExternalID:
      decisions.undo()
      acrossRowsStale = .all
    default:
      decisions.undo()
    }
    return (last, Array(Set(step.rows.map(\.row))).sorted())
  }
}

/// Which whole-export results a decision may have changed.
struct AcrossRowsStale {
  var idChanges: Bool
  var keptAccounts: Bool

  static let none = AcrossRowsStale(idChanges: false, keptAccounts: false)
  static let all = AcrossRowsStale(idChanges: true, keptAccounts: true)
}
