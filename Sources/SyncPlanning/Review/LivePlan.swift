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
  public init(validation: ValidationResult, directory: DirectorySnapshot, options: PlanOptions, exportSHA256: String) {
    self.validation = validation
    self.directory = directory
    // One time for the whole review: the days left do not move under the reviewer.
    var options = options
    if options.now == nil { options.now = RunClock.date() }
    self.options = options
    self.exportSHA256 = exportSHA256
    precondition(validation.table != nil || !validation.isUsable, "a live plan needs the export's rows")
    self.table = validation.table ?? ExportTable()
    protectionIndex = ProtectionIndex(options.protections, directory: directory)
    localFieldIndex = LocalFieldIndex(options.localFields, directory: directory)
    var noMissing = options
    noMissing.disableMissing = false
    noMissing.plansIDChanges = false
    let plan = Planner.plan(
      validation: validation, directory: directory, options: noMissing, exportSHA256: exportSHA256)
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

  // MARK: - Re-planning rows

  /// Re-validates and re-plans `rows` (whole custom_id groups, so duplicate
  /// checks among them are complete) and merges the result into the state.
  func replan(_ rows: [Int]) {
    guard !rows.isEmpty else { return }
    // What a re-read of the values cannot find again is kept from the first
    // reading; a row with such an error is not planned, as from scratch.
    let kept = rows.map(findingsKept(row:))
    let subset = subsetPlan(rows, withErrors: Set(kept.indices.filter { kept[$0].contains { $0.severity == .error } }))
    for (position, row) in rows.enumerated() {
      let line = table.line(ofRow: row)
      // Take back what the row contributed.
      count(state.outcomes[row], -1)
      if state.accountOfRow[row] >= 0 { state.presentCount[Int(state.accountOfRow[row])] -= 1 }
      if state.organizationOfRow[row] >= 0 { state.coveredCount[Int(state.organizationOfRow[row])] -= 1 }
      // And give the new.
      var outcome = subset.plan.rowOutcomes[position]
      var findings = kept[position]
      // A column a template could not spell (E053) is empty for that
      // reason; the re-read must not call it merely empty (E020).
      let unspelt = Set(kept[position].filter { $0.code == .notSpeltInASCII }.compactMap(\.column))
      for finding in subset.findingsByPosition[position] ?? [] where !Self.readTimeCodes.contains(finding.code) {
        if finding.code == .missingValue, let column = finding.column, unspelt.contains(column) { continue }
        var moved = finding
        moved.line = line
        // The subset is written in target column order; the file's own
        // header places the field elsewhere (or nowhere, for a constant).
        moved.field = finding.column.flatMap(ExportColumn.init(header:)).flatMap {
          validation.sourceFields[$0.rawValue]
        }
        moved.relatedLines = finding.relatedLines.map { subset.lines[$0 - 2] }.sorted()
        if finding.code == .duplicateCustomID {
          // The first lines of the group (this one and the listed others)
          // and the count, as the validator words it.
          let first = ([line] + moved.relatedLines).sorted().prefix(LineList.cap)
          moved.message = Finding.duplicateMessage(.customID, firstLines: Array(first), total: moved.relatedCount + 1)
        }
        findings.append(moved)
      }
      findings.sort(by: Finding.readingOrder)
      if findings.contains(where: { $0.severity == .error }) && outcome != .excluded { outcome = .error }
      state.outcomes[row] = outcome
      state.findings[row] = findings.isEmpty ? nil : findings
      // (A row whose email the mapping generated is no ID change, as from scratch.)
      state.possibleIDChanges[row] =
        outcome == subset.plan.rowOutcomes[position] && generatedEmail(row: row) == nil
        ? subset.possibleIDChanges[row] : nil
      if outcome != .error && outcome != .excluded, subset.plan.rowChanges[position] >= 0 {
        var change = subset.plan.changes[Int(subset.plan.rowChanges[position])]
        change.line = line
        if let generated = generatedEmail(row: row), change.after[.email] == generated {
          change.generatedEmail = decisions.acceptsGeneratedEmail(line: line) ? .accepted : .proposed
          findings.append(
            .generatedEmail(
              line: line, email: generated,
              field: validation.headers.firstIndex(of: ExportColumn.email.header).map { $0 + 1 }))
          findings.sort(by: Finding.readingOrder)
          state.findings[row] = findings
        }
        state.changes[row] = change
      } else {
        state.changes[row] = nil
      }
      state.heldBack[row] = nil
      if outcome == .heldBack,
        var held = subset.plan.heldBack.first(where: { $0.would.line == position + 2 })
      {
        held.would.line = line
        state.heldBack[row] = held
      }
      state.keptLocal[row] = nil
      if outcome == .unchanged, var kept = subset.plan.keptLocal.first(where: { $0.line == position + 2 }) {
        kept.line = line
        state.keptLocal[row] = kept
      }
      count(outcome, 1)
      let account = directory.account(customID: effectiveValue(row: row, column: .customID))
      state.accountOfRow[row] = account.map(Int32.init) ?? -1
      if let account { state.presentCount[account] += 1 }
      if account != nil { state.possibleIDChanges[row] = nil }
      let organization = organizationIndex(effectiveValue(row: row, column: .schoolExternalID))
      state.organizationOfRow[row] = organization.map(Int32.init) ?? -1
      if let organization { state.coveredCount[organization] += 1 }
    }
  }

  /// The row's findings from the first reading that still hold: those a
  /// re-read cannot see, unless their value was edited since.
  func findingsKept(row: Int) -> [Finding] {
    let edited = Set((state.overrides[row] ?? [:]).keys).union(
      decisions.buildingRemaps.isEmpty ? [] : [ExportColumn.schoolExternalID])
    return (base.findings[row] ?? []).filter { finding in
      Self.sourceCodes.contains(finding.code)
        || (Self.readTimeCodes.contains(finding.code) && !edited.contains { $0.header == finding.column })
    }
  }

  /// Codes found while reading the original bytes, which a re-read of the
  /// normalised values cannot see again (and email duplicates, which are
  /// file-wide and never change: emails are not edited in review).
  static let readTimeCodes = Set(FindingCode.allCases.filter { $0.origin == .reading }).union(sourceCodes)

  /// What the mapping said of the source row (a list cut to its first
  /// value, a row without its companion row): true whatever is decided.
  static let sourceCodes = Set(FindingCode.allCases.filter { $0.origin == .mapping })

  func organizationIndex(_ externalID: String) -> Int? {
    for (organizationID, decided) in decisions.organizationExternalIDs where decided == externalID {
      return directory.organizationIndex(id: organizationID)
    }
    return directory.organizationIndex(externalID: externalID)
  }

  func count(_ outcome: RowOutcome, _ delta: Int) {
    switch outcome {
    case .error: state.summary.rowsWithErrors += delta
    case .create: state.summary.create += delta
    case .update: state.summary.update += delta
    case .disable: state.summary.disable += delta
    case .reactivate: state.summary.reactivate += delta
    case .assignID: state.summary.assignID += delta
    case .idChange: state.summary.idChange += delta
    case .unchanged: state.summary.unchanged += delta
    case .skipped: state.summary.skipped += delta
    case .excluded: state.summary.excluded += delta
    case .heldBack: state.summary.heldBack += delta
    }
  }

  struct Subset {
    var plan: Plan
    var lines: [Int]
    var findingsByPosition: [Int: [Finding]]
    /// By row (not position).
    var possibleIDChanges: [Int: PossibleIDChange]
  }

  /// Validates and plans just `rows`, written out as a small export of
  /// their current values, with the decisions that concern them.
  func subsetPlan(_ rows: [Int], withErrors erroneous: Set<Int>) -> Subset {
    var text = ExportColumn.allCases.map(\.header).joined(separator: ",") + "\n"
    var lines: [Int] = []
    var subsetDecisions: [Decision] = []
    var excludedSubsetLines = Set<Int>()
    for (position, row) in rows.enumerated() {
      let line = table.line(ofRow: row)
      lines.append(line)
      text +=
        ExportColumn.allCases.map { column in
          // A generated email stays the one first planned for the row.
          if column == .email, let generated = generatedEmail(row: row) { return csvField(generated) }
          return csvField(effectiveValue(row: row, column: column))
        }
        .joined(separator: ",") + "\n"
      let subsetLine = position + 2
      if decisions.excludedLines.contains(line) {
        subsetDecisions.append(.exclude(line: subsetLine))
        excludedSubsetLines.insert(subsetLine)
      }
      if let account = decisions.assignments[line] {
        subsetDecisions.append(.assignID(line: subsetLine, accountID: account))
      }
    }
    for (organizationID, externalID) in decisions.organizationExternalIDs {
      subsetDecisions.append(.setOrganizationExternalID(organizationID: organizationID, externalID: externalID))
    }
    var known = directory.organizationExternalIDs
    known.formUnion(decisions.organizationExternalIDs.values)
    let subsetValidation =
      (try? ExportValidator.validate(
        source: MemoryByteSource(text), name: validation.exportName,
        options: ValidationOptions(
          directory: KnownOrganizations(organizationExternalIDs: known), keepsRows: true,
          // Excluded rows make no duplicate custom_id, as planning from scratch reads them.
          overrides: ValueOverrides(excludedLines: excludedSubsetLines))))
      ?? validation
    if let subsetTable = subsetValidation.table {
      for position in erroneous where !subsetTable.hasError(row: position) { subsetTable.markError(row: position) }
    }
    var noMissing = options
    noMissing.disableMissing = false
    noMissing.plansIDChanges = false
    noMissing.managedByOrganization = managedByOrganization
    let plan = Planner.plan(
      validation: subsetValidation, directory: directory, decisions: ReviewDecisions(subsetDecisions),
      options: noMissing, exportSHA256: exportSHA256)
    var byPosition: [Int: [Finding]] = [:]
    for finding in plan.findings where !Self.isAggregate(finding.code) {
      guard let line = finding.line, line >= 2, line - 2 < rows.count else { continue }
      byPosition[line - 2, default: []].append(finding)
    }
    var possible: [Int: PossibleIDChange] = [:]
    for var candidate in plan.possibleIDChanges {
      candidate.line = lines[candidate.position]
      candidate.position = rows[candidate.position]
      possible[candidate.position] = candidate
    }
    return Subset(plan: plan, lines: lines, findingsByPosition: byPosition, possibleIDChanges: possible)
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
    return PlanEnding(
      findings: findings,
      skippedLines: (0..<table.rowCount).filter { state.outcomes[$0] == .skipped }.map { table.line(ofRow: $0) },
      keptFindings: options.disableMissing ? keptAccounts().kept.findings : [], changes: changes, summary: summary,
      outcomes: (0..<table.rowCount).map(outcome(row:)), rowChanges: rowChanges,
      coveredFlags: state.coveredCount.map { $0 > 0 }, heldBack: heldBack, grace: graceCache,
      keptLocal: (0..<table.rowCount).compactMap { state.keptLocal[$0] }
    ).plan(
      validation: validation, directory: directory, decisions: decisions, options: options,
      exportSHA256: exportSHA256)
  }
}
