import Foundation
import SyncEngine
import TextScreen

/// What the rows and details panes say about an item: a one-line summary
/// and the full details (fields, before → after, findings with their
/// explanation and fix). Reads the live plan; keeps nothing.
struct RowPresenter {
  let model: ReviewModel
  private var plan: LivePlan { model.livePlan }
  private var directory: DirectorySnapshot { model.livePlan.directory }

  /// The item's values: the row's as decided (edits applied), or the
  /// account's for an absent one.
  func value(_ item: ReviewItem, _ column: ExportColumn) -> String {
    switch item {
    case .row(let row): plan.effectiveValue(row: row, column: column)
    case .missingAccount(let account): directory.accounts.value(row: account, column: column)
    }
  }

  func displayName(_ item: ReviewItem) -> String {
    let first = value(item, .firstName)
    let middle = value(item, .middleName)
    let last = value(item, .lastName)
    let given = middle.isEmpty ? first : first + " " + middle
    if last.isEmpty { return given }
    return given.isEmpty ? last : last + ", " + given
  }

  /// The building ID with the school's name where the directory knows it
  /// (`S1 Lincoln`), else the ID alone.
  func school(_ item: ReviewItem) -> String {
    let externalID = value(item, .schoolExternalID)
    guard !externalID.isEmpty, let index = directory.organizationIndex(externalID: externalID) else {
      return externalID
    }
    return externalID + " " + directory.organizations[index].name
  }

  /// `line 12`, or `#4711` for an absent account.
  func location(_ item: ReviewItem) -> String {
    switch item {
    case .row(let row): String(plan.line(ofRow: row))
    case .missingAccount(let account): "#\(directory.accountIDs[account])"
    }
  }

  /// The rollover group the item's change belongs to, if the profile
  /// expects it. A change protection holds back is not applied: not the
  /// rollover's.
  func rolloverGroup(_ item: ReviewItem) -> RolloverGroup? {
    guard let rollover = plan.options.rollover else { return nil }
    let applied: PlannedChange? =
      switch item {
      case .row(let row): plan.change(row: row)
      case .missingAccount(let account):
        plan.pendingDisable(account: account) == nil ? plan.missingAccountDisable(account) : nil
      }
    return applied.flatMap { rollover.group(of: $0) }
  }

  /// The rows pane's last column: what is wrong, or what will change.
  func what(_ item: ReviewItem) -> (text: String, tone: Style.Tone) {
    switch item {
    case .missingAccount(let account):
      if let held = plan.heldBackAbsentAccount(account) { return ("would disable — \(held.reason)", .warning) }
      if let pending = plan.pendingDisable(account: account) {
        let days = pending.daysLeft(at: plan.options.now ?? Date())
        // Short: it fits the rows pane at 80 columns.
        return ("disable in \(days) day\(days == 1 ? "" : "s")", .change)
      }
      return ("disable: absent from the export", .removal)
    case .row(let row):
      let findings = plan.findings(row: row)
      switch plan.outcome(row: row) {
      case .error:
        let first = findings.first { $0.severity == .error } ?? findings.first
        return (first.map { "\($0.code.id) \($0.message)" } ?? "error", .error)
      case .excluded:
        return ("excluded by you", .muted)
      case .heldBack:
        guard let held = plan.heldBack(row: row) else { return ("held back by protection", .warning) }
        return ("would \(PlanReport.verb(held.would.action)) — \(held.reason)", .warning)
      case .update, .reactivate, .disable:
        let change = plan.change(row: row)
        let fields = change.flatMap { change in change.before.map { change.after.differences(from: $0) } } ?? []
        let text = fields.map(\.header).joined(separator: ", ") + keptWords(item)
        return (warningMark(findings) + text, ReviewCategory(plan.outcome(row: row)).tone)
      case .assignID:
        let account = plan.change(row: row)?.accountID.map { "#\($0)" } ?? "?"
        return (warningMark(findings) + "assign custom_id to account \(account)", .change)
      case .idChange:
        let old = plan.change(row: row)?.oldCustomID ?? "?"
        return (warningMark(findings) + "ID change \(old) → \(value(item, .customID))", .change)
      case .create:
        return (warningMark(findings) + "new " + value(item, .userType).lowercased(), .addition)
      case .skipped:
        return ("disabled in the export, no account: nothing to do", .muted)
      case .unchanged:
        // The category says unchanged: the column says what was kept.
        let kept = keptWords(item)
        return (warningMark(findings) + (kept.isEmpty ? "no change" : String(kept.dropFirst(2))), .muted)
      }
    }
  }

