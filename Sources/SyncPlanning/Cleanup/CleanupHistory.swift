import SyncDirectory
import SyncModel

/// What the filter's history terms need from the directory's runs.
public struct CleanupHistory: Sendable, Equatable {
  /// Accounts changed since the `changed-before` date: runs are dated,
  /// records carry the generation of their last change, so the date is the
  /// generation of the last run that started before it.
  public var changedSinceCutoff: Set<Int64> = []
  /// Accounts some run applying an export changed (cleanup runs and
  /// imports are not exports).
  public var exportedAccounts: Set<Int64> = []

  public init(changedSinceCutoff: Set<Int64> = [], exportedAccounts: Set<Int64> = []) {
    self.changedSinceCutoff = changedSinceCutoff
    self.exportedAccounts = exportedAccounts
  }

  public static func read(for filter: CleanupFilter, from store: any DirectoryStore) throws -> CleanupHistory {
    try store.read { directory in
      var history = CleanupHistory()
      let runs = try directory.runs()
      if let date = filter.changedBefore {
        // ISO 8601 times sort as text; "2026-01-01T…" is not before "2026-01-01".
        let cutoff = runs.filter { $0.startedAt < date }.map(\.generation).max() ?? 0
        history.changedSinceCutoff = Set(try directory.records(changedAfter: cutoff).accounts.map(\.id))
      }
      if filter.neverExported {
        for run in runs
        where run.kind == .apply && run.exportSHA256 != nil && !CleanupPlan.isCleanupSource(run.exportPath) {
          for change in try directory.changes(ofRun: run.id) {
            if let id = change.accountID { history.exportedAccounts.insert(id) }
          }
        }
      }
      return history
    }
  }
}
