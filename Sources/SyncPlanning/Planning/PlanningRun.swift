import Dispatch
import ExportReading
import SyncDirectory
import SyncModel

/// The state of one planning pass.
struct PlanningRun {
  let validation: ValidationResult
  let table: ExportTable
  let exportRows: UnsafeRows
  let directory: DirectorySnapshot
  let accountRows: UnsafeRows
  let decisions: ReviewDecisions
  /// Constant but for `managedByOrganization`, which may be counted on the
  /// other core meanwhile (`validateAndPlan`).
  var options: PlanOptions

  var changes: [PlannedChange] = []
  var summary = PlanSummary()
  var findings: [Finding] = []
  /// What disable-missing spared.
  var keptFindings: [Finding] = []
  var outcomes: [RowOutcome]
  var rowChanges: [Int32]
  /// Accounts whose custom_id appears on some row (valid or not): never
  /// disabled as missing.
  var present: [Bool]
  /// Organizations the export covers (by index in the snapshot).
  var coveredFlags: [Bool]
  var skippedLines: [Int] = []
  /// What protection held back.
  var heldBack: [HeldBackChange] = []
  /// The active protections, by snapshot index.
  let protectionIndex: ProtectionIndex
  /// Rows left unchanged because they differ only in local fields.
  var keptLocal: [KeptLocalFields] = []
  let localFieldIndex: LocalFieldIndex
  /// The rows that are not applied, when planned while reading (there is
  /// no table to find them in).
  var unappliedRows: [UnappliedRow]?
  /// Rows that name no account and could be an absent account's new ID.
  var possibleIDChanges: [PossibleIDChange] = []
  /// The name index over the accounts no row names, built ahead (nil: each
  /// matcher indexes its own candidates).
  var names: Background<PersonNameIndex>?
  /// What the grace before disable made of the missing accounts (nil
  /// until `planMissingAccounts`, and without disable-missing).
  var grace: GraceSplit?
  private lazy var hasExclusions = !decisions.excludedLines.isEmpty
  /// Organization index by external ID, including IDs set by decisions.
  let organizationByExternalID: [String: Int]

  init(
    validation: ValidationResult, table: ExportTable, exportRows: UnsafeRows, directory: DirectorySnapshot,
    accountRows: UnsafeRows, decisions: ReviewDecisions, options: PlanOptions
  ) {
    self.validation = validation
    self.table = table
    self.exportRows = exportRows
    self.directory = directory
    self.accountRows = accountRows
    self.decisions = decisions
    self.options = options
    outcomes = Array(repeating: .error, count: table.rowCount)
    rowChanges = Array(repeating: -1, count: table.rowCount)
    present = Array(repeating: false, count: directory.accountCount)
    coveredFlags = Array(repeating: false, count: directory.organizations.count)
    var byExternalID: [String: Int] = [:]
    for (index, organization) in directory.organizations.enumerated() {
      if let externalID = decisions.organizationExternalIDs[organization.id] ?? organization.externalID {
        byExternalID[externalID] = index
      }
    }
    organizationByExternalID = byExternalID
    findings = validation.findings
    protectionIndex = ProtectionIndex(options.protections, directory: directory)
    localFieldIndex = LocalFieldIndex(options.localFields, directory: directory)
  }

  mutating func planRows() {
    let (accounts, organizations, unchanged) = PhaseTimer.measure("matching rows to accounts") { resolveRows() }
    for row in 0..<table.rowCount {
      let account = accounts[row] >= 0 ? Int(accounts[row]) : nil
      if let account { present[account] = true }
      let organization = organizations[row] >= 0 ? Int(organizations[row]) : nil
      if let organization { coveredFlags[organization] = true }
      if unchanged[row] {
        outcomes[row] = .unchanged
        summary.unchanged += 1
        continue
      }
      let line = table.line(ofRow: row)
      // An excluded row is dealt with, errors or not.
      if hasExclusions && decisions.excludedLines.contains(line) {
        outcomes[row] = .excluded
        summary.excluded += 1
        continue
      }
      if table.hasError(row: row) {
        outcomes[row] = .error
        summary.rowsWithErrors += 1
        continue
      }
      guard let organization else {
        // Validation reports unknown buildings when given the directory.
        outcomes[row] = .error
        summary.rowsWithErrors += 1
        continue
      }
      planRow(row, line: line, account: account, organization: organization)
    }
  }

