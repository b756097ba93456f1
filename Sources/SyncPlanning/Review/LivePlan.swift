import ExportReading
import SyncDirectory
import SyncModel

/// The plan of a review in progress, updated decision by decision: each
/// decision re-validates and re-plans only the rows it touches (the row
/// itself, rows sharing its old or new custom_id, rows of a remapped
/// building), and the accounts absent from the export are recounted from
/// per-account flags. The review screen and `plan --session` see the same
/// result as planning from scratch with the same decisions (tests compare).
public final class LivePlan {
  public let directory: DirectorySnapshot
  public let options: PlanOptions
  public let exportSHA256: String
  public let validation: ValidationResult
  public internal(set) var decisions = ReviewDecisions()
  /// The plan of the export's first rows only, while the whole is planned.
  public let isPreview: Bool
  /// A preview made before the directory was read: only the first rows'
  /// validation is known (`LivePlan(awaitingDirectory:)`); no row has an
  /// outcome but its errors.
  public let awaitsDirectory: Bool

  let table: ExportTable
  /// Findings on lines that are not rows (lines a mapping skipped, I045):
  /// no decision changes them, and the plan carries them.
  let lineFindings: [Finding]
  let base: State
  var state: State
  /// Rows by effective custom_id, built at the first edit of a custom_id
  /// or decision on a duplicate.
  var rowsByCustomID: [String: [Int]]?
  /// While a custom_id edit is applied: the rows that shared the row's old ID.
  var formerGroupMates: [Int] = []
  /// With disable-missing: the accounts it would disable and those it
  /// spares (their person is on a row that is not applied), worked out
  /// after each decision, so that reading the plan changes nothing.
  var keptCache: (candidates: [Int], kept: KeptAccounts)?
  /// The absent accounts protection keeps from disable-missing, as of the
  /// last decision.
  var heldBackMissing: [HeldBackChange] = []
  var heldBackMissingAccounts: [Int] = []
  let protectionIndex: ProtectionIndex
  /// Managed accounts of each organization, covered or not (the base of
  /// threshold shares): counted once, not at every decision.
  lazy var managedByOrganization = PlanThresholds.managedAccounts(
    directory, covered: Array(repeating: true, count: directory.organizations.count), sources: options.sources)
  /// Moves on whenever the whole-export results are worked out again
  /// (the review's lists of absent accounts compare it).
  public internal(set) var acrossRowsVersion = 0
  let localFieldIndex: LocalFieldIndex
  /// The grace before disable applied to the accounts disable-missing
  /// would disable, worked out with them.
  var graceCache = GraceSplit()
  /// What each decision overwrote, in the order of `decisions` (undo).
  var undoSteps: [UndoStep] = []
  /// Which whole-export results the decisions since the last refresh may
  /// have changed (`refreshAcrossRows` redoes only those).
  var acrossRowsStale = AcrossRowsStale.all

  /// Everything that changes with decisions.
  struct State {
    var outcomes: [RowOutcome]
    /// The row's change, if any.
    var changes: [Int: PlannedChange]
    /// What protection held back of the row's change, if anything.
    var heldBack: [Int: HeldBackChange] = [:]
    /// What the row's unchanged account kept of its local fields, if anything.
    var keptLocal: [Int: KeptLocalFields] = [:]
    /// Row findings (validation and planning), by row; rows without any are absent.
    var findings: [Int: [Finding]]
    /// Edited values, by row.
    var overrides: [Int: [ExportColumn: String]] = [:]
    var accountOfRow: [Int32]
    var organizationOfRow: [Int32]
    /// How many rows name each account / organization (any row, valid or not).
    var presentCount: [Int32]
    var coveredCount: [Int32]
    var summary: PlanSummary
    /// Rows that could be ID changes, as planned without them (creates and
    /// email conflicts of rows that name no account).
    var possibleIDChanges: [Int: PossibleIDChange] = [:]

