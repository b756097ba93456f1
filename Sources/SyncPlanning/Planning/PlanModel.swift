import ExportReading
import SyncDirectory
import SyncModel

/// What a change does to the directory.
public enum ChangeAction: String, Sendable, Codable, CaseIterable {
  case create
  case update
  case disable
  case reactivate
  /// Give an unmanaged account (no custom_id) the row's custom_id, then
  /// update it: never a duplicate account for someone already there.
  case assignID = "assign_id"
  /// Re-key a managed account absent from the export to a row's new
  /// custom_id (the SIS re-numbered the person), with the row's other
  /// changes: the account, and its history, are kept.
  case idChange = "id_change"

  /// The sign used in readable plans.
  public var symbol: String {
    switch self {
    case .create: "+"
    case .update: "~"
    case .disable: "-"
    case .reactivate: "^"
    case .assignID: "="
    case .idChange: ">"
    }
  }
}

/// One account change of a plan.
public struct PlannedChange: Sendable, Equatable {
  public var action: ChangeAction
  public var customID: String
  /// The export line it comes from; nil for accounts absent from the export.
  public var line: Int?
  /// The account changed; nil for creates.
  public var accountID: Int64?
  /// The organization the account will belong to.
  public var organizationID: Int64
  /// The account's values before (nil for creates) and after.
  public var before: AccountValues?
  public var after: AccountValues
  /// Why, when not evident ("absent from the export").
  public var reason: String?
  /// Set when the email is the mapping's generate rule's (W054): applied
  /// only once accepted.
  public var generatedEmail: GeneratedEmail?
  /// For an ID change: what showed the row to be the account's person
  /// (`.email`, or `.name` with building and user type).
  public var matchedBy: PersonKey?
  /// Local fields whose export value differs: the directory's value is
  /// kept (`after` has it), the export's is not written.
  public var keptLocal: [KeptLocalField] = []

  /// For an ID change: the custom_id the account has now.
  public var oldCustomID: String? { action == .idChange ? before?[.customID] : nil }

  public init(
    action: ChangeAction, customID: String, line: Int?, accountID: Int64?, organizationID: Int64,
    before: AccountValues?, after: AccountValues, reason: String? = nil, matchedBy: PersonKey? = nil
  ) {
    self.action = action
    self.customID = customID
    self.line = line
    self.accountID = accountID
    self.organizationID = organizationID
    self.before = before
    self.after = after
    self.reason = reason
    self.matchedBy = matchedBy
  }

  /// The fields that change (all of them for a create).
  public var changedColumns: [ExportColumn] {
    guard let before else { return ExportColumn.allCases.filter { !after.isEmpty($0) } }
    return after.differences(from: before)
  }
}

/// An email the mapping's `generate` rule made for a row that had none.
public enum GeneratedEmail: String, Sendable, Codable {
  /// Shown in the plan; the row is held back until accepted.
  case proposed
  /// Accepted (in review, or `apply --accept-generated`): applied.
  case accepted
}

/// Giving an organization an external ID (an explicit review decision).
public struct OrganizationChange: Sendable, Equatable, Codable {
  public var organizationID: Int64
  public var name: String
  public var before: String?
  public var after: String

  public init(organizationID: Int64, name: String, before: String?, after: String) {
    self.organizationID = organizationID
    self.name = name
    self.before = before
    self.after = after
  }
}

/// Counts of a plan, named as in the JSON contract (SPEC §7).
public struct PlanSummary: Sendable, Equatable {
  public var create = 0
  public var update = 0
  public var disable = 0
  public var reactivate = 0
  public var unchanged = 0
  public var assignID = 0
  public var idChange = 0
  /// Rows with nothing to do (Disabled in the export, absent from the directory).
  public var skipped = 0
  /// Rows not applied because of errors.
  public var rowsWithErrors = 0
  /// Rows the reviewer excluded.
  public var excluded = 0
  public var organizationExternalIDs = 0
  /// Changes protection held back (rows and absent accounts); not changes.
  public var heldBack = 0

  public init() {}

  public var totalChanges: Int {
    create + update + disable + reactivate + assignID + idChange + organizationExternalIDs
  }

  public func count(_ action: ChangeAction) -> Int {
    switch action {
    case .create: create
    case .update: update
    case .disable: disable
    case .reactivate: reactivate
    case .assignID: assignID
    case .idChange: idChange
    }
  }

  mutating func remove(_ action: ChangeAction) {
    switch action {
    case .create: create -= 1
    case .update: update -= 1
    case .disable: disable -= 1
    case .reactivate: reactivate -= 1
    case .assignID: assignID -= 1
    case .idChange: idChange -= 1
    }
  }

  mutating func add(_ action: ChangeAction) {
    switch action {
    case .create: create += 1
    case .update: update += 1
    case .disable: disable += 1
    case .reactivate: reactivate += 1
    case .assignID: assignID += 1
    case .idChange: idChange += 1
    }
  }
}
