import ExportReading
import SyncDirectory
import SyncModel

/// Who a row was when a decision was made about it: the row's keys as the
/// export had them (before any decision), and its line, a hint only. A
/// saved decision is applied to a new export through these keys, never by
/// line (the person matcher's keys: custom_id, else email, else name with
/// building and user type).
public struct RowAnchor: Sendable, Equatable, Codable {
  public var line: Int
  public var customID: String
  public var email: String
  public var firstName: String
  public var lastName: String
  public var building: String
  public var userType: String

  public init(line: Int, keys: PersonKeys) {
    self.line = line
    customID = keys.customID
    email = keys.email
    firstName = keys.firstName
    lastName = keys.lastName
    building = keys.building
    userType = keys.userType
  }

  public var keys: PersonKeys {
    PersonKeys(
      customID: customID, email: email, firstName: firstName, lastName: lastName, building: building,
      userType: userType)
  }

  /// How the person is named in lists of decisions not applied.
  public var personText: String {
    let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    let id = customID.isEmpty ? "" : " (\(customID))"
    return (name.isEmpty ? "line \(line)" : name) + id
  }

  enum CodingKeys: String, CodingKey {
    case line
    case customID = "custom_id"
    case email
    case firstName = "first_name"
    case lastName = "last_name"
    case building = "school_district_external_id"
    case userType = "user_type"
  }
}

/// What a decision expected to see, saved with it: the rows it names
/// (in the order the decision names them) and, for a custom_id edit, the
/// account that held the new ID then (nil: none did).
public struct DecisionAnchor: Sendable, Equatable, Codable {
  public var rows: [RowAnchor]
  public var valueAccount: Int64?

  public init(rows: [RowAnchor], valueAccount: Int64? = nil) {
    self.rows = rows
    self.valueAccount = valueAccount
  }

  enum CodingKeys: String, CodingKey {
    case rows
    case valueAccount = "value_account"
  }
}

/// A decision with its anchor, as sessions and journals keep it.
public struct AnchoredDecision: Sendable, Equatable, Codable {
  public var decision: Decision
  public var anchor: DecisionAnchor?

  public init(decision: Decision, anchor: DecisionAnchor?) {
    self.decision = decision
    self.anchor = anchor
  }
}

extension Decision {
  /// The export lines the decision names (none for whole-export decisions).
  public var lines: [Int] {
    switch self {
    case .exclude(let line), .include(let line), .editCustomID(let line, _), .changeBuildingID(let line, _),
      .assignID(let line, _), .acceptGeneratedEmail(let line):
      [line]
    case .excludeLines(let lines, _): lines
    case .remapBuildingID, .setOrganizationExternalID, .mapValue, .acceptAllGeneratedEmails: []
    }
  }

  /// The same decision about other lines (`lines` in the order `lines` gave).
  func withLines(_ lines: [Int]) -> Decision {
    switch self {
    case .exclude: .exclude(line: lines[0])
    case .include: .include(line: lines[0])
    case .editCustomID(_, let value): .editCustomID(line: lines[0], customID: value)
    case .changeBuildingID(_, let value): .changeBuildingID(line: lines[0], buildingID: value)
    case .assignID(_, let account): .assignID(line: lines[0], accountID: account)
    case .acceptGeneratedEmail: .acceptGeneratedEmail(line: lines[0])
    case .excludeLines(_, let reason): .excludeLines(lines, reason: reason)
    case .remapBuildingID, .setOrganizationExternalID, .mapValue, .acceptAllGeneratedEmails: self
    }
  }
}

extension LivePlan {
  /// The row's keys as the export has them (no decision applied).
  public func exportKeys(row: Int) -> PersonKeys {
    PersonKeys { exportValue(row: row, column: $0) }
  }

  /// The decision's anchor in this plan's export and directory.
  public func anchor(for decision: Decision) -> DecisionAnchor {
    let rows = decision.lines.compactMap { line in
      row(atLine: line).map { RowAnchor(line: line, keys: exportKeys(row: $0)) }
    }
    var valueAccount: Int64?
    if case .editCustomID(_, let value) = decision, let account = directory.account(customID: value) {
      valueAccount = directory.accountIDs[account]
    }
    return DecisionAnchor(rows: rows, valueAccount: valueAccount)
  }

  /// Every decision so far with its anchor.
  public var anchoredDecisions: [AnchoredDecision] {
    decisions.decisions.map { AnchoredDecision(decision: $0, anchor: anchor(for: $0)) }
  }
}