  /// Each row's account (by custom_id) and organization (by building ID),
  /// -1 for none, and whether the row is plainly unchanged (valid, included,
  /// equal to its account in every field). These are the random reads of
  /// planning; done on both cores, while the account's values are in cache.
  private func resolveRows() -> ([Int32], [Int32], [Bool]) {
    let count = table.rowCount
    var accounts = [Int32](repeating: -1, count: count)
    var organizations = [Int32](repeating: -1, count: count)
    var unchanged = [Bool](repeating: false, count: count)
    let parts = count < 50_000 ? 1 : 2
    // With a source, every row is asked who owns its account (E065), unchanged or not.
    let simple =
      decisions.excludedLines.isEmpty && decisions.organizationExternalIDs.isEmpty && !options.sources.isActive
    accounts.withUnsafeMutableBufferPointer { accountSlots in
      organizations.withUnsafeMutableBufferPointer { organizationSlots in
        unchanged.withUnsafeMutableBufferPointer { unchangedSlots in
          let output = UncheckedSendable((accountSlots, organizationSlots, unchangedSlots))
          let input = UncheckedSendable((exportRows, accountRows, directory, organizationByExternalID, table))
          DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (rows, accountRows, directory, byExternalID, table) = input.value
            let (accountSlots, organizationSlots, unchangedSlots) = output.value
            var lastBuilding: [UInt8] = []
            var lastOrganization: Int32 = -1
            for row in stride(from: part * count / parts, to: (part + 1) * count / parts, by: 1) {
              if let account = directory.account(customID: rows.bytes(row, .customID), rows: accountRows) {
                accountSlots[row] = Int32(account)
                if simple && !table.hasError(row: row) {
                  var equal = true
                  for column in ExportColumn.allCases
                  where !bytesEqual(rows.bytes(row, column), accountRows.bytes(account, column)) {
                    equal = false
                    break
                  }
                  unchangedSlots[row] = equal
                }
              }
              // Rows of one school often come together: reuse the last lookup.
              let building = rows.bytes(row, .schoolExternalID)
              if !building.elementsEqual(lastBuilding) {
                lastBuilding = Array(building)
                lastOrganization = byExternalID[String(decoding: building, as: UTF8.self)].map(Int32.init) ?? -1
              }
              organizationSlots[row] = lastOrganization
            }
          }
        }
      }
    }
    return (accounts, organizations, unchanged)
  }

  private mutating func planRow(_ row: Int, line: Int, account: Int?, organization: Int) {
    // A row without an email, for which the mapping's generate rule made one.
    var generated: (email: [UInt8], isNew: Bool)?
    if !validation.proposedEmails.isEmpty, let proposal = validation.proposedEmails[line],
      exportRows.bytes(row, .email).isEmpty
    {
      let (email, isNew) = emailGeneration.email(proposal: proposal, account: account)
      generated = (Array(email.utf8), isNew)
    }
    let (outcome, warning) = (generated?.email ?? []).withUnsafeBufferPointer { email in
      decider.decide(line: line, account: account, organization: organization) {
        generated != nil && $0 == .email ? email : exportRows.bytes(row, $0)
      }
    }
    if let warning { findings.append(warning) }
    switch outcome {
    case .unchanged:
      outcomes[row] = .unchanged
      summary.unchanged += 1
    case .skipped:
      outcomes[row] = .skipped
      summary.skipped += 1
      skippedLines.append(line)
    case .conflict(let finding, let newID, let owner):
      outcomes[row] = .error
      summary.rowsWithErrors += 1
      findings.append(finding)
      if let newID {
        possibleIDChanges.append(
          PossibleIDChange(
            position: row, line: line, organizationID: directory.organizations[organization].id, after: newID,
            emailOwner: owner))
      }
    case .heldBack(let held):
      outcomes[row] = .heldBack
      summary.heldBack += 1
      heldBack.append(held)
    case .otherSource(var finding):
      outcomes[row] = .error
      summary.rowsWithErrors += 1
      finding.field = validation.field(of: finding)
      findings.append(finding)
    case .keptLocal(let kept):
      outcomes[row] = .unchanged
      summary.unchanged += 1
      keptLocal.append(kept)
    case .change(var change):
      if let generated, generated.isNew {
        change.generatedEmail = decisions.acceptsGeneratedEmail(line: line) ? .accepted : .proposed
        findings.append(.generatedEmail(line: line, email: change.after[.email], field: decider.emailField))
      }
      if change.action == .create && change.generatedEmail == nil {
        possibleIDChanges.append(
          PossibleIDChange(
            position: row, line: line, organizationID: change.organizationID, after: change.after,
            emailOwner: nil))
      }
      rowChanges[row] = Int32(changes.count)
      outcomes[row] = RowOutcome(change.action)
      summary.add(change.action)
      changes.append(change)
    }
  }

  /// Re-keys the absent accounts that rows with new custom_ids are
  /// (`IDChanges`): the row's create (or email conflict) becomes the
  /// account's ID change, and the account is present (never disabled).
  mutating func planIDChanges() {
    guard !possibleIDChanges.isEmpty else { return }
    var absent: [Int] = []
    // A protected account is never re-keyed (it keeps its custom_id), nor
    // another source's.
    for account in 0..<directory.accountCount
    where !present[account] && directory.isManaged(account: account) && protectionIndex.account(account) == nil
      && options.sources.considers(account: account, in: directory)
    {
      absent.append(account)
    }
    let byExternalID = organizationByExternalID
    let found = IDChanges(
      rows: possibleIDChanges, absent: absent, directory: directory, decisions: decisions,
      localFields: localFieldIndex, names: names?.value, organizationIndex: { byExternalID[$0] })
    findings += found.findings
    guard !found.changes.isEmpty else { return }
    var convertedLines = Set<Int>()
    for (row, change) in found.changes {
      if outcomes[row] == .create { summary.create -= 1 } else { summary.rowsWithErrors -= 1 }
      summary.idChange += 1
      outcomes[row] = .idChange
      convertedLines.insert(change.line ?? 0)
    }
    for account in found.accounts { present[account] = true }
    findings.removeAll(whereCodeAndLine: { code, line in code == .emailConflict && convertedLines.contains(line ?? 0) })
    unappliedRows?.removeAll { convertedLines.contains($0.line) }
    // An ID change takes the place of its row's create where it is; a row
    // that was an email conflict (an error, no change) gets its ID change
    // put in file order. (Rebuilding the array of every change took fresh
    // memory, and each 4 KiB first written is a page fault.)
    var inserted: [(row: Int, change: PlannedChange)] = []
    for (row, change) in found.changes {
      if rowChanges[row] >= 0 {
        changes[Int(rowChanges[row])] = change
      } else {
        inserted.append((row, change))
      }
    }
    if !inserted.isEmpty { insertChanges(inserted.sorted { $0.row < $1.row }) }
  }

  /// Puts the changes of rows that had none into `changes`, in file order,
  /// in place: the array grows by their count and, from the end back to
  /// the first of those rows, each change moves back by the number of new
  /// ones after it. `inserted`: in row order. The rows' changes are in file
  /// order (as planned).
  private mutating func insertChanges(_ inserted: [(row: Int, change: PlannedChange)]) {
    guard let firstRow = inserted.first?.row else { return }
    // Room at the end, filled with copies of a new change: each is
    // overwritten below. (Moved through the buffer: an array's `swapAt`
    // copies, retaining every value of both changes.)
    changes.append(contentsOf: repeatElement(inserted[0].change, count: inserted.count))
    changes.withUnsafeMutableBufferPointer { changes in
      var write = changes.count - 1
      var next = inserted.count - 1
      for row in stride(from: rowChanges.count - 1, through: firstRow, by: -1) {
        if next >= 0, inserted[next].row == row {
          changes[write] = inserted[next].change
          next -= 1
        } else if rowChanges[row] >= 0 {
          let read = Int(rowChanges[row])
          precondition(read < write, "changes out of file order")
          changes.swapAt(write, read)
        } else {
          continue
        }
        rowChanges[row] = Int32(write)
        write -= 1
      }
    }
  }

  /// Made only when the mapping generates emails.
  private lazy var emailGeneration = EmailGeneration(
    directory: directory, exportRows: exportRows, rowCount: table.rowCount)

  private lazy var decider = RowDecider(
    directory: directory, accountRows: accountRows, decisions: decisions,
    emailField: validation.headers.firstIndex(of: ExportColumn.email.header).map { $0 + 1 },
    protections: protectionIndex, localFields: localFieldIndex, sources: options.sources)

  /// Rows with errors or excluded, with the values that say who they are.
  func unappliedRowsOfTable() -> [UnappliedRow] {
    var rows: [UnappliedRow] = []
    for row in 0..<table.rowCount where outcomes[row] == .error || outcomes[row] == .excluded {
      rows.append(
        UnappliedRow(
          line: table.line(ofRow: row), excluded: outcomes[row] == .excluded,
          person: PersonKeys { exportRows.string(row, $0) }))
    }
    return rows
  }

  /// The plan (once: the run's findings are moved into it).
  mutating func finish(exportSHA256: String, clusterGroups: Background<ClusterGroups>? = nil) -> Plan {
    // Without disable-missing, a pending disable still ends when its person is back.
    let present = present
    let grace =
      grace
      ?? GraceSplit(missing: [], directory: directory, options: options) { present[$0] }
    // (Moved: a copy left here made the ending's first new finding copy
    // every one of them.)
    var ending = PlanEnding(
      findings: moving(&findings, leaving: []), skippedLines: skippedLines, keptFindings: keptFindings,
      changes: changes, summary: summary, outcomes: outcomes, rowChanges: rowChanges, coveredFlags: coveredFlags,
      heldBack: heldBack, grace: grace,
      keptLocal: keptLocal, clusterGroups: clusterGroups)
    var plan = ending.plan(
      validation: validation, directory: directory, decisions: decisions, options: options,
      exportSHA256: exportSHA256)
    if !options.plansIDChanges { plan.possibleIDChanges = possibleIDChanges }
    return plan
  }
}

