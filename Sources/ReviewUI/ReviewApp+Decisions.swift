import SyncEngine

/// The decision keys: each checks it applies to the selection (or says
/// why not), asks what it needs, and hands the decision to the engine.
extension ReviewApp {
  /// Applies a decision and says what changed, with the counts after it.
  func decide(_ decision: Decision) {
    model.apply(decision)
    keepCursorVisible()
    state.message = Message(decision.summary.prefix(1).uppercased() + decision.summary.dropFirst() + " (u undoes)")
  }

  /// Once the plan is committed the review is over: says so, true then.
  func refusedAfterCommit() -> Bool {
    guard state.committedRun != nil else { return false }
    state.message = Message("The plan is committed; start a new review for more decisions", tone: .warning)
    return true
  }

  /// The selected row, or nil with a message saying why there is none.
  func rowForDecision(_ what: String) -> (row: Int, line: Int)? {
    guard !refusedAfterCommit() else { return nil }
    guard let item = selectedItem else {
      state.message = Message("No row selected: nothing to \(what)", tone: .muted)
      return nil
    }
    guard case .row = item else {
      state.message = Message(
        "An account absent from the export has no row to \(what); x excludes rows, not accounts", tone: .warning)
      return nil
    }
    return selectedRow
  }

  func toggleExclude() {
    guard let (row, line) = rowForDecision("exclude") else { return }
    decide(model.plan.outcome(row: row) == .excluded ? .include(line: line) : .exclude(line: line))
  }

  func excludeMatching() {
    guard !refusedAfterCommit() else { return }
    let lines = visibleItems.compactMap { packed -> Int? in
      guard packed >= 0, model.plan.outcome(row: Int(packed)) != .excluded else { return nil }
      return model.plan.line(ofRow: Int(packed))
    }
    guard !lines.isEmpty else {
      state.message = Message("No rows listed here can be excluded", tone: .muted)
      return
    }
    let scope = state.category.title + (state.filter.map { " matching '\($0.description)'" } ?? "")
    state.modal = .confirmDecision(
      question: "Exclude \(lines.count) rows (\(scope))?", decision: .excludeLines(lines, reason: scope))
  }

  func startEditCustomID() {
    guard let (row, line) = rowForDecision("edit") else { return }
    openPrompt(
      Prompt(
        .editCustomID(line: line), title: "custom_id of line \(line)", hint: "Enter applies, Esc cancels",
        text: model.plan.effectiveValue(row: row, column: .customID)))
  }

  func startChangeBuildingID() {
    guard let (row, line) = rowForDecision("change") else { return }
    openPrompt(
      Prompt(
        .changeBuildingID(line: line), title: "Building ID of line \(line)",
        hint: "an organization's external ID; Enter applies, Esc cancels",
        text: model.plan.effectiveValue(row: row, column: .schoolExternalID)))
  }

  /// A new building ID for one row: when other rows carry the same old ID,
  /// ask whether the change is for all of them.
  func chooseBuildingScope(line: Int, to value: String) {
    guard let row = model.plan.row(atLine: line) else { return }
    let from = model.plan.effectiveValue(row: row, column: .schoolExternalID)
    guard value != from else { return }
    var sharedBy = 0
    for other in 0..<model.plan.rowCount where model.plan.effectiveValue(row: other, column: .schoolExternalID) == from
    {
      sharedBy += 1
    }
    if sharedBy > 1 {
      state.modal = .buildingScope(line: line, from: from, to: value, sharedBy: sharedBy)
    } else {
      decide(.changeBuildingID(line: line, buildingID: value))
    }
  }

  func acceptSuggestion() {
    guard let (row, line) = rowForDecision("fix") else { return }
    let suggestions = model.plan.findings(row: row).filter { $0.suggestedValue != nil }
    guard let finding = suggestions.first(where: { $0.severity == .error }) ?? suggestions.first,
      let value = finding.suggestedValue
    else {
      state.message = Message("This row has no suggested fix to accept", tone: .muted)
      return
    }
    switch finding.column {
    case ExportColumn.customID.header:
      decide(.editCustomID(line: line, customID: value))
    case ExportColumn.email.header where finding.code == .emailConflict:
      // The email's owner has this custom_id: the row is that person.
      decide(.editCustomID(line: line, customID: value))
    case ExportColumn.schoolExternalID.header:
      chooseBuildingScope(line: line, to: value)
    default:
      state.message = Message(
        "\(finding.code.id) suggests '\(value)' for \(finding.column ?? "a value"): that is fixed in the SIS "
          + "export or a mapping file, not in review", tone: .warning)
    }
  }

