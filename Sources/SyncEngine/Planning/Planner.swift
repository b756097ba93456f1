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
    var run = PlanningRun(validation: validation, directory: directory, decisions: decisions, options: options)
    run.planRows()
    if options.disableMissing { run.planMissingAccounts() }
    run.flagClusters()
    return run.finish(exportSHA256: exportSHA256)
  }
}

/// The state of one planning pass.
struct PlanningRun {
  let validation: ValidationResult
  let table: ExportTable
  let directory: DirectorySnapshot
  let decisions: ReviewDecisions
  let options: PlanOptions

  var changes: [PlannedChange] = []
  var summary = PlanSummary()
  var findings: [Finding] = []
  var outcomes: [RowOutcome]
  var rowChanges: [Int32]
  /// Accounts whose custom_id appears on some row (valid or not): never
  /// disabled as missing.
  var present: [Bool]
  /// Organizations the export covers (by index in the snapshot).
  var covered: Set<Int> = []
  var skippedLines: [Int] = []
  /// Organization index by external ID, including IDs set by decisions.
  let organizationByExternalID: [String: Int]

  init(validation: ValidationResult, directory: DirectorySnapshot, decisions: ReviewDecisions, options: PlanOptions) {
    self.validation = validation
    self.table = validation.table ?? ExportTable()
    self.directory = directory
    self.decisions = decisions
    self.options = options
    outcomes = Array(repeating: .error, count: table.rowCount)
    rowChanges = Array(repeating: -1, count: table.rowCount)
    present = Array(repeating: false, count: directory.accountCount)
    var byExternalID: [String: Int] = [:]
    for (index, organization) in directory.organizations.enumerated() {
      if let externalID = decisions.organizationExternalIDs[organization.id] ?? organization.externalID {
        byExternalID[externalID] = index
      }
    }
    organizationByExternalID = byExternalID
    findings = validation.findings
  }

