import SyncDirectory
import SyncModel
import SyncPlanning

/// The grace before disable in a committed run: the accounts a plan first
/// finds missing are recorded, the pending disables it ends are removed,
/// each as a change of the run (so `show` lists them and `revert` undoes
/// them); and what a revert puts back.
enum PendingDisableRules {
  /// The run's counts of pending disables recorded and cleared (as the
  /// run records them; `AlreadyDone` compares).
  static func counts(_ plan: Plan) -> [String: Int] {
    var counts: [String: Int] = [:]
    let new = plan.newPendingDisables.count
    if new > 0 { counts[RecordedChange.pendingDisableAction] = new }
    if !plan.clearedPendingDisables.isEmpty {
      counts[RecordedChange.clearPendingDisableAction] = plan.clearedPendingDisables.count
    }
    return counts
  }

  static func write(
    _ plan: Plan, run runID: Int64, in directory: any DirectoryTransaction, counts: inout [String: Int]
  ) throws {
    let new = plan.newPendingDisables
    let cleared = plan.clearedPendingDisables
    guard !new.isEmpty || !cleared.isEmpty else { return }
    try directory.removePendingDisables(accountIDs: cleared.map(\.record.accountID))
    try directory.addPendingDisables(
      new.map { PendingDisableRecord(accountID: $0.accountID, missingSince: $0.missingSince, runID: runID) })
    try directory.recordChanges(
      cleared.map {
        RecordedChange(
          action: RecordedChange.clearPendingDisableAction, accountID: $0.record.accountID, customID: $0.customID,
          before: [$0.record.missingSince, String($0.record.runID)], after: [])
      }
        + new.map {
          RecordedChange(
            action: RecordedChange.pendingDisableAction, accountID: $0.accountID, customID: $0.customID,
            before: nil, after: [$0.missingSince])
        }, run: runID)
    counts.merge(Self.counts(plan)) { $1 }
  }

  /// What reverting a pending disable change restores: a record the run
  /// made is removed while it is still that record; a record the run
  /// cleared is put back unless the account has another since. Nil: kept.
  static func decideRevert(
    _ change: RecordedChange, pending: [Int64: PendingDisableRecord]
  ) -> RevertRules.Restore? {
    guard let accountID = change.accountID else { return nil }
    if change.action == RecordedChange.pendingDisableAction {
      guard let current = pending[accountID], current.missingSince == change.after.first else { return nil }
      return .pendingDisable(accountID, nil)
    }
    guard pending[accountID] == nil, let before = change.before, before.count == 2, let runID = Int64(before[1])
    else { return nil }
    return .pendingDisable(accountID, PendingDisableRecord(accountID: accountID, missingSince: before[0], runID: runID))
  }
}
