import ExportReading
import SyncDirectory
import SyncModel

/// Plans rows while the export is read, one planner per part read, so
/// that planning from scratch needs neither a table of every row nor a
/// second pass over a million rows. Rows are decided by the same
/// `RowDecider` as `Planner`; rows that turn out to be duplicates (known
/// only at the end) are taken back by `StreamedPlan.merge`.
final class StreamingPlanner: RowPlanner {
  let decider: RowDecider
  private let directory: DirectorySnapshot
  private let organizations: SmallKeyMap
  /// Shared by the planners of all parts: an account named by any row,
  /// an organization named by any row. (Both threads only ever set flags.)
  let present: UnsafeMutableBufferPointer<Bool>
  let covered: UnsafeMutableBufferPointer<Bool>

  private(set) var outcomes: [RowOutcome] = []
  private(set) var rowChanges: [Int32] = []
  private(set) var changes: [PlannedChange] = []
  /// What protection held back, by position in `outcomes`.
  private(set) var heldBack: [Int: HeldBackChange] = [:]
  /// Rows left unchanged for their local fields, by position in `outcomes`.
  private(set) var keptLocal: [Int: KeptLocalFields] = [:]
  private(set) var findings: [Finding] = []
  private(set) var lines: [Int] = []
  /// With disable-missing: who the rows are that name no account by
  /// custom_id and are not applied (errors) or may yet turn out not to be
  /// (skipped rows that prove duplicates), by position in `outcomes`.
  /// Creates and ID assignments keep their values in their change.
  let collectsPeople: Bool
  private(set) var people: [(position: Int, person: PersonKeys)] = []
  /// Email conflicts of rows that name no account, by position in
  /// `outcomes`: they may be an absent account's ID change.
  private(set) var conflicts: [PossibleIDChange] = []
  private let batch = RowBatch(capacity: 32)

  init(
    decider: RowDecider, organizationByExternalID: [String: Int], present: UnsafeMutableBufferPointer<Bool>,
    covered: UnsafeMutableBufferPointer<Bool>, collectsPeople: Bool = false
  ) {
    self.decider = decider
    self.directory = decider.directory
    self.organizations = SmallKeyMap(organizationByExternalID)
    self.present = present
    self.covered = covered
    self.collectsPeople = collectsPeople
  }

  /// Room for `count` rows' outcomes and changes: reserved, not written,
  /// it costs no memory, and the arrays are not regrown (each regrowth
  /// copied them into new memory: 30 MB of it at a million rows), and
  /// the room is in huge pages.
  func expectRows(_ count: Int) {
    outcomes.reserveCapacityInHugePages(count)
    rowChanges.reserveCapacityInHugePages(count)
    lines.reserveCapacityInHugePages(count)
    changes.reserveCapacityInHugePages(count)
  }

  /// A later part numbered its lines from 1.
  func shiftLines(by delta: Int) {
    finish()
    for index in lines.indices { lines[index] += delta }
    for index in findings.indices { findings[index].line = findings[index].line.map { $0 + delta } }
    for index in changes.indices { changes[index].line = changes[index].line.map { $0 + delta } }
    for index in conflicts.indices { conflicts[index].line += delta }
    heldBack = heldBack.mapValues { held in
      var held = held
      held.would.line = held.would.line.map { $0 + delta }
      return held
    }
    keptLocal = keptLocal.mapValues { kept in
      var kept = kept
      kept.line += delta
      return kept
    }
  }