  mutating func planRows() {
    for row in 0..<table.rowCount {
      let line = table.line(ofRow: row)
      let account = table.withBytes(row: row, column: .customID) { directory.account(customID: $0) }
      if let account { present[account] = true }
      let building = table.value(row: row, column: .schoolExternalID)
      let organization = organizationByExternalID[building]
      if let organization { covered.insert(organization) }
      if table.hasError(row: row) {
        outcomes[row] = .error
        summary.rowsWithErrors += 1
        continue
      }
      if decisions.excludedLines.contains(line) {
        outcomes[row] = .excluded
        summary.excluded += 1
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
    if !skippedLines.isEmpty {
      findings.append(
        Finding(
          code: .nothingToDo, line: skippedLines[0],
          message: "\(skippedLines.count) Disabled \(skippedLines.count == 1 ? "row has" : "rows have") no account",
          relatedLines: Array(skippedLines.dropFirst().prefix(9))))
    }
  }

  private mutating func planRow(_ row: Int, line: Int, account: Int?, organization: Int) {
    let organizationID = directory.organizations[organization].id
    let emailOwner = table.withBytes(row: row, column: .email) { directory.account(email: $0) }
    // Most rows of a routine sync are unchanged: compare bytes, make no strings.
    if let account, emailOwner == nil || emailOwner == account, !hasDecidedReference(account),
      rowEqualsAccount(row, account)
    {
      outcomes[row] = .unchanged
      summary.unchanged += 1
      return
    }
    let after = AccountValues(values: ExportColumn.allCases.map { table.value(row: row, column: $0) })

    guard let account else {
      if let assigned = decisions.assignments[line], let target = directory.accountIDs.firstIndex(of: assigned),
        !directory.isManaged(account: target)
      {
        record(row, .assignID, line: line, account: target, organization: organizationID, after: after)
        return
      }
      if let owner = emailOwner {
        if directory.isManaged(account: owner) {
          conflict(row, line: line, after: after, owner: owner)
        } else {
          record(row, .assignID, line: line, account: owner, organization: organizationID, after: after)
        }
        return
      }
      if after[.status] == "Disabled" {
        outcomes[row] = .skipped
        summary.skipped += 1
        skippedLines.append(line)
        return
      }
      suggestLeadingZeros(row, line: line, customID: after[.customID])
      record(row, .create, line: line, account: nil, organization: organizationID, after: after)
      return
    }
    if let owner = emailOwner, owner != account {
      conflict(row, line: line, after: after, owner: owner)
      return
    }
    let before = accountValues(account)
    if before == after {
      outcomes[row] = .unchanged
      summary.unchanged += 1
      return
    }
    let action: ChangeAction =
      switch (before[.status], after[.status]) {
      case ("Active", "Disabled"): .disable
      case ("Disabled", "Active"): .reactivate
      default: .update
      }
    record(row, action, line: line, account: account, organization: organizationID, after: after)
  }

  private mutating func record(
    _ row: Int, _ action: ChangeAction, line: Int, account: Int?, organization: Int64, after: AccountValues
  ) {
    rowChanges[row] = Int32(changes.count)
    outcomes[row] =
      switch action {
      case .create: .create
      case .update: .update
      case .disable: .disable
      case .reactivate: .reactivate
      case .assignID: .assignID
      }
    summary.add(action)
    changes.append(
      PlannedChange(
        action: action, customID: after[.customID], line: line, accountID: account.map { directory.accountIDs[$0] },
        organizationID: organization, before: account.map { accountValues($0) }, after: after))
  }

  private mutating func conflict(_ row: Int, line: Int, after: AccountValues, owner: Int) {
    outcomes[row] = .error
    summary.rowsWithErrors += 1
    let ownerID = directory.accounts.value(row: owner, column: .customID)
    let rowID = after[.customID]
    // 4512 in the export, 004512 in the directory: a spreadsheet ate the zeros.
    let zerosLost =
      !rowID.isEmpty && rowID != ownerID && rowID.allSatisfy(\.isASCIIDigit)
      && ownerID.drop { $0 == "0" } == rowID.drop { $0 == "0" }
    findings.append(
      Finding(
        code: .emailConflict, line: line, column: ExportColumn.email.header,
        field: validation.headers.firstIndex(of: ExportColumn.email.header).map { $0 + 1 }, value: after[.email],
        message: "'\(after[.email])' belongs to the account with custom_id \(ownerID)",
        suggestion: zerosLost
          ? "custom_id \(rowID) is \(ownerID) without its leading zeros: use '\(ownerID)'"
          : "correct the email or the custom_id; the other account is not changed",
        suggestedValue: zerosLost ? ownerID : nil))
  }

  /// An account's values, with its organization's reference as decided in
  /// review (an organization that gets an external ID).
  func accountValues(_ account: Int) -> AccountValues {
    var values = directory.values(ofAccount: account)
    if let decided = decisions.organizationExternalIDs[directory.organization(ofAccount: account).id] {
      values[.schoolExternalID] = decided
    }
    return values
  }

  private func hasDecidedReference(_ account: Int) -> Bool {
    !decisions.organizationExternalIDs.isEmpty
      && decisions.organizationExternalIDs[directory.organization(ofAccount: account).id] != nil
  }

  private func rowEqualsAccount(_ row: Int, _ account: Int) -> Bool {
    for column in ExportColumn.allCases {
      let equal = table.withBytes(row: row, column: column) { rowValue in
        directory.accounts.withBytes(row: account, column: column) { accountValue in
          rowValue.count == accountValue.count
            && (rowValue.isEmpty || memcmpEqual(rowValue.baseAddress!, accountValue.baseAddress!, rowValue.count))
        }
      }
      if !equal { return false }
    }
    return true
  }

  /// A new custom_id that equals an existing one once leading zeros are
  /// restored (or removed) probably lost them in a spreadsheet.
  private mutating func suggestLeadingZeros(_ row: Int, line: Int, customID: String) {
    guard !customID.isEmpty, customID.allSatisfy(\.isASCIIDigit) else { return }
    let stripped = String(customID.drop { $0 == "0" })
    var candidates: [String] = []
    if stripped != customID && !stripped.isEmpty { candidates.append(stripped) }
    for width in (customID.count + 1)...max(customID.count + 1, 12) {
      candidates.append(String(repeating: "0", count: width - stripped.count) + stripped)
    }
    guard let match = candidates.first(where: { directory.account(customID: $0) != nil }) else { return }
    findings.append(
      Finding(
        code: .leadingZeros, line: line, column: ExportColumn.customID.header, value: customID,
        message: "custom_id \(customID) is new, but account \(match) exists",
        suggestion: "did you mean '\(match)'? (leading zeros differ)", suggestedValue: match))
  }

  /// Managed, active accounts of the covered organizations that no row
  /// names are disabled.
  mutating func planMissingAccounts() {
    for account in 0..<directory.accountCount where !present[account] {
      guard covered.contains(Int(directory.accountOrganizations[account])), directory.isManaged(account: account)
      else { continue }
      let before = accountValues(account)
      guard before[.status] == "Active" else { continue }
      var after = before
      after[.status] = "Disabled"
      summary.disable += 1
      changes.append(
        PlannedChange(
          action: .disable, customID: before[.customID], line: nil, accountID: directory.accountIDs[account],
          organizationID: directory.organization(ofAccount: account).id, before: before, after: after,
          reason: "absent from the export"))
    }
  }

  /// Managed accounts of the covered organizations (the base of shares).
  var managedAccountsInScope: Int {
    var count = 0
    for account in 0..<directory.accountCount
    where covered.contains(Int(directory.accountOrganizations[account])) && directory.isManaged(account: account) {
      count += 1
    }
    return count
  }

  /// Every active account of a school, of a grade within a school, or of a
  /// user type would be disabled: a probable broken export.
  mutating func flagClusters() {
    let disabled = Set(changes.filter { $0.action == .disable }.compactMap(\.accountID))
    guard disabled.count >= 5 else { return }
    var groups: [String: (active: Int, disabled: Int)] = [:]
    for account in 0..<directory.accountCount {
      let organizationIndex = Int(directory.accountOrganizations[account])
      guard covered.contains(organizationIndex), directory.isManaged(account: account) else { continue }
      let values = directory.values(ofAccount: account)
      guard values[.status] == "Active" else { continue }
      let isDisabled = disabled.contains(directory.accountIDs[account])
      let school = directory.organizations[organizationIndex].name
      var keys = ["all active accounts of \(school)", "all active \(values[.userType]) accounts"]
      if values[.userType] == "Student" { keys.append("all active grade \(values[.grade]) students of \(school)") }
      for key in keys {
        var group = groups[key] ?? (0, 0)
        group.active += 1
        if isDisabled { group.disabled += 1 }
        groups[key] = group
      }
    }
    for (key, group) in groups.sorted(by: { $0.key < $1.key }) where group.active >= 5 && group.disabled == group.active
    {
      findings.append(
        Finding(
          code: .probableBrokenExport, line: nil,
          message: "\(key) (\(group.active)) would be disabled",
          suggestion: "check that the export is complete before applying"))
    }
  }

  mutating func finish(exportSHA256: String) -> Plan {
    var organizationChanges: [OrganizationChange] = []
    for (organizationID, externalID) in decisions.organizationExternalIDs.sorted(by: { $0.key < $1.key }) {
      guard let index = directory.organizationIndex(id: organizationID) else { continue }
      let organization = directory.organizations[index]
      guard organization.externalID != externalID else { continue }
      organizationChanges.append(
        OrganizationChange(
          organizationID: organizationID, name: organization.name, before: organization.externalID, after: externalID))
    }
    summary.organizationExternalIDs = organizationChanges.count
    let scope = managedAccountsInScope
    let holds = ThresholdCheck.holds(summary: summary, scope: scope, thresholds: options.thresholds)
    let ordered = findings.enumerated().sorted { lhs, rhs in
      (lhs.element.line ?? 0, lhs.element.field ?? 0, lhs.offset) < (
        rhs.element.line ?? 0, rhs.element.field ?? 0, rhs.offset
      )
    }.map(\.element)
    return Plan(
      exportName: validation.exportName, exportSHA256: exportSHA256, mappingOrigin: validation.mappingOrigin,
      directoryID: directory.directoryID, directoryGeneration: directory.generation, options: options,
      decisions: decisions.decisions, changes: changes, organizationChanges: organizationChanges, summary: summary,
      managedAccountsInScope: scope, holds: holds, findings: ordered, rowCount: validation.rowCount,
      rowOutcomes: outcomes, rowChanges: rowChanges)
  }
}

extension Character {
  var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