extension Character {
  var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension FindingCode {
  /// E065 and E066: the row is another source's.
  var isOtherSource: Bool { self == .otherSourceAccount || self == .otherSourceUserType }
}

extension ValidationResult {
  /// Where the finding's column is in the file (1-based), as the review
  /// screen's live plan places it; nil for a column the file does not have.
  func field(of finding: Finding) -> Int? {
    finding.column.flatMap(ExportColumn.init(header:)).flatMap { sourceFields[$0.rawValue] }
  }
}

extension PlanningRun {
  /// Gives up the run's large parts once its plan is made, to be freed on
  /// another core (`releaseOnAnotherCore`): freeing a million rows'
  /// outcomes, the possible ID changes and the name index here cost the
  /// plan's serial end tens of milliseconds. (The plan shares the changes
  /// and findings: for those it is one release less.)
  mutating func releaseLargeParts() {
    releaseOnAnotherCore(
      (
        moving(&outcomes, leaving: []), moving(&rowChanges, leaving: []), moving(&present, leaving: []),
        moving(&possibleIDChanges, leaving: []), moving(&unappliedRows, leaving: nil), moving(&names, leaving: nil),
        moving(&grace, leaving: nil), moving(&changes, leaving: []), moving(&findings, leaving: [])
      ))
  }
}
