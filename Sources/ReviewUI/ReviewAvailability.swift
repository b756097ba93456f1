import SyncEngine

/// Whether an action can be done now, and if not, why: computed from the
/// state and the plan, as lazygit's bindings carry a disabled reason. The
/// update step shows the reason in the status line instead of doing
/// nothing; the `?` screen shows it beside the binding.
struct ReviewAvailability {
  let state: ReviewState
  let model: ReviewModel

  func disabledReason(_ action: ReviewAction) -> Message? {
    if let planning = model.planning, Self.waitsForWholePlan(action) {
      return Message(
        "Still planning the whole export (\(Self.progressText(planning, of: model.livePlan))): decisions, reports and commit wait "
          + "until every row is planned", tone: .warning)
    }
    switch action {
    case .showDetails:
      return state.selectedItem == nil ? Message("No row selected: no details to show", tone: .muted) : nil
    case .nextMatch, .previousMatch:
      return (state.search ?? "").isEmpty ? Message("No search yet: press / to search", tone: .muted) : nil
    case .clearFilter:
      return state.filter == nil ? Message("No filter to clear", tone: .muted) : nil
    case .showTimeline:
      guard state.selectedItem != nil else { return Message("No row selected: no timeline to show", tone: .muted) }
      return ReviewLoop.accountID(of: state.selectedItem, in: model) == nil
        ? Message("A new person: no account yet, so no run changed it", tone: .muted) : nil
    case .toggleExclude: return rowReason("exclude")
    case .editCustomID: return rowReason("edit")
    case .changeBuildingID: return rowReason("change")
    case .acceptSuggestion: return rowReason("fix") ?? suggestionReason()
    case .assignID: return rowReason("assign") ?? assignReason()
    case .setOrganizationExternalID: return rowReason("use") ?? organizationReason()
    case .mapValue: return rowReason("map") ?? mapValueReason()
    case .matchSchools: return committedReason() ?? matchSchoolsReason()
    case .acceptProposedEmail: return rowReason("accept") ?? proposedEmailReason()
    case .acceptAllProposedEmails:
      return committedReason()
        ?? (model.livePlan.proposedEmailRows.isEmpty
          ? Message("No proposed emails wait for acceptance (the mapping's generate rule makes them)", tone: .muted)
          : nil)
    case .excludeMatching: return committedReason() ?? excludeMatchingReason()
    case .rejectPendingRun:
      if let committed = committedReason() { return committed }
      if state.rejectedPendingRun { return Message("The held run is rejected already", tone: .muted) }
      return model.pendingRun == nil
        ? Message("Not a held run: R rejects one opened with sis-sync review --pending N", tone: .muted) : nil
    case .protectAccount:
      if let committed = committedReason() { return committed }
      guard state.selectedItem != nil else { return Message("No row selected: no account to protect", tone: .muted) }
      return ReviewLoop.accountID(of: state.selectedItem, in: model) == nil
        ? Message("A new person: no account yet to protect", tone: .muted) : nil
    case .undo:
      return committedReason() ?? (model.decisions.isEmpty ? Message("Nothing to undo", tone: .muted) : nil)
    case .commit: return commitReason()
    case .applyHeldPlan:
      guard case .confirmCommit(let typed) = state.modal, typed != ReviewLoop.overrideWord else { return nil }
      return Message(
        "Type \(ReviewLoop.overrideWord), then Enter, to apply a plan a threshold holds", tone: .warning)
    default:
      return nil
    }
  }

  /// What changes or writes the plan needs every row planned: a decision
  /// on a preview would be judged on part of the export.
  static func waitsForWholePlan(_ action: ReviewAction) -> Bool {
    switch action {
    case .toggleExclude, .excludeMatching, .editCustomID, .changeBuildingID, .acceptSuggestion, .assignID,
      .setOrganizationExternalID, .mapValue, .saveMapping, .matchSchools, .acceptProposedEmail,
      .acceptAllProposedEmails, .protectAccount, .undo, .writeReport, .writeRedactedReport, .saveSession, .commit,
      .rejectPendingRun:
      true
    default: false
    }
  }

  /// "reading the directory", "reading 43%", then "planning": how far the
  /// whole plan has come.
  static func progressText(_ progress: LoadProgress, of plan: LivePlan) -> String {
    if plan.awaitsDirectory { return "reading the directory" }
    return switch progress.phase {
    case .reading: "reading \(Int(progress.fractionRead * 100))%"
    case .planning: "planning the rows"
    case .resuming: "replaying the session"
    }
  }

  /// Once the plan is committed the review is over.
  private func committedReason() -> Message? {
    guard state.committedRun != nil else { return nil }
    return Message("The plan is committed; start a new review for more decisions", tone: .warning)
  }

  /// A decision on the selected row needs a row (not an absent account).
  private func rowReason(_ what: String) -> Message? {
    if let committed = committedReason() { return committed }
    guard let item = state.selectedItem else { return Message("No row selected: nothing to \(what)", tone: .muted) }
    guard case .row = item else {
      return Message(
        "An account absent from the export has no row to \(what); x excludes rows, not accounts", tone: .warning)
    }
    return nil
  }