    /// Gives the state storage of its own (a copy of what it shares).
    mutating func makeUnique() {
      outcomes.reserveCapacity(outcomes.count)
      changes.reserveCapacity(changes.count)
      heldBack.reserveCapacity(heldBack.count)
      keptLocal.reserveCapacity(keptLocal.count)
      findings.reserveCapacity(findings.count)
      accountOfRow.reserveCapacity(accountOfRow.count)
      organizationOfRow.reserveCapacity(organizationOfRow.count)
      presentCount.reserveCapacity(presentCount.count)
      coveredCount.reserveCapacity(coveredCount.count)
      possibleIDChanges.reserveCapacity(possibleIDChanges.count)
    }
  }

  /// The ID changes of the whole export, worked out after each decision
  /// (`IDChanges`); they overlay the rows' own plans: `state` keeps each
  /// row as planned without them.
  var idChanges = IDChanges()

  /// Plans from scratch (no decisions yet); `validation` must keep its rows
  /// (`PlanPipeline.Input(keepsRows: true)`) and have been made against this
  /// directory's organizations.
  /// `preview`: the plan of an export's first rows only (`ReviewPreview`):
  /// the ID changes, which need every row, are not worked out.
  public convenience init(
    validation: ValidationResult, directory: DirectorySnapshot, options: PlanOptions, exportSHA256: String,
    preview: Bool = false
  ) {
    // One time for the whole review: the days left do not move under the reviewer.
    var options = options
    if options.now == nil { options.now = RunClock.date() }
    var noMissing = options
    noMissing.disableMissing = false
    noMissing.plansIDChanges = false
    let plan = Planner.plan(
      validation: validation, directory: directory, options: noMissing, exportSHA256: exportSHA256)
    self.init(
      validation: validation, directory: directory, options: options, exportSHA256: exportSHA256, plan: plan,
      preview: preview, awaitsDirectory: false)
  }

  /// The live state of `plan`, made from `validation` against `directory`
  /// with `options` (whose `now` is set).
  init(
    validation: ValidationResult, directory: DirectorySnapshot, options: PlanOptions, exportSHA256: String,
    plan: Plan, preview: Bool, awaitsDirectory: Bool
  ) {
    self.validation = validation
    isPreview = preview
    self.awaitsDirectory = awaitsDirectory
    self.directory = directory
    self.options = options
    self.exportSHA256 = exportSHA256
    precondition(validation.table != nil || !validation.isUsable, "a live plan needs the export's rows")
    self.table = validation.table ?? ExportTable()
    protectionIndex = ProtectionIndex(options.protections, directory: directory)
    localFieldIndex = LocalFieldIndex(options.localFields, directory: directory)
    var changes: [Int: PlannedChange] = [:]
    for (row, index) in plan.rowChanges.enumerated() where index >= 0 { changes[row] = plan.changes[Int(index)] }
    var findings: [Int: [Finding]] = [:]
    var rowOfLine: [Int: Int] = [:]
    for row in 0..<table.rowCount { rowOfLine[table.line(ofRow: row)] = row }
    var lineFindings: [Finding] = []
    for finding in plan.findings where !Self.isAggregate(finding.code) {
      guard let line = finding.line, !finding.code.isFileLevel else { continue }
      if let row = rowOfLine[line] {
        findings[row, default: []].append(finding)
      } else {
        lineFindings.append(finding)
      }
    }
    self.lineFindings = lineFindings
    var accountOfRow = [Int32](repeating: -1, count: table.rowCount)
    var organizationOfRow = [Int32](repeating: -1, count: table.rowCount)
    var presentCount = [Int32](repeating: 0, count: directory.accountCount)
    var coveredCount = [Int32](repeating: 0, count: directory.organizations.count)
    for row in 0..<table.rowCount {
      if let account = table.withBytes(row: row, column: .customID, { directory.account(customID: $0) }) {
        accountOfRow[row] = Int32(account)
        presentCount[account] += 1
      }
      if let organization = directory.organizationIndex(externalID: table.value(row: row, column: .schoolExternalID)) {
        organizationOfRow[row] = Int32(organization)
        coveredCount[organization] += 1
      }
    }
    var summary = plan.summary
    summary.disable -= plan.changes.filter { $0.line == nil }.count
    var heldBack: [Int: HeldBackChange] = [:]
    for held in plan.heldBack {
      if let line = held.would.line, let row = rowOfLine[line] { heldBack[row] = held }
    }
    var keptLocal: [Int: KeptLocalFields] = [:]
    for kept in plan.keptLocal {
      if let row = rowOfLine[kept.line] { keptLocal[row] = kept }
    }
    base = State(
      outcomes: plan.rowOutcomes, changes: changes, heldBack: heldBack, keptLocal: keptLocal, findings: findings,
      accountOfRow: accountOfRow,
      organizationOfRow: organizationOfRow, presentCount: presentCount, coveredCount: coveredCount, summary: summary,
      possibleIDChanges: Dictionary(uniqueKeysWithValues: plan.possibleIDChanges.map { ($0.position, $0) }))
    state = base
    // The first decision must not pay for copying what it shares with `base`.
    state.makeUnique()
    refreshAcrossRows()
  }

