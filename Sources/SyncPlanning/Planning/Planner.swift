import ExportReading
import SyncDirectory
import SyncModel

/// Computes the change set of SPEC §5: for each valid, included row, what
/// the directory needs (create, update, disable, reactivate, assign ID), and
/// on the directory side the accounts absent from the export (when
/// disable-missing is on), email conflicts, suggestions, thresholds and
/// probable broken exports.
public enum Planner {
  public static func plan(
    validation: ValidationResult, directory: DirectorySnapshot, decisions: ReviewDecisions = ReviewDecisions(),
    options: PlanOptions = PlanOptions(), exportSHA256: String
  ) -> Plan {
    let table = validation.table ?? ExportTable()
    // Planning reads values by pointer: both stores stay unchanged meanwhile.
    return table.rows.withUnsafeRows { exportRows in
      directory.accounts.withUnsafeRows { accountRows in
        var run = PlanningRun(
          validation: validation, table: table, exportRows: exportRows, directory: directory,
          accountRows: accountRows, decisions: decisions, options: options)
        PhaseTimer.measure("planning rows") { run.planRows() }
        if options.plansIDChanges { PhaseTimer.measure("planning ID changes") { run.planIDChanges() } }
        if options.disableMissing { PhaseTimer.measure("planning missing accounts") { run.planMissingAccounts() } }
        return PhaseTimer.measure("finishing the plan") { run.finish(exportSHA256: exportSHA256) }
      }
    }
  }
}

