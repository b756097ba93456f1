import ExportReading
import Foundation
import SyncDirectory
import SyncModel
import SyncPlanning

extension DirectoryStore {
  /// Applies a plan in one transaction: all of it or nothing. Refuses a
  /// held plan, a plan for another directory, and a stale plan (naming the
  /// records that changed since); another writer makes it `.locked`.
  public func apply(_ plan: Plan) throws -> ApplyOutcome {
    try apply(plan) { _, applying in try applying() }
  }

  /// `apply`, with `around` run inside the same transaction: it calls the
  /// apply it is given, and may check and record what goes with it (a held
  /// run marked approved), all or nothing with the changes.
  package func apply(
    _ plan: Plan, around: (any DirectoryTransaction, () throws -> ApplyOutcome) throws -> ApplyOutcome
  ) throws -> ApplyOutcome {
    if plan.isHeld { throw ApplyRefusal.held(plan.holds) }
    if plan.holdsIDChanges { throw ApplyRefusal.idChangesHeld(count: plan.summary.idChange) }
    // Emails proposed by the mapping and not accepted are never written.
    let plan = plan.holdingBackProposedEmails()
    do {
      return try write { directory in try around(directory) { try ApplyRules.apply(plan, in: directory) } }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    } catch let duplicate as DuplicateKey {
      // Rolled back: say which change took a key another account has.
      let problems = (try? read { directory in PlanVerification.explainDuplicateKey(plan, in: directory) }) ?? []
      throw ApplyRefusal.doesNotFit(
        problems.isEmpty ? ["the directory refused a change: \(duplicate.message)"] : problems)
    }
  }
}

/// The rules of applying a plan, on any store, inside its write
/// transaction: the plan must be for this directory and this state of it,
/// and fit it change by change; then every change is written and recorded
/// as one run.
enum ApplyRules {
  static func apply(_ plan: Plan, in directory: any DirectoryTransaction) throws -> ApplyOutcome {
    try checkFreshness(plan, in: directory)
    guard plan.hasChanges else { return .nothingToApply }
    var checked = plan
    checked.changes = try PhaseTimer.measure("verifying the plan") { try PlanVerification.verify(plan, in: directory) }
    return .applied(try PhaseTimer.measure("writing the changes") { try write(checked, in: directory) })
  }

  /// Refuses a plan made for another directory or another state of it.
  /// When the plan's state is one this directory has been in, the records
  /// stamped with a newer generation are exactly what changed since; when
  /// it never was (a restored backup, a file copied back), nothing can be
  /// listed and the message says so.
  static func checkFreshness(_ plan: Plan, in directory: any DirectoryReading) throws {
    let state = try directory.state()
    guard state.directoryID == plan.directoryID else {
      throw ApplyRefusal.otherDirectory(expected: plan.directoryID, found: state.directoryID)
    }
    guard state.token != plan.directoryToken else { return }
    guard let since = try directory.generation(ofState: plan.directoryToken) else {
      throw ApplyRefusal.replacedOrRestored
    }
    if let runID = try AlreadyDone.runApplying(plan, since: since, in: directory) {
      throw PlanAlreadyApplied(runID: runID)
    }
    let records = try directory.records(changedAfter: since)
    var changed = records.accounts.map { "account #\($0.id) (custom_id \($0.customID ?? "none"))" }
    changed += records.organizations.map { "organization #\($0.id) (\($0.name))" }
    // A plan is made under the settings of its state: one changed since
    // (thresholds, disable_missing) may have planned it otherwise.
    let runs = try directory.runs()
    for run in runs.reversed() where run.generation > since {
      let changing = run.revertsRun.flatMap { id in runs.first { $0.id == id } } ?? run
      // A protection made or removed since changes what may be changed.
      if changing.kind == .apply, let source = changing.exportPath, ProtectionRules.isProtectionSource(source) {
        changed.append(
          "protection change: " + String(source.dropFirst(ProtectionRules.sourcePrefix.count)) + " (run \(run.id)"
            + (run.kind == .revert ? ": revert of run \(changing.id))" : ")"))
        continue
      }
      // Fields marked local or unmarked since change what may be written.
      if changing.kind == .apply, let source = changing.exportPath, LocalFieldRules.isLocalFieldsSource(source) {
        changed.append(
          "local fields change: " + String(source.dropFirst(LocalFieldRules.sourcePrefix.count)) + " (run \(run.id)"
            + (run.kind == .revert ? ": revert of run \(changing.id))" : ")"))
        continue
      }
      guard let key = SettingsRules.settingKey(changedBy: changing) else { continue }
      changed.append(
        "setting \(key) (run \(run.id): " + (run.kind == .revert ? "revert of run \(changing.id)" : "changed") + ")")
    }
    if changed.isEmpty { changed.append("directory generation \(since) → \(state.generation)") }
    throw ApplyRefusal.stale(changes: changed)
  }

