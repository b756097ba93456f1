import ExportReading
import SyncDirectory
import SyncModel
import SyncPlanning

/// A plan that was already applied: the first write after the state it was
/// made from is an apply of the same export with the same changes. Nothing
/// is written; applying it again is "nothing to do", not a stale plan.
public struct PlanAlreadyApplied: Error, Sendable, Equatable, CustomStringConvertible {
  public let runID: Int64

  public var description: String {
    "already applied as run \(runID); nothing to do (see it with 'sis-sync show \(runID)')"
  }
}

/// A run whose changes later reverts already undid (one whole revert, or
/// partial ones together; none of them itself reverted since): reverting
/// it again would record an empty run.
public struct RunAlreadyReverted: Error, Sendable, Equatable, CustomStringConvertible {
  public let runID: Int64
  public let revertedBy: Int64

  public var description: String { "run \(runID) was already reverted by run \(revertedBy); nothing to do" }
}

enum AlreadyDone {
  /// The run that applied `plan`, when the directory's first write after
  /// the plan's state (generation `since`) is an apply of the same export
  /// whose recorded counts are the plan's.
  static func runApplying(_ plan: Plan, since: Int64, in directory: any DirectoryReading) throws -> Int64? {
    guard let next = try directory.runs().filter({ $0.generation > since }).min(by: { $0.generation < $1.generation }),
      next.kind == .apply, next.exportSHA256 == plan.exportSHA256
    else { return nil }
    var planned: [String: Int] = [:]
    for change in plan.changes { planned[change.action.rawValue, default: 0] += 1 }
    if !plan.organizationChanges.isEmpty { planned[RecordedChange.organizationAction] = plan.organizationChanges.count }
    planned.merge(PendingDisableRules.counts(plan)) { $1 }
    let recorded = next.counts.filter { $0.key != RunRecord.unchangedRows && $0.key != RunRecord.skippedRows }
    return recorded == planned ? next.id : nil
  }

  /// The reverts of `runID` that still stand (not themselves reverted),
  /// whole or partial (`revert --only`).
  static func revertsStanding(of runID: Int64, in directory: any DirectoryReading) throws -> [Int64] {
    let runs = try directory.runs()
    let reverted = Set(runs.compactMap(\.revertsRun))
    return runs.filter { $0.kind == .revert && $0.revertsRun == runID && !reverted.contains($0.id) }.map(\.id)
  }
}