  func startAssignID() {
    guard let (row, line) = rowForDecision("assign") else { return }
    let outcome = model.plan.outcome(row: row)
    guard outcome == .create || outcome == .assignID || outcome == .error else {
      state.message = Message("Line \(line) already has its account; assigning is for new IDs", tone: .muted)
      return
    }
    openPrompt(
      Prompt(
        .assignID(line: line), title: "Give custom_id \(model.plan.effectiveValue(row: row, column: .customID)) to",
        hint: "the number of an unmanaged account (no custom_id), e.g. 4711"))
  }

  func assign(line: Int, typed: String) {
    let directory = model.plan.directory
    guard let accountID = Int64(String(typed.trimmingPrefix("#"))),
      let account = directory.accountIDs.firstIndex(of: accountID)
    else {
      state.message = Message("No account #\(typed) in the directory", tone: .error)
      return
    }
    guard !directory.isManaged(account: account) else {
      state.message = Message(
        "Account #\(accountID) already has custom_id "
          + directory.accounts.value(row: account, column: .customID) + "; only unmanaged accounts take one",
        tone: .error)
      return
    }
    decide(.assignID(line: line, accountID: accountID))
  }

  func startOrganizationExternalID() {
    guard let (row, _) = rowForDecision("use") else { return }
    let externalID = model.plan.effectiveValue(row: row, column: .schoolExternalID)
    let directory = model.plan.directory
    guard !externalID.isEmpty, directory.organizationIndex(externalID: externalID) == nil else {
      state.message = Message("Building ID '\(externalID)' already names an organization", tone: .muted)
      return
    }
    let candidates = directory.organizations.filter { $0.externalID == nil }
    guard !candidates.isEmpty else {
      state.message = Message("Every organization has an external ID already", tone: .muted)
      return
    }
    let listed = candidates.prefix(4).map { "\($0.id) \($0.name)" }.joined(separator: "; ")
    openPrompt(
      Prompt(
        .organizationExternalID(externalID: externalID), title: "Which organization is '\(externalID)'?",
        hint: "its number: " + listed + (candidates.count > 4 ? "; …" : "")))
  }

  func setOrganizationExternalID(_ externalID: String, typed: String) {
    let directory = model.plan.directory
    guard let id = Int64(String(typed.trimmingPrefix("#"))), let index = directory.organizationIndex(id: id) else {
      state.message = Message("No organization #\(typed)", tone: .error)
      return
    }
    guard directory.organizations[index].externalID == nil else {
      state.message = Message("\(directory.organizations[index].name) already has an external ID", tone: .error)
      return
    }
    decide(.setOrganizationExternalID(organizationID: id, externalID: externalID))
  }

  func undo() {
    guard !refusedAfterCommit() else { return }
    guard let undone = model.undo() else {
      state.message = Message("Nothing to undo", tone: .muted)
      return
    }
    keepCursorVisible()
    state.message = Message("Undone: \(undone.summary)")
  }
}

/// The vocabulary mapper: one decision for every row with the same unknown
/// value of a closed column (grade `TK`, user_type `aide`…).
extension ReviewApp {
  func startMapValue() {
    guard let (row, _) = rowForDecision("map") else { return }
    guard
      let finding = model.plan.findings(row: row).first(where: {
        [FindingCode.invalidGrade, .invalidUserType, .invalidStatus].contains($0.code)
      }), let header = finding.column, let column = ExportColumn(header: header), let value = finding.value
    else {
      state.message = Message("This row has no unknown grade, user_type or status value to map", tone: .muted)
      return
    }
    let lowered = value.lowercased()
    var count = 0
    for other in 0..<model.plan.rowCount
    where model.plan.effectiveValue(row: other, column: column).lowercased() == lowered {
      count += 1
    }
    let allowed = Vocabulary.values(of: column)?.joined(separator: ", ") ?? ""
    openPrompt(
      Prompt(
        .mapValue(column: column, from: value),
        title: "\(column.header) '\(value)' (\(count == 1 ? "1 row" : "\(count) rows")) means",
        hint: "one of: " + allowed))
  }

  func mapValue(column: ExportColumn, from: String, to typed: String) {
    guard let allowed = Vocabulary.values(of: column),
      let target = allowed.first(where: { $0.caseInsensitiveCompare(typed) == .orderedSame })
    else {
      let allowed = Vocabulary.values(of: column)?.joined(separator: ", ") ?? ""
      state.message = Message("'\(typed)' is not a valid \(column.header); use one of \(allowed)", tone: .error)
      return
    }
    decide(.mapValue(column: column, from: from, to: target))
  }

  /// `preset oneroster-1.1 (auto)` → `oneroster-1.1`.
  func presetName(_ mapping: ColumnMapping) -> String {
    String(mapping.origin.dropFirst("preset ".count).prefix { $0 != " " })
  }
}