  /// How many creates or updates in a row, or change records, are written
  /// together.
  static let groupSize = 1024

  private static func write(_ plan: Plan, in directory: any DirectoryTransaction) throws -> RunRecord {
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let runID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .apply, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: plan.exportName, exportSHA256: plan.exportSHA256, revertsRun: nil, generation: generation,
        counts: [:], source: plan.options.sources.source))
    var counts: [String: Int] = [:]
    // Rows that needed nothing are counted as the plan counts them (SPEC §7).
    if plan.summary.unchanged > 0 { counts[RunRecord.unchangedRows] = plan.summary.unchanged }
    if plan.summary.skipped > 0 { counts[RunRecord.skippedRows] = plan.summary.skipped }
    for change in plan.organizationChanges {
      try directory.setExternalID(change.after, ofOrganization: change.organizationID)
      try directory.recordChanges(
        [
          RecordedChange(
            action: RecordedChange.organizationAction, organizationID: change.organizationID,
            before: change.before.map { [$0] }, after: [change.after])
        ], run: runID)
      counts[RecordedChange.organizationAction, default: 0] += 1
    }
    // Changes are written in the plan's order, and recorded in it: creates
    // in a row go in together, updates in a row too, records in groups
    // (the store batches all three).
    var creates: [PlannedChange] = []
    var updates: [PlannedChange] = []
    var records: [RecordedChange] = []
    // With a source: the accounts it wrote, to record it as their manager.
    var managed: [(id: Int64, customID: String)] = []
    let source = plan.options.sources.source
    func writeCreates() throws {
      guard !creates.isEmpty else { return }
      let ids = try directory.insertAccounts(
        creates.map { StoredAccount(organizationID: $0.organizationID, values: $0.after) })
      // Accepted generated emails are recorded as generated.
      try directory.markEmailsGenerated(
        accountIDs: zip(creates, ids).compactMap { $0.generatedEmail == .accepted ? $1 : nil })
      records += zip(creates, ids).map { record($0, accountID: $1) }
      if source != nil { managed += zip(creates, ids).map { ($1, $0.customID) } }
      creates.removeAll(keepingCapacity: true)
    }
    func writeUpdates() throws {
      guard !updates.isEmpty else { return }
      try directory.updateAccounts(
        updates.map {
          AccountUpdate(
            id: $0.accountID ?? 0, account: StoredAccount(organizationID: $0.organizationID, values: $0.after))
        })
      // After the update, which clears the mark of a changed email.
      try directory.markEmailsGenerated(
        accountIDs: updates.compactMap { $0.generatedEmail == .accepted ? $0.accountID ?? 0 : nil })
      records += updates.map { record($0, accountID: $0.accountID ?? 0) }
      if source != nil { managed += updates.map { ($0.accountID ?? 0, $0.customID) } }
      updates.removeAll(keepingCapacity: true)
    }
    func writeRecords() throws {
      try directory.recordChanges(records, run: runID)
      records.removeAll(keepingCapacity: true)
    }
    for change in plan.changes {
      counts[change.action.rawValue, default: 0] += 1
      if change.action == .create {
        try writeUpdates()
        creates.append(change)
        if creates.count == groupSize { try writeCreates() }
      } else {
        try writeCreates()
        updates.append(change)
        if updates.count == groupSize { try writeUpdates() }
      }
      if records.count >= groupSize { try writeRecords() }
    }
    try writeCreates()
    try writeUpdates()
    if let source {
      let declared = SourceDeclarations(parsing: try directory.settings()[SettingsRegistry.sourcesKey] ?? "none")
      records += try SourceRules.recordManager(
        source, of: managed, declared: declared ?? SourceDeclarations(), in: directory)
    }
    try writeRecords()
    try PendingDisableRules.write(plan, run: runID, in: directory, counts: &counts)
    let finishedAt = RunClock.now()
    try directory.finishRun(id: runID, finishedAt: finishedAt, counts: counts)
    return RunRecord(
      id: runID, kind: .apply, startedAt: startedAt, finishedAt: finishedAt, user: RunClock.user,
      host: RunClock.host, exportPath: plan.exportName, exportSHA256: plan.exportSHA256, revertsRun: nil,
      generation: generation, counts: counts, source: source)
  }

  private static func record(_ change: PlannedChange, accountID: Int64) -> RecordedChange {
    RecordedChange(
      action: change.action.rawValue, accountID: accountID, organizationID: change.organizationID,
      customID: change.customID, line: change.line, before: change.before?.values, after: change.after.values)
  }
}