  /// Called for each row in order, with its final values: planned a
  /// batch at a time (`RowBatch`).
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer,
    lookups: RowLookups
  ) {
    batch.append(line: line, values: values, hasError: hasError, lent: lent, lookups: lookups)
    if batch.isFull { planBatch() }
  }

  /// Validation looks each row's building up in these, for both.
  var organizationKeys: SmallKeyMap? { organizations }

  /// The batch's rows are planned before the reader reuses the bytes they
  /// point into.
  func lentBytesWillChange() {
    planBatch()
  }

  /// Plans the rows still held in the batch: at the end of the part, and
  /// before its lines are renumbered.
  func finish() {
    planBatch()
  }

  /// Lends the changes to `StreamedPlan`, which moves them out (`take`):
  /// the planner is done with them.
  func movingChanges<Result>(_ body: (UnsafeMutableBufferPointer<PlannedChange>) -> Result) -> Result {
    changes.withUnsafeMutableBufferPointer { body($0) }
  }

  /// Gives `StreamedPlan` the planner's outcomes, row changes and changes
  /// (the planner keeps none): the first planner's become the plan's.
  func takeRows() -> (outcomes: [RowOutcome], rowChanges: [Int32], changes: [PlannedChange]) {
    defer {
      outcomes = []
      rowChanges = []
      changes = []
    }
    return (outcomes, rowChanges, changes)
  }

  /// First every row's lookup is asked for, then each row's account (whose
  /// values are asked for in turn), then the rows are planned in order.
  private func planBatch() {
    guard batch.count > 0 else { return }
    let customID = ExportColumn.customID.rawValue
    let accountRows = decider.accountRows
    batch.withValues { rows in
      // Each custom_id hashed once, for asking and for looking up.
      // (Validation hashed most already, as the index does: `RowLookups`.)
      let hashes = rows.indices.map { row in
        let values = rows[row]
        guard values.count > customID, !values[customID].isEmpty else { return UInt32?.none }
        return batch.lookups(ofRow: row).customIDHash ?? directory.customIDHash(values[customID])
      }
      for case let hash? in hashes { directory.prefetchAccount(customIDHash: hash) }
      let accounts = zip(rows, hashes).map { values, hash in
        hash.flatMap { directory.account(customID: values[customID], hash: $0, rows: accountRows) }
      }
      for case let account? in accounts { accountRows.prefetchValues(of: account) }
      for (row, values) in rows.enumerated() {
        plan(
          line: batch.line(ofRow: row), values: values, hasError: batch.hasError(row: row), account: accounts[row],
          organization: batch.lookups(ofRow: row).organization)
      }
    }
    batch.removeAll()
  }

  /// `found`: what validation found for the row's building in
  /// `organizationKeys` (-1: none), nil when it did not look.
  private func plan(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, account: Int?,
    organization found: Int?
  ) {
    lines.append(line)
    rowChanges.append(-1)
    if let account { present[account] = true }
    let organization = found ?? organizations.find(values[ExportColumn.schoolExternalID.rawValue]) ?? -1
    // All parts' planners share these flags: a flag already set is not
    // written again, or every row would take the cache line from the
    // other core.
    if organization >= 0, !covered[organization] { covered[organization] = true }
    // Rows that name an account are present already: only the others need
    // to be matched to a person.
    func rememberPerson() {
      guard collectsPeople, account == nil else { return }
      people.append((outcomes.count - 1, PersonKeys { String(decoding: values[$0.rawValue], as: UTF8.self) }))
    }
    guard !hasError, organization >= 0 else {
      outcomes.append(.error)
      rememberPerson()
      return
    }
    // The row of a routine sync: its account holds every value already.
    // (`decide` would say the same after more work; another source's
    // account is left to it, which checks ownership first.)
    if let account, !decider.sources.isActive, values.count == ExportColumn.count,
      decider.accountRows.holds(values, row: account)
    {
      outcomes.append(.unchanged)
      return
    }
    let (outcome, warning) = decider.decide(line: line, account: account, organization: organization) {
      values[$0.rawValue]
    }
    if let warning { findings.append(warning) }
    switch outcome {
    case .unchanged: outcomes.append(.unchanged)
    case .skipped:
      outcomes.append(.skipped)
      rememberPerson()
    case .conflict(let finding, let newID, let owner):
      outcomes.append(.error)
      findings.append(finding)
      rememberPerson()
      if let newID {
        conflicts.append(
          PossibleIDChange(
            position: outcomes.count - 1, line: line, organizationID: directory.organizations[organization].id,
            after: newID, emailOwner: owner))
      }
    case .heldBack(let held):
      heldBack[outcomes.count] = held
      outcomes.append(.heldBack)
    case .otherSource(let finding):
      outcomes.append(.error)
      findings.append(finding)
      rememberPerson()
    case .keptLocal(let kept):
      keptLocal[outcomes.count] = kept
      outcomes.append(.unchanged)
    case .change(let change):
      rowChanges[rowChanges.count - 1] = Int32(changes.count)
      outcomes.append(RowOutcome(change.action))
      changes.append(change)
    }
  }
}