  /// Only a row whose email the mapping proposes has one to accept.
  private func proposedEmailReason() -> Message? {
    guard let row = selectedRow, model.livePlan.change(row: row)?.generatedEmail != .proposed else { return nil }
    return Message("This row has no proposed email to accept", tone: .muted)
  }

  private var selectedRow: Int? {
    guard case .row(let row) = state.selectedItem else { return nil }
    return row
  }

  private func suggestionReason() -> Message? {
    guard let row = selectedRow else { return nil }
    guard let (finding, value) = Self.suggestedFix(row: row, plan: model.livePlan) else {
      return Message("This row has no suggested fix to accept", tone: .muted)
    }
    guard Self.reviewCanApply(finding) else {
      return Message(
        "\(finding.code.id) suggests '\(value)' for \(finding.column ?? "a value"): that is fixed in the SIS "
          + "export or a mapping file, not in review", tone: .warning)
    }
    return nil
  }

  private func assignReason() -> Message? {
    guard let row = selectedRow else { return nil }
    let outcome = model.livePlan.outcome(row: row)
    guard outcome == .create || outcome == .assignID || outcome == .error else {
      return Message(
        "Line \(model.livePlan.line(ofRow: row)) already has its account; assigning is for new IDs", tone: .muted)
    }
    return nil
  }

  /// Cheap on purpose (the help screen asks on every frame): the offers
  /// themselves are worked out when `O` is pressed.
  private func matchSchoolsReason() -> Message? {
    guard model.organizationsFile != nil else {
      return Message(
        "No organizations file: open the review with --organizations ORGS_FILE, or use o on a row", tone: .muted)
    }
    return nil
  }

  private func organizationReason() -> Message? {
    guard let row = selectedRow else { return nil }
    let externalID = model.livePlan.effectiveValue(row: row, column: .schoolExternalID)
    let directory = model.livePlan.directory
    guard !externalID.isEmpty, directory.organizationIndex(externalID: externalID) == nil else {
      return Message("Building ID '\(externalID)' already names an organization", tone: .muted)
    }
    guard directory.organizations.contains(where: { $0.externalID == nil }) else {
      return Message("Every organization has an external ID already", tone: .muted)
    }
    return nil
  }

  private func mapValueReason() -> Message? {
    guard let row = selectedRow, Self.unknownValue(row: row, plan: model.livePlan) == nil else { return nil }
    return Message("This row has no unknown grade, user_type or status value to map", tone: .muted)
  }

  /// Rows listed outside Excluded are never excluded, and rows come before
  /// absent accounts: the first item says whether any row can be.
  private func excludeMatchingReason() -> Message? {
    let hasRow = state.category != .excluded && (state.visibleItems.first.map { $0 >= 0 } ?? false)
    return hasRow ? nil : Message("No rows listed here can be excluded", tone: .muted)
  }

  private func commitReason() -> Message? {
    if state.rejectedPendingRun {
      return Message("The held run is rejected: nothing to commit; quit", tone: .muted)
    }
    if let run = state.committedRun {
      return Message("Already committed as run \(run); quit and start a new review", tone: .muted)
    }
    let summary = model.livePlan.summary
    let changes =
      summary.create + summary.update + summary.disable + summary.reactivate + summary.assignID + summary.idChange
      + model.disablesOfAbsentAccounts + model.livePlan.decisions.organizationExternalIDs.count
    guard changes > 0 else {
      return Message("Nothing to commit: the directory already matches the approved rows", tone: .muted)
    }
    return nil
  }

  // MARK: - What a row offers

  /// The fix `a` accepts: the first suggestion review can apply (an
  /// error's first), else the first suggestion at all (`a` then says
  /// where it is fixed instead).
  static func suggestedFix(row: Int, plan: LivePlan) -> (finding: Finding, value: String)? {
    let suggestions = plan.findings(row: row).filter { $0.suggestedValue != nil }
    let applicable = suggestions.filter(reviewCanApply)
    guard
      let finding = applicable.first(where: { $0.severity == .error }) ?? applicable.first
        ?? suggestions.first(where: { $0.severity == .error }) ?? suggestions.first,
      let value = finding.suggestedValue
    else { return nil }
    return (finding, value)
  }

  /// Review changes custom_ids and building IDs; other values are fixed
  /// in the export or a mapping file.
  static func reviewCanApply(_ finding: Finding) -> Bool {
    switch finding.column {
    case ExportColumn.customID.header, ExportColumn.schoolExternalID.header: true
    // The email's owner has this custom_id: the row is that person.
    case ExportColumn.email.header: finding.code == .emailConflict
    default: false
    }
  }

  /// The row's unknown value of a closed column (grade `TK`…), for `m`.
  static func unknownValue(row: Int, plan: LivePlan) -> (column: ExportColumn, value: String)? {
    guard
      let finding = plan.findings(row: row).first(where: {
        [FindingCode.invalidGrade, .invalidUserType, .invalidStatus].contains($0.code)
      }), let header = finding.column, let column = ExportColumn(header: header), let value = finding.value
    else { return nil }
    return (column, value)
  }
}