extension Planner {
  /// Validates the export and plans every row as it is read (no review
  /// decisions): for planning from scratch with the directory at hand, this
  /// saves keeping a table of every row and a second pass over them.
  /// `rowsRead` is called once every row is read, before the rest of the
  /// plan is made on one core; `coreFreed` (on its thread) as soon as one
  /// core has no part of the export left to read, when it is read in parts.
  static func validateAndPlan(
    file: RegularFile, validationOptions: ValidationOptions, directory: DirectorySnapshot, options: PlanOptions,
    coreFreed: @escaping @Sendable () -> Void = {}, rowsRead: () -> Void = {}
  ) throws -> (validation: ValidationResult, plan: Plan) {
    var byExternalID: [String: Int] = [:]
    for (index, organization) in directory.organizations.enumerated() {
      if let externalID = organization.externalID { byExternalID[externalID] = index }
    }
    let present = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(directory.accountCount, 1))
    let covered = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(directory.organizations.count, 1))
    present.initialize(repeating: false)
    covered.initialize(repeating: false)
    defer {
      present.deallocate()
      covered.deallocate()
    }
    let noDecisions = ReviewDecisions()
    let empty = ExportTable()
    return try directory.accounts.withUnsafeRows { accountRows in
      try empty.rows.withUnsafeRows { emptyRows in
        let decider = RowDecider(
          directory: directory, accountRows: accountRows, decisions: noDecisions, emailField: nil,
          protections: ProtectionIndex(options.protections, directory: directory),
          localFields: LocalFieldIndex(options.localFields, directory: directory), sources: options.sources)
        var readOptions = validationOptions
        readOptions.keepsRows = false
        var plannersMade = 0
        func read() throws -> (ValidationResult, [StreamingPlanner], [Bool]) {
          try ExportValidator.validate(
            file: file, options: readOptions,
            planner: {
              plannersMade += 1
              return StreamingPlanner(
                decider: decider, organizationByExternalID: byExternalID, present: present, covered: covered,
                collectsPeople: options.disableMissing)
            }, coreFreed: coreFreed)
        }
        var (validation, planners, rowHasError) = try read()
        if !planners.isEmpty && planners.count < plannersMade {
          // A part started inside a quoted value and was dropped: its
          // planner read text that is no row, and may have marked accounts
          // as named and organizations as covered (the flags are shared).
          // Rare: the file is read again in one pass, the flags cleared.
          present.update(repeating: false)
          covered.update(repeating: false)
          readOptions.parallelThreshold = .max
          (validation, planners, rowHasError) = try read()
        }
        for planner in planners { planner.finish() }
        rowsRead()
        // What the export covers is known once every row is read: W044's
        // groups are counted on the other core meanwhile.
        let coveredFlags = Array(covered.prefix(directory.organizations.count))
        let clusterGroups = Background { ClusterGroups(directory: directory, covered: coveredFlags) }
        // And the thresholds' scope (a walk over every account).
        let sources = options.sources
        let managed =
          options.managedByOrganization == nil
          ? Background { PlanThresholds.managedAccounts(directory, covered: coveredFlags, sources: sources) } : nil
        // So are the accounts no row names (`present` is final too): the
        // person matchers' name index is built over those of the covered
        // organizations meanwhile (a row's name is looked for in its own).
        let presentFlags = Array(present.prefix(directory.accountCount))
        var names =
          options.plansIDChanges || options.disableMissing
          ? Background {
            let organizations = directory.accountOrganizations
            return PersonNameIndex(
              directory: directory,
              pool: (0..<directory.accountCount).filter {
                !presentFlags[$0] && coveredFlags[Int(organizations[$0])] && directory.isManaged(account: $0)
              })
          } : nil
        // Each account no row names may become a disable, or an ID change.
        let absentAccounts =
          options.disableMissing || options.plansIDChanges ? presentFlags.count { !$0 } : 0
        var streamed = PhaseTimer.measure("joining the parts") {
          StreamedPlan(
            planners: validation.isUsable ? planners : [], rowHasError: rowHasError, roomForMore: absentAccounts)
        }
        var run = PlanningRun(
          validation: validation, table: empty, exportRows: emptyRows, directory: directory, accountRows: accountRows,
          decisions: noDecisions, options: options)
        let emailField = validation.headers.firstIndex(of: ExportColumn.email.header).map { $0 + 1 }
        run.outcomes = streamed.outcomes
        run.rowChanges = streamed.rowChanges
        run.changes = streamed.changes
        run.summary = streamed.summary
        run.findings =
          validation.findings
          + streamed.findings.map { finding in
            var finding = finding
            if finding.code == .emailConflict { finding.field = emailField }
            if finding.code.isOtherSource { finding.field = validation.field(of: finding) }
            return finding
          }
        run.skippedLines = streamed.skippedLines
        run.heldBack = streamed.heldBack
        run.keptLocal = streamed.keptLocal
        run.unappliedRows = streamed.unappliedRows
        run.possibleIDChanges = streamed.possibleIDChanges
        // The run is their only holder from here: the ID changes and the
        // missing accounts change them in place (while `streamed` shared
        // them, the first change copied a million outcomes, or every row's
        // change).
        // (What only the join held, and the planners' rows, are freed on
        // the other core: here they cost the plan's serial end 30 ms.)
        releaseOnAnotherCore(moving(&streamed, leaving: StreamedPlan(planners: [], rowHasError: [])))
        releaseOnAnotherCore(moving(&planners, leaving: []))
        run.present = presentFlags
        run.coveredFlags = coveredFlags
        run.names = moving(&names, leaving: nil)  // the run's, to free elsewhere
        // The accounts no row names are scanned on the other core while the
        // ID changes are planned (those re-key a few of them: dropped after).
        let missingScan = options.disableMissing ? run.startMissingAccountScan() : nil
        if options.plansIDChanges { PhaseTimer.measure("planning ID changes") { run.planIDChanges() } }
        if let missingScan {
          PhaseTimer.measure("planning missing accounts") { run.planMissingAccounts(scan: missingScan) }
        }
        if let managed { run.options.managedByOrganization = managed.take() }
        let plan = PhaseTimer.measure("finishing the plan") {
          run.finish(exportSHA256: "", clusterGroups: clusterGroups)
        }
        run.releaseLargeParts()
        return (validation, plan)
      }
    }
  }
}