  /// Findings that planning makes once for the whole plan, not per row.
  static func isAggregate(_ code: FindingCode) -> Bool {
    code.summarizesLines || code.isFileLevel
  }

  // MARK: - Decisions

  /// Applies a decision; returns the rows whose outcome was recomputed.
  @discardableResult
  public func apply(_ decision: Decision) -> [Int] {
    let rows = replay(decision)
    // Rows that became, or stopped being, ID changes because of other rows.
    let moved = refreshAcrossRows()
    return moved.isEmpty ? rows : Set(rows).union(moved).sorted()
  }

  func replay(_ decision: Decision) -> [Int] {
    var step = UndoStep(summary: state.summary, overrides: state.overrides)
    switch decision {
    case .exclude(let line), .include(let line): step.wasExcluded = decisions.excludedLines.contains(line)
    case .setOrganizationExternalID: acrossRowsStale = .all
    default: break
    }
    decisions.apply(decision)
    if case .editCustomID(let line, let value) = decision, let row = row(ofLine: line) {
      moveCustomID(ofRow: row, to: value)
    }
    if let accepted = acceptGeneratedEmails(decision, saving: &step) {
      undoSteps.append(step)
      return accepted
    }
    let rows = withTheirCustomIDGroups(rowsConcerned(by: decision))
    step.rows = rows.map(snapshot(row:))
    replan(rows)
    for saved in step.rows { noteAcrossRows(before: saved, after: snapshot(row: saved.row)) }
    undoSteps.append(step)
    return rows
  }

  /// Accepting proposed emails changes no outcome: the rows' changes are
  /// marked accepted in place (as planning from scratch marks them).
  func acceptGeneratedEmails(_ decision: Decision, saving step: inout UndoStep) -> [Int]? {
    let rows: [Int]
    switch decision {
    case .acceptGeneratedEmail(let line): rows = row(ofLine: line).map { [$0] } ?? []
    case .acceptAllGeneratedEmails: rows = state.changes.keys.sorted()
    default: return nil
    }
    let accepted = rows.filter { state.changes[$0]?.generatedEmail == .proposed }
    step.rows = accepted.map(snapshot(row:))
    for row in accepted { state.changes[row]?.generatedEmail = .accepted }
    return accepted
  }

  /// The email the mapping generated for the row when the plan was first
  /// made, if any (the row had none of its own).
  func generatedEmail(row: Int) -> String? {
    guard let change = base.changes[row], change.generatedEmail != nil,
      table.value(row: row, column: .email).isEmpty
    else { return nil }
    return change.after[.email]
  }

  /// Rows whose change carries an email the mapping proposes and nobody
  /// accepted yet.
  public var proposedEmailRows: [Int] {
    state.changes.compactMap { $0.value.generatedEmail == .proposed ? $0.key : nil }.sorted()
  }

  /// Removes the last decision, restoring what it overwrote.
  @discardableResult
  public func undo() -> Decision? { undoLast()?.decision }

  /// Removes the last decision; returns it with the rows whose outcome was
  /// recomputed (nil: possibly any, the others were replayed).
  public func undoLast() -> (decision: Decision, rows: [Int]?)? {
    if let (last, rows) = undoFromStep() {
      let moved = refreshAcrossRows()
      return (last, moved.isEmpty ? rows : Set(rows).union(moved).sorted())
    }
    guard let last = decisions.decisions.last else { return nil }
    replaceDecisions(with: Array(decisions.decisions.dropLast()))
    return (last, nil)
  }

