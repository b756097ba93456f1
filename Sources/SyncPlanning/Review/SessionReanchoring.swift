import ExportReading
import SyncDirectory
import SyncModel

/// A saved decision that was not applied on reopening, and why.
public struct NotAppliedDecision: Sendable, Equatable {
  public enum Reason: Sendable, Equatable {
    /// The person is no longer in the export.
    case rowGone
    /// The export or the directory already shows what was decided.
    case alreadyFixed(String)
    /// Something the decision expected changed, or it could be another person.
    case conflicting(String)
  }

  /// The decision as it was saved (its old line).
  public var decision: Decision
  /// Who it was about (nil for whole-export decisions).
  public var person: RowAnchor?
  public var reason: Reason

  /// One line for the dialog and the session report.
  public var text: String {
    let who = person.map { "\($0.personText), line \($0.line): " } ?? ""
    return who + decision.summary + " — " + reasonText
  }

  public var reasonText: String {
    switch reason {
    case .rowGone: "not applied: the row is gone from the export"
    case .alreadyFixed(let detail): "not needed: already fixed in the SIS (\(detail))"
    case .conflicting(let detail): "not applied: now conflicting (\(detail))"
    }
  }
}

/// Saved decisions made to fit the export and directory now open: each row
/// a decision names is found again by its person (custom_id, else email,
/// else first and last name with building and user type; one row for one
/// person both ways), the values the decision expected are checked, and
/// the decision is re-keyed to the row's line. A decision that no longer
/// fits is listed with its reason and never applied to anyone else.
public struct SessionReanchoring {
  public struct Result: Sendable, Equatable {
    public var kept: [Decision] = []
    public var notApplied: [NotAppliedDecision] = []
  }

  let plan: LivePlan
  /// Whether the decisions were made for this very export (same SHA-256):
  /// lines are then exact, and only the directory is re-checked.
  let sameExport: Bool
  private var index: RowIndex?

  /// Re-anchors `saved` against `plan` (which has no decisions yet).
  public static func reanchor(_ saved: [AnchoredDecision], sameExport: Bool, plan: LivePlan) -> Result {
    var reanchoring = SessionReanchoring(plan: plan, sameExport: sameExport)
    return reanchoring.run(saved)
  }

  private mutating func run(_ saved: [AnchoredDecision]) -> Result {
    var result = Result()
    // Rows found for each saved line; a row found for two saved people is
    // neither of them (unique both ways).
    var found: [Int: Found] = [:]
    for item in saved {
      for anchor in item.anchor?.rows ?? [] where found[anchor.line] == nil { found[anchor.line] = resolve(anchor) }
    }
    var claims: [Int: Set<Int>] = [:]
    for (line, outcome) in found { if case .row(let row) = outcome { claims[row, default: []].insert(line) } }
    for (line, outcome) in found {
      if case .row(let row) = outcome, let lines = claims[row], lines.count > 1 {
        found[line] = .failed(
          .conflicting(
            "line \(plan.line(ofRow: row)) now matches the people of saved lines "
              + lines.sorted().map(String.init).joined(separator: ", ")))
      }
    }
    for item in saved {
      let decision = item.decision
      let anchors = item.anchor?.rows ?? []
      if decision.lines.isEmpty {
        if let reason = wholeExportReason(decision) {
          result.notApplied.append(NotAppliedDecision(decision: decision, person: nil, reason: reason))
        } else {
          result.kept.append(decision)
        }
        continue
      }
      guard anchors.count == decision.lines.count else {
        // Saved without the people it names: only the same export fits it.
        if sameExport {
          result.kept.append(decision)
        } else {
          result.notApplied.append(
            NotAppliedDecision(
              decision: decision, person: nil, reason: .conflicting("saved without the person it is about")))
        }
        continue
      }
      var newLines: [Int] = []
      for anchor in anchors {
        let reason: NotAppliedDecision.Reason?
        switch found[anchor.line] ?? .failed(.rowGone) {
        case .row(let row):
          reason = expectationReason(decision, anchor: anchor, valueAccount: item.anchor?.valueAccount, row: row)
          if reason == nil { newLines.append(plan.line(ofRow: row)) }
        case .failed(let failure):
          reason = failure
        }
        if let reason {
          result.notApplied.append(
            NotAppliedDecision(decision: decision.withLines([anchor.line]), person: anchor, reason: reason))
        }
      }
      if case .excludeLines = decision {
        if !newLines.isEmpty { result.kept.append(decision.withLines(newLines)) }
      } else if newLines.count == 1 {
        result.kept.append(decision.withLines(newLines))
      }
    }
    return result
  }

