import SyncEngine

/// The decision keys: each asks what it needs and hands the decision to
/// the engine. Whether it applies to the selection, and why not, is
/// checked before (`ReviewAvailability`).
extension ReviewLoop {
  /// Applies a decision and says what changed, with the counts after it.
  func decide(_ decision: Decision) {
    let selected = state.selectedItem
    releaseListing()
    model.apply(decision)
    keepSelection(on: selected)
    state.message = Message(decision.summary.prefix(1).uppercased() + decision.summary.dropFirst() + " (u undoes)")
  }

  /// After a decision the cursor stays on the same person: on the row's
  /// line while it is still listed here (rows before it may have left),
  /// else at the same position, where the next row has moved up.
  func keepSelection(on item: ReviewItem?) {
    if let item, let index = Self.index(of: item, in: listedItems()) { state.cursor = index }
    keepCursorVisible()
  }

  /// Where the item is listed: rows by binary search (a list holds rows in
  /// file order, then absent accounts), accounts among those after them.
  static func index(of item: ReviewItem, in items: [Int32]) -> Int? {
    switch item {
    case .row(let row): return ReviewModel.position(of: Int32(row), in: items)
    case .missingAccount:
      let accounts = ReviewModel.insertionPoint(of: Int32.max, in: items)
      return items[accounts...].firstIndex(of: item.packed)
    }
  }

  /// Drops the screen's copy of the listed items before the model changes
  /// its lists, so that a decision moves a row in place instead of copying
  /// a list of a million (the listing is made again from the model's).
  func releaseListing() {
    state.visibleItems = []
    state.listedFrom = nil
  }

  func toggleExclude() {
    guard let (row, line) = selectedRow else { return }
    decide(model.livePlan.outcome(row: row) == .excluded ? .include(line: line) : .exclude(line: line))
  }

  /// The mapping's generated email for the selected row is accepted.
  func acceptProposedEmail() {
    guard let (_, line) = selectedRow else { return }
    decide(.acceptGeneratedEmail(line: line))
  }

  func excludeMatching() {
    let lines = listedItems().compactMap { packed -> Int? in
      guard packed >= 0, model.livePlan.outcome(row: Int(packed)) != .excluded else { return nil }
      return model.livePlan.line(ofRow: Int(packed))
    }
    guard !lines.isEmpty else { return }
    let scope = state.category.title + (state.filter.map { " matching '\($0.description)'" } ?? "")
    state.modal = .confirmDecision(
      question: "Exclude \(Counted.of(lines.count, "row")) (\(scope))?", decision: .excludeLines(lines, reason: scope))
  }

  func startEditCustomID() {
    guard let (row, line) = selectedRow else { return }
    openPrompt(
      Prompt(
        .editCustomID(line: line), title: "custom_id of line \(line)", hint: "Enter applies, Esc cancels",
        text: model.livePlan.effectiveValue(row: row, column: .customID)))
  }

  /// A question when the typed custom_id is already another row's or an
  /// account's other than the row's own: said before it is applied, as it
  /// would make a duplicate or tie the row to that account. Nil when free.
  func customIDConflict(_ customID: String, forRow row: Int, line: Int) -> String? {
    guard !customID.isEmpty else { return nil }
    let plan = model.livePlan
    var holders: [String] = []
    let otherLines = (0..<plan.rowCount).filter {
      $0 != row && plan.effectiveValue(row: $0, column: .customID) == customID
    }.map { plan.line(ofRow: $0) }
    if !otherLines.isEmpty {
      let shown = otherLines.prefix(3).map(String.init).joined(separator: ", ") + (otherLines.count > 3 ? ", …" : "")
      holders.append((otherLines.count == 1 ? "line " : "lines ") + shown)
    }
    if let account = plan.directory.account(customID: customID) {
      let accountID = plan.directory.accountIDs[account]
      if plan.change(row: row)?.accountID != accountID && !isSamePerson(row: row, account: account) {
        let name = presenter.displayName(.missingAccount(account))
        holders.append("account #\(accountID) (\(name))")
      }
    }
    guard !holders.isEmpty else { return nil }
    return "custom_id '\(customID)' is already used by \(holders.joined(separator: " and ")). "
      + "Give it to line \(line) anyway?"
  }

