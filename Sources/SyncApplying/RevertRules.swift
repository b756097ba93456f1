import ExportReading
import SyncDirectory
import SyncModel
import SyncPlanning

extension DirectoryStore {
  /// Undoes a run: each account it changed gets its earlier values back if
  /// nobody changed it since (else it is kept, and said so); an account it
  /// created is disabled. The revert is itself a run, written all or
  /// nothing; another writer makes it `ApplyRefusal.locked`.
  public func revert(runID: Int64) throws -> RevertResult {
    do {
      return try write { directory in try RevertRules.revert(runID: runID, in: directory, location: location) }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    }
  }
}

/// The rules of a revert, on any store, inside its write transaction.
enum RevertRules {
  static func revert(runID: Int64, in directory: any DirectoryTransaction, location: String) throws -> RevertResult {
    guard try directory.run(id: runID) != nil else {
      throw DirectoryError(path: location, reason: "there is no run \(runID); see 'sis-sync history'")
    }
    if let revertedBy = try AlreadyDone.revertStanding(of: runID, in: directory) {
      throw RunAlreadyReverted(runID: runID, revertedBy: revertedBy)
    }
    let original = try directory.changes(ofRun: runID)
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let revertRunID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .revert, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: nil, exportSHA256: nil, revertsRun: runID, generation: generation, counts: [:]))
    let organizations = try directory.organizations()
    var reverted: [RecordedChange] = []
    var kept: [RecordedChange] = []
    var failed: [RecordedChange] = []
    for change in original.reversed() {
      var outcome = change
      let restored: [String]?
      do {
        restored = try revertOne(change, in: directory, organizations: organizations)
      } catch {
        outcome.outcome = "failed: \(error)"
        failed.append(outcome)
        try directory.recordChanges([record(change, restored: nil, outcome: outcome.outcome!)], run: revertRunID)
        continue
      }
      if let restored {
        outcome.outcome = change.action == "create" ? "reverted (disabled; it did not exist before)" : "reverted"
        outcome.before = change.after
        outcome.after = restored
        reverted.append(outcome)
      } else {
        outcome.outcome = "kept (changed since)"
        kept.append(outcome)
      }
      try directory.recordChanges([record(change, restored: restored, outcome: outcome.outcome!)], run: revertRunID)
    }
    let counts = ["reverted": reverted.count, "kept": kept.count, "failed": failed.count]
    try directory.finishRun(id: revertRunID, finishedAt: RunClock.now(), counts: counts)
    let run = try directory.run(id: revertRunID)!
    return RevertResult(run: run, reverted: reverted, kept: kept, failed: failed)
  }

  /// Restores one change; returns the values written, or nil when the
  /// record changed since (kept). Throws when the restore is impossible
  /// (nothing of it is written then).
  private static func revertOne(
    _ change: RecordedChange, in directory: any DirectoryTransaction, organizations: [Organization]
  ) throws -> [String]? {
    if change.isOrganizationChange {
      guard let id = change.organizationID else { return nil }
      let current = try directory.organizations().first { $0.id == id }?.externalID
      guard current == change.after.first else { return nil }
      let before = change.before?.first
      try directory.setExternalID(before, ofOrganization: id)
      return [before ?? ""]
    }
    guard let accountID = change.accountID else { return nil }
    guard let current = try directory.account(id: accountID) else {
      throw DirectoryError(path: "", reason: "account #\(accountID) no longer exists")
    }
    // Kept if changed since: only an account exactly as the run left it
    // is restored.
    guard current.values.values == change.after else { return nil }
    var target = current
    if change.action == "create" {
      target.values[.status] = "Disabled"
    } else {
      guard let before = change.before, before.count == ExportColumn.count else { return nil }
      target.values = AccountValues(values: before)
      let reference = target.values[.schoolExternalID]
      if let organization = organizations.first(where: { $0.externalID == reference })
        ?? organizations.first(where: { $0.externalID == nil && $0.name == reference })
      {
        target.organizationID = organization.id
      }
    }
    try directory.updateAccount(id: accountID, to: target)
    return target.values.values
  }

  /// The revert's record of one change: the run's after-values as before,
  /// what was restored (if anything) as after.
  private static func record(_ change: RecordedChange, restored: [String]?, outcome: String) -> RecordedChange {
    RecordedChange(
      action: "revert_" + change.action, accountID: change.accountID, organizationID: change.organizationID,
      customID: change.customID, line: change.line, before: change.after, after: restored ?? [], outcome: outcome)
  }
}