/// The rows of all planners joined in file order, with the final word on
/// errors (duplicates are known only once every row is read).
struct StreamedPlan {
  var outcomes: [RowOutcome] = []
  var rowChanges: [Int32] = []
  var changes: [PlannedChange] = []
  var heldBack: [HeldBackChange] = []
  var keptLocal: [KeptLocalFields] = []
  var findings: [Finding] = []
  var skippedLines: [Int] = []
  var summary = PlanSummary()
  /// Rows with errors that name no account by custom_id, with who they are.
  var unappliedRows: [UnappliedRow] = []
  /// Creates and email conflicts that could be ID changes (`IDChanges`).
  var possibleIDChanges: [PossibleIDChange] = []

  /// `roomForMore`: changes the plan may add later (ID changes, disables),
  /// room reserved now so that the changes are not copied to a larger
  /// array then (room never written costs no memory).
  init(planners: [StreamingPlanner], rowHasError: [Bool], roomForMore: Int = 0) {
    guard let first = planners.first else { return }
    let rowCount = planners.reduce(0) { $0 + $1.outcomes.count }
    let changeCount = planners.reduce(0) { $0 + $1.changes.count }
    // The first planner's rows stay where they are, as the plan's: its run
    // reserved room for the whole file (it reads on to the end when the
    // parts cannot be joined). Copied, they took fresh memory, and here
    // each 4 KiB or 2 MiB first written is a page fault: a third of the
    // join's time at a million rows.
    (outcomes, rowChanges, changes) = first.takeRows()
    outcomes.reserveCapacityInHugePages(rowCount)
    rowChanges.reserveCapacityInHugePages(rowCount)
    changes.reserveCapacityInHugePages(changeCount + roomForMore)
    var dropped = Set<Int>()  // lines whose planning findings no longer apply
    for (index, planner) in planners.enumerated() {
      join(planner, inPlace: index == 0, rowHasError: rowHasError, dropped: &dropped)
      findings += planner.findings.filter { !dropped.contains($0.line ?? 0) }
    }
  }

  /// Joins one planner's rows: the first's in place (its changes compacted
  /// where a row turned out a duplicate), the others' appended, each kept
  /// change moved out of the planner, its last use.
  private mutating func join(
    _ planner: StreamingPlanner, inPlace: Bool, rowHasError: [Bool], dropped: inout Set<Int>
  ) {
    if inPlace {
      var own = moving(&changes, leaving: [])
      let kept = own.withUnsafeMutableBufferPointer { source in
        joinRows(of: planner, changes: source, inPlace: true, rowHasError: rowHasError, dropped: &dropped)
      }
      // The changes of the rows that turned out duplicates, moved past the
      // kept ones, go.
      own.removeSubrange(kept...)
      changes = own
    } else {
      planner.movingChanges { source in
        _ = joinRows(of: planner, changes: source, inPlace: false, rowHasError: rowHasError, dropped: &dropped)
      }
    }
  }