  /// Starts over from the undecided plan with `decisions` (a recovered
  /// journal replacing the session's).
  public func replaceDecisions(with decisions: [Decision]) {
    state = base
    rowsByCustomID = nil
    self.decisions = ReviewDecisions()
    undoSteps = []
    acrossRowsStale = .all
    for decision in decisions { _ = replay(decision) }
    refreshAcrossRows()
  }

  func row(ofLine line: Int) -> Int? {
    // Lines ascend with rows: binary search.
    var low = 0
    var high = table.rowCount - 1
    while low <= high {
      let middle = (low + high) / 2
      let found = table.line(ofRow: middle)
      if found == line { return middle }
      if found < line { low = middle + 1 } else { high = middle - 1 }
    }
    return nil
  }

  /// The value as the export has it, before any decision.
  public func exportValue(row: Int, column: ExportColumn) -> String { table.value(row: row, column: column) }

  public func effectiveValue(row: Int, column: ExportColumn) -> String {
    if let value = state.overrides[row]?[column] { return value }
    let value = table.value(row: row, column: column)
    if column == .schoolExternalID, let remapped = decisions.buildingRemaps[value] { return remapped }
    if let mapped = decisions.valueMaps[column]?[value.lowercased()] { return mapped }
    return value
  }

  /// Gives the row its edited custom_id, keeping the index of rows by
  /// custom_id in step; the rows that shared the old ID are re-planned with
  /// the row's old group (`withTheirCustomIDGroups` adds the new one).
  func moveCustomID(ofRow row: Int, to value: String) {
    let old = effectiveValue(row: row, column: .customID)
    var index = rowsByCustomIDIndex()
    formerGroupMates = index[old]?.filter { $0 != row } ?? []
    index[old]?.removeAll { $0 == row }
    state.overrides[row, default: [:]][.customID] = value
    index[value, default: []].append(row)
    rowsByCustomID = index
  }

  /// The rows whose own values or decisions `decision` changes.
  func rowsConcerned(by decision: Decision) -> [Int] {
    switch decision {
    case .exclude(let line), .include(let line), .assignID(let line, _):
      return row(ofLine: line).map { [$0] } ?? []
    case .acceptGeneratedEmail, .acceptAllGeneratedEmails:
      return []  // Marked in place (acceptGeneratedEmails).
    case .excludeLines(let lines, _):
      return lines.compactMap(row(ofLine:))
    case .editCustomID(let line, _):
      defer { formerGroupMates = [] }
      return (row(ofLine: line).map { [$0] } ?? []) + formerGroupMates
    case .changeBuildingID(let line, let value):
      guard let row = row(ofLine: line) else { return [] }
      state.overrides[row, default: [:]][.schoolExternalID] = value
      return [row]
    case .remapBuildingID(let from, _):
      return (0..<table.rowCount).filter {
        state.overrides[$0]?[.schoolExternalID] == nil && table.value(row: $0, column: .schoolExternalID) == from
      }
    case .mapValue(let column, let from, _):
      let lowered = from.lowercased()
      return (0..<table.rowCount).filter {
        state.overrides[$0]?[column] == nil && table.value(row: $0, column: column).lowercased() == lowered
      }
    case .setOrganizationExternalID(let organizationID, let externalID):
      // Rows naming the new ID, and rows matched to the organization's accounts.
      guard let organization = directory.organizationIndex(id: organizationID) else { return [] }
      return (0..<table.rowCount).filter { row in
        effectiveValue(row: row, column: .schoolExternalID) == externalID
          || (state.accountOfRow[row] >= 0
            && Int(directory.accountOrganizations[Int(state.accountOfRow[row])]) == organization)
      }
    }
  }

