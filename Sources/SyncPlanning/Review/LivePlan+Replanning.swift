import ExportReading
import SyncDirectory
import SyncModel

/// How the live plan re-plans the rows a decision concerns: they are
/// validated and planned again as a subset (whole custom_id groups, so the
/// duplicate checks among them are complete), and the result is merged into
/// the state with the counts moved.
extension LivePlan {
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
}