  /// `join`'s loop over the rows. `changes`: the planner's, or in place the
  /// plan's own (moved through a buffer, not copied: a copy retains every
  /// value). Returns, in place, how many changes are kept (first).
  private mutating func joinRows(
    of planner: StreamingPlanner, changes source: UnsafeMutableBufferPointer<PlannedChange>, inPlace: Bool,
    rowHasError: [Bool], dropped: inout Set<Int>
  ) -> Int {
    // Read into locals once: this loop runs once per row, and each read
    // through the planner (a class) may retain and release its array.
    let firstRow = inPlace ? 0 : outcomes.count
    let plannerOutcomes = inPlace ? [] : planner.outcomes
    let rowCount = inPlace ? outcomes.count : plannerOutcomes.count
    let lines = planner.lines
    let plannerRowChanges = inPlace ? [] : planner.rowChanges
    let people = planner.people
    let conflicts = planner.conflicts
    let keptLocalOfRow = planner.keptLocal
    var nextPerson = 0
    var nextConflict = 0
    // In place: where the next kept change goes (at or before its own).
    var keptChanges = 0
    for index in 0..<rowCount {
      let row = firstRow + index
      var outcome = inPlace ? outcomes[index] : plannerOutcomes[index]
      // Most rows of a routine sync: unchanged, and no duplicate. (An
      // unchanged row has no person or conflict to take along.)
      if outcome == .unchanged, !rowHasError[row] {
        if !inPlace {
          outcomes.append(.unchanged)
          rowChanges.append(-1)
        }
        summary.unchanged += 1
        if !keptLocalOfRow.isEmpty, let kept = keptLocalOfRow[index] { keptLocal.append(kept) }
        continue
      }
      let line = lines[index]
      let plannedIndex = Int(inPlace ? rowChanges[index] : plannerRowChanges[index])
      var keepsChange = plannedIndex >= 0
      let action = keepsChange ? source[plannedIndex].action : nil
      var person: PersonKeys?
      if nextPerson < people.count, people[nextPerson].position == index {
        person = people[nextPerson].person
        nextPerson += 1
      }
      // A row that validation ends up rejecting (a duplicate) is not
      // planned at all: no change, and none of planning's findings.
      if rowHasError[row] {
        outcome = .error
        keepsChange = false
        dropped.insert(line)
      }
      var conflict: PossibleIDChange?
      if nextConflict < conflicts.count, conflicts[nextConflict].position == index {
        conflict = conflicts[nextConflict]
        nextConflict += 1
      }
      if !rowHasError[row] {
        if var conflict {
          conflict.position = row
          possibleIDChanges.append(conflict)
        } else if keepsChange, action == .create {
          possibleIDChanges.append(
            PossibleIDChange(
              position: row, line: line, organizationID: source[plannedIndex].organizationID,
              after: source[plannedIndex].after, emailOwner: nil))
        }
      }
      if planner.collectsPeople, outcome == .error {
        // A create or an assigned ID names no account by custom_id either.
        if action == .create || action == .assignID {
          let after = source[plannedIndex].after
          person = PersonKeys { after[$0] }
        }
        if let person { unappliedRows.append(UnappliedRow(line: line, excluded: false, person: person)) }
      }
      let changeIndex: Int32
      if keepsChange, let action {
        summary.add(action)
        if inPlace {
          changeIndex = Int32(keptChanges)
          source.swapAt(keptChanges, plannedIndex)
          keptChanges += 1
        } else {
          changeIndex = Int32(changes.count)
          changes.append(source.take(plannedIndex))
        }
      } else {
        changeIndex = -1
      }
      if inPlace {
        outcomes[index] = outcome
        rowChanges[index] = changeIndex
      } else {
        outcomes.append(outcome)
        rowChanges.append(changeIndex)
      }
      switch outcome {
      case .error: summary.rowsWithErrors += 1
      case .unchanged:
        summary.unchanged += 1
        if let kept = keptLocalOfRow[index] { keptLocal.append(kept) }
      case .skipped:
        summary.skipped += 1
        skippedLines.append(line)
      case .heldBack:
        summary.heldBack += 1
        if let held = planner.heldBack[index] { heldBack.append(held) }
      default: break
      }
    }
    return keptChanges
  }
}