  /// The local fields the sync leaves on the item's account where the
  /// export has other values (rows only).
  func keptLocal(_ item: ReviewItem) -> [KeptLocalField] {
    guard case .row(let row) = item else { return [] }
    return plan.change(row: row)?.keptLocal ?? plan.keptLocal(row: row)?.fields ?? plan.heldBack(row: row)?.would
      .keptLocal ?? []
  }

  /// `; email kept (local)` for the rows pane.
  private func keptWords(_ item: ReviewItem) -> String {
    let kept = keptLocal(item)
    guard !kept.isEmpty else { return "" }
    return "; " + kept.map(\.column.header).joined(separator: ", ") + " kept (local)"
  }

  private func warningMark(_ findings: [Finding]) -> String {
    guard let warning = findings.first(where: { $0.severity == .warning }) else { return "" }
    return "[\(warning.code.id)] "
  }

  /// The item's findings (rows only).
  func findings(_ item: ReviewItem) -> [Finding] {
    if case .row(let row) = item { return plan.findings(row: row) }
    return []
  }

  /// The details pane, as styled lines.
  func details(_ item: ReviewItem) -> [(text: String, style: Style)] {
    var lines: [(String, Style)] = []
    switch item {
    case .row(let row):
      let outcome = plan.outcome(row: row)
      lines.append(("Line \(plan.line(ofRow: row)) · \(Self.outcomeTitle(outcome))", .accent))
      if outcome == .idChange, let change = plan.change(row: row) { lines += Self.idChangeEvidence(change) }
      if let held = plan.heldBack(row: row) {
        let until = held.protection.until.map { " (until \($0))" } ?? ""
        lines.append(("  would \(PlanReport.verb(held.would.action)) — \(held.reason)\(until)", .plain))
      }
    case .missingAccount(let account):
      let organization = directory.organization(ofAccount: account)
      if let held = plan.heldBackAbsentAccount(account) {
        lines.append(("Account #\(directory.accountIDs[account]) · held back: would disable", .accent))
        lines.append(("  \(held.reason)" + (held.protection.until.map { " (until \($0))" } ?? ""), .plain))
        lines.append(("  in \(organization.name)", .muted))
      } else if let pending = plan.pendingDisable(account: account) {
        lines.append(("Account #\(directory.accountIDs[account]) · pending disable (absent from the export)", .accent))
        lines.append(("  in \(organization.name)", .muted))
        lines.append(("  first missing at \(pending.missingSince)\(pending.isNew ? " (this run)" : "")", .plain))
        lines.append(
          (
            "  days left: \(pending.daysLeft(at: plan.options.now ?? Date())) (disabled after \(pending.disableAfter))",
            .plain
          ))
      } else {
        lines.append(("Account #\(directory.accountIDs[account]) · disable (absent from the export)", .accent))
        lines.append(("  in \(organization.name)", .muted))
      }
    }
    // What is wrong and how to fix it come first: at 80×24 the first
    // finding and its fix show without scrolling. The why comes last.
    var acceptable: Finding?
    if case .row(let row) = item { acceptable = ReviewAvailability.suggestedFix(row: row, plan: plan)?.finding }
    let itemFindings = findings(item)
    for finding in itemFindings {
      let tone: Style.Tone =
        switch finding.severity {
        case .error: .error
        case .warning: .warning
        case .info: .muted
        }
      // The SIS's own column name beside ours where the mapping renamed it.
      let place = plan.validation.columnName(of: finding).map { " (\($0))" } ?? ""
      lines.append(("\(finding.code.id) \(finding.severity.rawValue)\(place): \(finding.message)", Style(tone, .bold)))
      if let suggestion = finding.suggestion { lines.append(("  fix: \(suggestion)", .plain)) }
      // Only on the finding `a` fixes: other suggestions are fixed in the SIS.
      if finding.suggestedValue != nil, finding == acceptable, ReviewAvailability.reviewCanApply(finding) {
        lines.append(("  press a to accept the suggested value", .muted))
      }
    }
    if !itemFindings.isEmpty { lines.append(("", .plain)) }
    let change: PlannedChange? =
      switch item {
      case .row(let row): plan.change(row: row) ?? plan.heldBack(row: row)?.would
      case .missingAccount(let account):
        plan.pendingDisable(account: account) == nil ? plan.missingAccountDisable(account) : nil
      }
    if let group = rolloverGroup(item) {
      lines.append(("  expected by the rollover: \(group.rowNote) (not counted by the thresholds)", .muted))
    }
    let labelWidth = ExportColumn.allCases.map { Self.label($0).count }.max() ?? 10
    let kept = keptLocal(item)
    for column in ExportColumn.allCases {
      let label = Self.label(column).padding(toLength: labelWidth, withPad: " ", startingAt: 0)
      if let field = kept.first(where: { $0.column == column }) {
        // The directory's value stays; the export's is shown, not written.
        let value = change?.after[column] ?? keptValue(item, column)
        lines.append(
          ("  \(label)  \(shown(value)) kept (local); export has \(shown(field.exportValue))", Style(.change)))
      } else if column == .email, let change, let generated = change.generatedEmail {
        // The row had no email: the mapping's generate rule made this one.
        let state = generated == .proposed ? "proposed; p accepts" : "accepted"
        lines.append(("  \(label)  \(change.after[.email]) (\(state))", Style(.change, .bold)))
      } else if let change, let before = change.before, before[column] != change.after[column] {
        lines.append(("  \(label)  \(shown(before[column])) → \(shown(change.after[column]))", Style(.change, .bold)))
      } else if column == .schoolExternalID {
        lines.append(("  \(label)  \(school(item))", .plain))
      } else {
        lines.append(("  \(label)  \(value(item, column))", .plain))
      }
    }
    if case .row(let row) = item, let account = plan.change(row: row)?.accountID, plan.outcome(row: row) != .create {
      lines.append(
        ("  " + "account".padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  #\(account)", .muted))
    }
    if let source = sourceDetail(item) {
      lines.append(("  " + "source".padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + source, .muted))
    }
    for finding in itemFindings {
      lines.append(("", .plain))
      lines.append(("why \(finding.code.id): \(finding.code.explanation)", .muted))
    }
    return lines
  }

  /// With `--source`: who manages the item's account, in words (nil
  /// without a source, or for a row that changes nothing and names no account).
  private func sourceDetail(_ item: ReviewItem) -> String? {
    switch item {
    case .missingAccount:
      return plan.options.sources.source
    case .row(let row):
      guard let (owner, run) = plan.source(row: row) else { return nil }
      if let owner, owner != run { return "\(owner) (another source: not changed by \(run))" }
      if owner == nil, plan.change(row: row) == nil { return nil }
      return owner == nil ? "\(run) (recorded as its manager by this run)" : run
    }
  }

  /// The directory's value of a field a row's unchanged account keeps.
  private func keptValue(_ item: ReviewItem, _ column: ExportColumn) -> String {
    guard case .row(let row) = item, let kept = plan.keptLocal(row: row) else { return value(item, column) }
    return kept.values[column]
  }

  /// Why a row is taken for an absent account's new ID: what matched, and
  /// the old and new custom_id.
  static func idChangeEvidence(_ change: PlannedChange) -> [(text: String, style: Style)] {
    let matched =
      switch change.matchedBy {
      case .email: "the same email as account #\(change.accountID ?? 0)"
      case .name: "the same first and last name, building and user type as account #\(change.accountID ?? 0)"
      case .customID, nil: "account #\(change.accountID ?? 0)"
      }
    return [
      ("  custom_id \(change.oldCustomID ?? "?") → \(change.customID)", Style(.change, .bold)),
      ("  matched: \(matched), absent from the export", .plain),
      ("  committing accepts this ID change (its history is kept)", .muted),
    ]
  }

  /// Field names as the details pane shows them (the building ID's
  /// column name is long for an 80-column pane).
  static func label(_ column: ExportColumn) -> String {
    column == .schoolExternalID ? "building ID" : column.header
  }

  private func shown(_ value: String) -> String { value.isEmpty ? "(empty)" : value }

  static func outcomeTitle(_ outcome: RowOutcome) -> String {
    switch outcome {
    case .error: "error: not applied"
    case .create: "create"
    case .update: "update"
    case .disable: "disable"
    case .reactivate: "reactivate"
    case .assignID: "assign ID to an existing account"
    case .idChange: "ID change: an absent account re-keyed"
    case .unchanged: "unchanged"
    case .skipped: "nothing to do (disabled, no account)"
    case .excluded: "excluded from this run"
    case .heldBack: "held back by protection (not changed)"
    }
  }
}