  /// The account is the row's person (same email, or same first and last
  /// name): their own ID is no conflict.
  private func isSamePerson(row: Int, account: Int) -> Bool {
    let plan = model.livePlan
    let accounts = plan.directory.accounts
    func same(_ column: ExportColumn) -> Bool {
      let value = plan.effectiveValue(row: row, column: column)
      return !value.isEmpty && value.lowercased() == accounts.value(row: account, column: column).lowercased()
    }
    return same(.email) || (same(.firstName) && same(.lastName))
  }

  func startChangeBuildingID() {
    guard let (row, line) = selectedRow else { return }
    // Starts empty, offering the known buildings with their names.
    let current = model.livePlan.effectiveValue(row: row, column: .schoolExternalID)
    openPrompt(
      Prompt(
        .changeBuildingID(line: line), title: "Building ID of line \(line)",
        hint: "an organization's external ID (now: \(current.isEmpty ? "none" : current))",
        choices: choices.knownBuildings()))
  }

  var choices: PromptChoices { PromptChoices(plan: model.livePlan, presenter: presenter) }

  /// A new building ID for one row: when other rows carry the same old ID,
  /// ask whether the change is for all of them.
  func chooseBuildingScope(line: Int, to value: String) {
    guard let row = model.livePlan.row(atLine: line) else { return }
    let from = model.livePlan.effectiveValue(row: row, column: .schoolExternalID)
    guard value != from else { return }
    var sharedBy = 0
    for other in 0..<model.livePlan.rowCount
    where model.livePlan.effectiveValue(row: other, column: .schoolExternalID) == from {
      sharedBy += 1
    }
    if sharedBy > 1 {
      state.modal = .buildingScope(line: line, from: from, to: value, sharedBy: sharedBy)
    } else {
      decide(.changeBuildingID(line: line, buildingID: value))
    }
  }

  func acceptSuggestion() {
    guard let (row, line) = selectedRow,
      let (finding, value) = ReviewAvailability.suggestedFix(row: row, plan: model.livePlan)
    else { return }
    if finding.column == ExportColumn.schoolExternalID.header {
      chooseBuildingScope(line: line, to: value)
    } else {
      decide(.editCustomID(line: line, customID: value))
    }
  }

  func startAssignID() {
    guard let (row, line) = selectedRow else { return }
    openPrompt(
      Prompt(
        .assignID(line: line), title: "Give custom_id \(model.livePlan.effectiveValue(row: row, column: .customID)) to",
        hint: "an unmanaged account (no custom_id), likeliest first; or type its number",
        choices: choices.unmanagedAccounts(like: row)))
  }

  func assign(line: Int, typed: String) {
    let directory = model.livePlan.directory
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
    guard let (row, _) = selectedRow else { return }
    let externalID = model.livePlan.effectiveValue(row: row, column: .schoolExternalID)
    openPrompt(
      Prompt(
        .organizationExternalID(externalID: externalID), title: "Which organization is '\(externalID)'?",
        hint: "an organization without an external ID; or type its number",
        choices: choices.organizationsWithoutExternalID()))
  }

  func setOrganizationExternalID(_ externalID: String, typed: String) {
    let directory = model.livePlan.directory
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
    let selected = state.selectedItem
    releaseListing()
    guard let undone = model.undo() else { return }
    keepSelection(on: selected)
    state.message = Message("Undone: \(undone.summary)")
  }
}

/// The vocabulary mapper: one decision for every row with the same unknown
/// value of a closed column (grade `TK`, user_type `aide`…).
extension ReviewLoop {
  func startMapValue() {
    guard let (row, _) = selectedRow,
      let (column, value) = ReviewAvailability.unknownValue(row: row, plan: model.livePlan)
    else { return }
    let lowered = value.lowercased()
    var count = 0
    for other in 0..<model.livePlan.rowCount
    where model.livePlan.effectiveValue(row: other, column: column).lowercased() == lowered {
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
