import ExportReading
import SyncDirectory
import SyncModel

extension LivePlan {
  /// The first rows of an export as validation alone sees them, while the
  /// directory is still read (a million accounts from SQLite take longer
  /// than validating a whole export): rows with errors are errors, every
  /// other row waits for the directory and has no outcome to show yet.
  /// Nothing here depends on the accounts, so nothing shown can turn out
  /// wrong; only more errors (from planning) can come.
  public convenience init(
    awaitingDirectory validation: ValidationResult, state: DirectoryState, organizations: [Organization],
    options: PlanOptions
  ) {
    var options = options
    if options.now == nil { options.now = RunClock.date() }
    // The absent accounts need the directory and every row.
    options.disableMissing = false
    let noAccounts = DirectorySnapshot(
      state: state, organizations: organizations, accounts: RowStore(), accountIDs: [], accountOrganizations: [])
    let rowCount = validation.table?.rowCount ?? 0
    var outcomes = [RowOutcome](repeating: .skipped, count: rowCount)
    var summary = PlanSummary()
    for row in 0..<rowCount where validation.table?.hasError(row: row) == true {
      outcomes[row] = .error
      summary.rowsWithErrors += 1
    }
    let plan = Plan(
      exportName: validation.exportName, exportSHA256: "", mappingOrigin: validation.mappingOrigin,
      directoryID: state.directoryID, directoryGeneration: state.generation, directoryToken: state.token,
      options: options, decisions: [], changes: [], organizationChanges: [], summary: summary,
      managedAccountsInScope: 0, holds: [], findings: validation.findings, rowCount: rowCount,
      rowOutcomes: outcomes, rowChanges: [Int32](repeating: -1, count: rowCount))
    self.init(
      validation: validation, directory: noAccounts, options: options, exportSHA256: "", plan: plan, preview: true,
      awaitsDirectory: true)
  }
}
