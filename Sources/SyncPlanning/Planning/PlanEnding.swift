import ExportReading
import SyncDirectory
import SyncModel

/// The one place a plan is finished, for all three ways of planning:
/// `Planner.plan` (from a table of rows), `Planner.validateAndPlan` (while
/// the export is read) and `LivePlan` (decision by decision). Here the
/// plan-level findings are made — one note for the Disabled rows without an
/// account, the accounts kept from disable-missing, the clusters (W044) —
/// and the organization changes, the scope of shares, the threshold holds
/// and the reading order. The three differ only in how they decide rows.
struct PlanEnding {
  /// Validation's findings and the rows' planning findings.
  var findings: [Finding]
  /// Disabled rows that name no account (one I049 note for all).
  var skippedLines: [Int]
  /// What disable-missing spared (`KeptAccounts.findings`).
  var keptFindings: [Finding] = []
  var changes: [PlannedChange]
  var summary: PlanSummary
  var outcomes: [RowOutcome]
  var rowChanges: [Int32]
  /// Organizations some row names, by index in the snapshot.
  var coveredFlags: [Bool]
  /// What protection held back (rows, then absent accounts).
  var heldBack: [HeldBackChange] = []
  /// The pending disables (`GraceSplit`; its disables are in `changes`).
  var grace: GraceSplit
  /// Rows left unchanged because they differ only in local fields.
  var keptLocal: [KeptLocalFields] = []
  /// W044's groups counted ahead (`ClusterGroups`), or nil to count them here.
  var clusterGroups: Background<ClusterGroups>?

  /// The plan (once: its findings are moved into the plan, not copied).
  mutating func plan(
    validation: ValidationResult, directory: DirectorySnapshot, decisions: ReviewDecisions, options: PlanOptions,
    exportSHA256: String
  ) -> Plan {
    var findings: [Finding] = []
    swap(&findings, &self.findings)
    if let note = PlanAssembly.nothingToDo(lines: skippedLines) { findings.append(note) }
    findings += keptFindings
    findings += ProtectionIndex.expiryNotes(options.protections, directory: directory)
    findings += PhaseTimer.measure("flagging clusters") {
      ClusterCheck.findings(
        disabledAccountIDs: Self.disabledAccountIDs(changes),
        directory: directory, covered: coveredFlags, groups: clusterGroups?.value)
    }
    var summary = summary
    let organizationChanges = PlanAssembly.organizationChanges(decisions, directory)
    summary.organizationExternalIDs = organizationChanges.count
    let judgement = PlanThresholds.judge(
      changes: changes, summary: summary, covered: coveredFlags, directory: directory, options: options,
      managedByOrganization: options.managedByOrganization)
    let (scope, holds) = (judgement.scope, judgement.holds)
    if let rollover = judgement.rollover { findings += RolloverFindings.findings(rollover) }
    findings += RolloverFindings.unknownSchools(options, directory: directory)
    findings.putInReadingOrder()
    var plan = Plan(
      exportName: validation.exportName, exportSHA256: exportSHA256, mappingOrigin: validation.mappingOrigin,
      directoryID: directory.directoryID, directoryGeneration: directory.generation,
      directoryToken: directory.state.token, options: options,
      decisions: decisions.decisions, changes: changes, organizationChanges: organizationChanges, summary: summary,
      managedAccountsInScope: scope, holds: holds, findings: findings,
      rowCount: validation.rowCount, rowOutcomes: outcomes, rowChanges: rowChanges,
      pendingDisables: grace.pending, clearedPendingDisables: grace.cleared)
    plan.heldBack = heldBack
    plan.keptLocal = keptLocal
    plan.rollover = judgement.rollover
    return plan
  }

  /// The accounts the changes disable, read in place (a filter over the
  /// changes copied each one, strings and all).
  private static func disabledAccountIDs(_ changes: [PlannedChange]) -> [Int64] {
    changes.withUnsafeBufferPointer { changes in
      var ids: [Int64] = []
      for index in changes.indices where changes[index].action == .disable {
        if let id = changes[index].accountID { ids.append(id) }
      }
      return ids
    }
  }

  /// Managed accounts of the covered organizations (with a source, that
  /// source's only: HR's 10% is of HR's accounts): the base of the
  /// thresholds' shares.
  static func managedAccountsInScope(_ directory: DirectorySnapshot, covered: [Bool], sources: PlanSources) -> Int {
    PlanThresholds.managedAccounts(directory, covered: covered, sources: sources).reduce(0, +)
  }
}