  /// `rows` with every row sharing a custom_id with one of them: duplicate
  /// checks (E030) see a whole group or nothing. Rows with an empty
  /// custom_id are no group (an empty ID is its own error).
  func withTheirCustomIDGroups(_ rows: [Int]) -> [Int] {
    // Until a custom_id is edited, the groups are those the first reading
    // found (E030): no index of a million IDs is needed to exclude a row.
    let inGroups = rows.filter { row in
      rowsByCustomID != nil || base.findings[row]?.contains { $0.code == .duplicateCustomID } == true
    }
    guard !inGroups.isEmpty else { return Array(Set(rows)).sorted() }
    let index = rowsByCustomIDIndex()
    var all = Set(rows)
    var seen = Set<String>()
    for row in inGroups {
      let customID = effectiveValue(row: row, column: .customID)
      guard !customID.isEmpty, seen.insert(customID).inserted, let group = index[customID], group.count > 1 else {
        continue
      }
      all.formUnion(group)
    }
    return all.sorted()
  }

  func rowsByCustomIDIndex() -> [String: [Int]] {
    if let rowsByCustomID { return rowsByCustomID }
    var index: [String: [Int]] = [:]
    for row in 0..<table.rowCount { index[effectiveValue(row: row, column: .customID), default: []].append(row) }
    rowsByCustomID = index
    return index
  }

  // MARK: - The plan

  /// Row counts by outcome; disables of absent accounts are not in it
  /// (`missingAccountDisables()` lists them).
  public var summary: PlanSummary {
    var summary = state.summary
    for row in idChanges.changes.keys {
      if state.outcomes[row] == .create { summary.create -= 1 } else { summary.rowsWithErrors -= 1 }
      summary.idChange += 1
    }
    return summary
  }
  public var rowCount: Int { table.rowCount }
  public func line(ofRow row: Int) -> Int { table.line(ofRow: row) }
  /// The row that starts at `line`, if any.
  public func row(atLine line: Int) -> Int? { row(ofLine: line) }

  /// The row's findings, with its ambiguous ID change (W059) and the
  /// account it keeps from disable-missing.
  public func findings(row: Int) -> [Finding] {
    let own = ownFindings(row: row)
    let outcome = outcome(row: row)
    guard options.disableMissing, outcome == .error || outcome == .excluded else { return own }
    let line = table.line(ofRow: row)
    return own + keptAccounts().kept.findings.filter { $0.line == line }
  }

  /// The row's findings without the accounts disable-missing keeps: an ID
  /// change resolves the row's email conflict.
  func ownFindings(row: Int) -> [Finding] {
    var own = state.findings[row] ?? []
    if idChanges.changes[row] != nil { own.removeAll { $0.code == .emailConflict } }
    if !idChanges.findings.isEmpty {
      let line = table.line(ofRow: row)
      own += idChanges.findings.filter { $0.line == line }
    }
    return own
  }

  /// The whole plan as planning from scratch with the same decisions gives
  /// it: row changes in file order, then the accounts absent from the export.
  public func plan() -> Plan {
    var changes: [PlannedChange] = []
    var rowChanges = [Int32](repeating: -1, count: table.rowCount)
    for row in 0..<table.rowCount {
      guard let change = change(row: row) else { continue }
      rowChanges[row] = Int32(changes.count)
      changes.append(change)
    }
    var summary = summary
    for account in missingAccountDisables() {
      guard let change = PlanAssembly.missingAccountDisable(account, directory, decisions) else { continue }
      summary.disable += 1
      changes.append(change)
    }
    var heldBack = (0..<table.rowCount).compactMap { state.heldBack[$0] }
    heldBack += heldBackMissing
    summary.heldBack += heldBackMissing.count
    var findings = validation.findings.filter { Self.isAggregate($0.code) && $0.code != .nothingToDo }
    for row in 0..<table.rowCount { findings += ownFindings(row: row) }
    findings += lineFindings
    var ending = PlanEnding(
      findings: findings,
      skippedLines: (0..<table.rowCount).filter { state.outcomes[$0] == .skipped }.map { table.line(ofRow: $0) },
      keptFindings: options.disableMissing ? keptAccounts().kept.findings : [], changes: changes, summary: summary,
      outcomes: (0..<table.rowCount).map(outcome(row:)), rowChanges: rowChanges,
      coveredFlags: state.coveredCount.map { $0 > 0 }, heldBack: heldBack, grace: graceCache,
      keptLocal: (0..<table.rowCount).compactMap { state.keptLocal[$0] })
    return ending.plan(
      validation: validation, directory: directory, decisions: decisions, options: options,
      exportSHA256: exportSHA256)
  }
}