  private enum Found: Equatable {
    case row(Int)
    case failed(NotAppliedDecision.Reason)
  }

  // MARK: - Finding the person again

  private mutating func resolve(_ anchor: RowAnchor) -> Found {
    if sameExport {
      return plan.row(atLine: anchor.line).map(Found.row) ?? .failed(.rowGone)
    }
    if index == nil { index = RowIndex(plan) }
    let index = index!
    var note: String?
    if !anchor.customID.isEmpty, let rows = index.byCustomID[anchor.customID] {
      let same = rows.filter { samePerson(anchor, row: $0) }
      if let found = unique(same, anchor) { return found }
      if same.isEmpty {
        note = "custom_id \(anchor.customID) is now on another person's row (line \(plan.line(ofRow: rows[0])))"
      }
    }
    if !anchor.email.isEmpty, let rows = index.byEmail[anchor.email.lowercased()] {
      if let found = unique(rows, anchor) { return found }
    }
    if let key = RowIndex.nameKey(anchor.keys), let rows = index.byName[key], let found = unique(rows, anchor) {
      return found
    }
    return .failed(note.map(NotAppliedDecision.Reason.conflicting) ?? .rowGone)
  }

  /// One row: it. Several: the one whose keys are all as saved, when
  /// exactly one is (a duplicate ID decided on one of its rows).
  private func unique(_ rows: [Int], _ anchor: RowAnchor) -> Found? {
    if rows.count == 1 { return .row(rows[0]) }
    if rows.isEmpty { return nil }
    let exact = rows.filter { plan.exportKeys(row: $0) == anchor.keys }
    if exact.count == 1 { return .row(exact[0]) }
    return .failed(.conflicting("\(rows.count) rows now match this person; none alone"))
  }

  /// A row with the saved custom_id is the same person when its email or
  /// its first and last name agree.
  private func samePerson(_ anchor: RowAnchor, row: Int) -> Bool {
    let keys = plan.exportKeys(row: row)
    if !anchor.email.isEmpty, keys.email.lowercased() == anchor.email.lowercased() { return true }
    return !anchor.lastName.isEmpty && keys.lastName.lowercased() == anchor.lastName.lowercased()
      && keys.firstName.lowercased() == anchor.firstName.lowercased()
  }

  // MARK: - What the decision expected

  /// Why the decision no longer fits the person's row (nil: it fits).
  private func expectationReason(
    _ decision: Decision, anchor: RowAnchor, valueAccount: Int64?, row: Int
  ) -> NotAppliedDecision.Reason? {
    let keys = plan.exportKeys(row: row)
    let directory = plan.directory
    switch decision {
    case .exclude, .include, .excludeLines:
      return nil
    case .editCustomID(_, let value):
      if keys.customID == value { return .alreadyFixed("the export has custom_id \(value)") }
      if keys.customID != anchor.customID {
        return .conflicting("custom_id is now \(keys.customID), not \(anchor.customID) as when decided")
      }
      let holder = directory.account(customID: value).map { directory.accountIDs[$0] }
      if holder != valueAccount {
        if let holder { return .conflicting("custom_id \(value) now belongs to another account (#\(holder))") }
        return .conflicting("account #\(valueAccount!) no longer has custom_id \(value)")
      }
      return nil
    case .changeBuildingID(_, let value):
      if keys.building == value { return .alreadyFixed("the export has building ID \(value)") }
      if keys.building != anchor.building {
        return .conflicting("building ID is now \(keys.building), not \(anchor.building) as when decided")
      }
      return nil
    case .assignID(_, let accountID):
      if keys.customID != anchor.customID {
        return .conflicting("custom_id is now \(keys.customID), not \(anchor.customID) as when decided")
      }
      if let holder = directory.account(customID: keys.customID) {
        let id = directory.accountIDs[holder]
        return id == accountID
          ? .alreadyFixed("account #\(id) has custom_id \(keys.customID)")
          : .conflicting("custom_id \(keys.customID) now belongs to another account (#\(id))")
      }
      guard let account = directory.accountIDs.firstIndex(of: accountID) else {
        return .conflicting("account #\(accountID) is no longer in the directory")
      }
      if directory.isManaged(account: account) {
        return .conflicting(
          "account #\(accountID) is now managed (custom_id "
            + directory.accounts.value(row: account, column: .customID) + ")")
      }
      return nil
    case .acceptGeneratedEmail:
      return keys.email.isEmpty ? nil : .alreadyFixed("the export has an email for the row")
    case .remapBuildingID, .setOrganizationExternalID, .mapValue, .acceptAllGeneratedEmails:
      return nil
    }
  }

  /// Why a whole-export decision no longer makes sense (nil: it does).
  private func wholeExportReason(_ decision: Decision) -> NotAppliedDecision.Reason? {
    switch decision {
    case .remapBuildingID(let from, _):
      let used = (0..<plan.rowCount).contains { plan.exportValue(row: $0, column: .schoolExternalID) == from }
      return used ? nil : .alreadyFixed("no row has building ID \(from) any more")
    case .mapValue(let column, let from, _):
      let lowered = from.lowercased()
      let used = (0..<plan.rowCount).contains { plan.exportValue(row: $0, column: column).lowercased() == lowered }
      return used ? nil : .alreadyFixed("no row has \(column.header) '\(from)' any more")
    case .setOrganizationExternalID(let organizationID, let externalID):
      let directory = plan.directory
      guard let index = directory.organizationIndex(id: organizationID) else {
        return .conflicting("organization #\(organizationID) is no longer in the directory")
      }
      if let current = directory.organizations[index].externalID {
        return current == externalID
          ? .alreadyFixed("organization #\(organizationID) has external ID \(externalID)")
          : .conflicting("organization #\(organizationID) now has external ID \(current)")
      }
      if let other = directory.organizationIndex(externalID: externalID) {
        return .conflicting("organization #\(directory.organizations[other].id) now has external ID \(externalID)")
      }
      return nil
    default:
      return nil
    }
  }
}

/// The export's rows by each person key, built once per reopening.
private struct RowIndex {
  var byCustomID: [String: [Int]] = [:]
  var byEmail: [String: [Int]] = [:]
  var byName: [String: [Int]] = [:]

  init(_ plan: LivePlan) {
    for row in 0..<plan.rowCount {
      let keys = plan.exportKeys(row: row)
      if !keys.customID.isEmpty { byCustomID[keys.customID, default: []].append(row) }
      if !keys.email.isEmpty { byEmail[keys.email.lowercased(), default: []].append(row) }
      if let key = Self.nameKey(keys) { byName[key, default: []].append(row) }
    }
  }

  /// First and last name, building and user type, without regard to case.
  static func nameKey(_ keys: PersonKeys) -> String? {
    guard !keys.firstName.isEmpty, !keys.lastName.isEmpty, !keys.userType.isEmpty else { return nil }
    return [keys.firstName, keys.lastName, keys.building, keys.userType].map { $0.lowercased() }
      .joined(separator: "\u{1F}")
  }
}
