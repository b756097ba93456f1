import ExportReading
import SyncDirectory
import SyncModel

/// What a cleanup does to each account the filter selects.
public enum CleanupAction: Sendable, Equatable {
  case disable
  case reactivate
  /// To the organization with this external ID (or name).
  case moveTo(String)
  case setGrade(String)
  case setPosition(String)

  public var text: String {
    switch self {
    case .disable: "disable"
    case .reactivate: "reactivate"
    case .moveTo(let building): "move to \(building)"
    case .setGrade(let grade): "set grade \(grade)"
    case .setPosition(let position): "set position \(position)"
    }
  }
}

/// One staged action and the accounts it is for.
public struct CleanupStep: Sendable, Equatable {
  public var accounts: [Int]
  public var action: CleanupAction

  public init(accounts: [Int], action: CleanupAction) {
    self.accounts = accounts
    self.action = action
  }
}

/// An account a cleanup selected but does not change, and why.
public struct CleanupLeftOut: Sendable, Equatable {
  public var accountID: Int64
  public var reason: String
}

/// A plan and what it left out.
public struct CleanupOutcome: Sendable {
  public var plan: Plan
  public var leftOut: [CleanupLeftOut]
}

/// A cleanup that cannot be planned (an unknown building, grade, …).
public struct CleanupError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Changes to accounts already in the directory, without an export: the
/// selected accounts' changes as a plan like any other, so thresholds hold
/// it, `plan`'s report shows it, and applying it is one run with history
/// and revert (the same trick as `OrganizationMatchPlan`).
public enum CleanupPlan {
  /// Every cleanup run's source starts with this, in place of an export's path.
  public static let sourcePrefix = "sis-sync cleanup: "

  public static func isCleanupSource(_ path: String?) -> Bool { path?.hasPrefix(sourcePrefix) ?? false }

  public static func plan(
    accounts: [Int], action: CleanupAction, description: String, directory: DirectorySnapshot,
    options: PlanOptions = PlanOptions()
  ) throws(CleanupError) -> CleanupOutcome {
    try plan(
      steps: [CleanupStep(accounts: accounts, action: action)], description: description, directory: directory,
      options: options)
  }

  /// Several actions in one plan (the cleanup screen stages them): each
  /// step's action is applied, in order, to its accounts; an account named
  /// by several steps gets one change carrying all of them.
  public static func plan(
    steps: [CleanupStep], description: String, directory: DirectorySnapshot, options: PlanOptions = PlanOptions()
  ) throws(CleanupError) -> CleanupOutcome {
    for step in steps { try check(step.action, directory) }
    // Each account once, in the order the steps first name it.
    var order: [Int] = []
    var actionsOf: [Int: [CleanupAction]] = [:]
    for step in steps {
      for account in step.accounts {
        if actionsOf[account] == nil { order.append(account) }
        actionsOf[account, default: []].append(step.action)
      }
    }
    var changes: [PlannedChange] = []
    var leftOut: [CleanupLeftOut] = []
    var summary = PlanSummary()
    var organizationsInScope: Set<Int64> = []
    var disabledAndChanged = 0
    let protections = ProtectionIndex(options.protections, directory: directory)
    for account in order {
      let id = directory.accountIDs[account]
      guard directory.isManaged(account: account) else {
        leftOut.append(CleanupLeftOut(accountID: id, reason: "not managed (no custom_id): give it an ID first"))
        continue
      }
      // A protected account is left alone by cleanups as by the sync.
      if let protection = protections.account(account) {
        leftOut.append(CleanupLeftOut(accountID: id, reason: "protected: \(protection.reason)"))
        continue
      }
      let before = directory.values(ofAccount: account)
      let organizationBefore = directory.organization(ofAccount: account).id
      var after = before
      var organizationID = organizationBefore
      let actions = actionsOf[account] ?? []
      for action in actions {
        switch action {
        case .disable: after[.status] = "Disabled"
        case .reactivate: after[.status] = "Active"
        case .moveTo(let building):
          let organization = directory.organizations[try targetOrganization(.moveTo(building), directory)!]
          after[.schoolExternalID] = organization.reference
          organizationID = organization.id
        case .setGrade(let grade): after[.grade] = grade
        case .setPosition(let position): after[.position] = position
        }
      }
      if after == before && organizationID == organizationBefore {
        summary.unchanged += 1
        continue
      }
      // The status decides the kind, so thresholds count disables as disables.
      let kind: ChangeAction =
        after[.status] == before[.status] ? .update : after[.status] == "Disabled" ? .disable : .reactivate
      if kind == .disable && after.differences(from: before) != [.status] {
        disabledAndChanged += 1
        continue
      }
      summary.add(kind)
      organizationsInScope.formUnion([organizationID, organizationBefore])
      changes.append(
        PlannedChange(
          action: kind, customID: before[.customID], line: nil, accountID: id, organizationID: organizationID,
          before: before, after: after, reason: "cleanup: " + actions.map(\.text).joined(separator: ", ")))
    }
    // A disable changes only the status (as an export's does, and apply
    // checks): the other change must be its own commit.
    if disabledAndChanged > 0 {
      throw CleanupError(
        message: "\(disabledAndChanged == 1 ? "1 account is" : "\(disabledAndChanged) accounts are") staged to be "
          + "disabled and changed otherwise too; a disable changes only the status: commit one, then stage the other")
    }
    let scope = managedAccounts(in: organizationsInScope, directory)
    let source = sourcePrefix + description
    return CleanupOutcome(
      plan: Plan(
        exportName: source, exportSHA256: sha256Hex(of: Array((source + "\n" + directory.state.token).utf8)),
        mappingOrigin: "none (cleanup)", directoryID: directory.directoryID,
        directoryGeneration: directory.generation, directoryToken: directory.state.token, options: options,
        decisions: [], changes: changes, organizationChanges: [], summary: summary, managedAccountsInScope: scope,
        holds: ThresholdCheck.holds(summary: summary, scope: scope, thresholds: options.thresholds), findings: [],
        rowCount: 0, rowOutcomes: [], rowChanges: []),
      leftOut: leftOut)
  }

  /// An action that cannot be planned at all (an unknown building or grade).
  public static func check(_ action: CleanupAction, _ directory: DirectorySnapshot) throws(CleanupError) {
    _ = try targetOrganization(action, directory)
    if case .setGrade(let grade) = action, !grade.isEmpty, !Vocabulary.grades.contains(grade) {
      throw CleanupError(message: "'\(grade)' is not a known grade")
    }
    if case .setPosition(let position) = action,
      position.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    {
      throw CleanupError(message: "the position holds a control character")
    }
  }

  /// The organization a move names, by external ID or else by name.
  private static func targetOrganization(
    _ action: CleanupAction, _ directory: DirectorySnapshot
  ) throws(CleanupError) -> Int? {
    guard case .moveTo(let building) = action else { return nil }
    if let index = directory.organizationIndex(externalID: building) { return index }
    let named = directory.organizations.indices.filter { directory.organizations[$0].name == building }
    guard named.count == 1 else {
      throw CleanupError(
        message: named.isEmpty
          ? "there is no organization '\(building)' (give its external ID or its name)"
          : "\(named.count) organizations are named '\(building)': give its external ID")
    }
    return named[0]
  }

  /// The thresholds' scope: managed accounts of the organizations the
  /// changed accounts belong to (before and after a move), as an export's
  /// scope is the organizations it covers.
  /// Assigning IDs counts the unmanaged accounts too (they are what it changes).
  static func managedAccounts(
    in organizations: Set<Int64>, _ directory: DirectorySnapshot, countingUnmanaged: Bool = false
  ) -> Int {
    let indexes = Set(organizations.compactMap { directory.organizationIndex(id: $0) }.map { Int32($0) })
    return (0..<directory.accountCount).reduce(0) { count, account in
      let inScope =
        indexes.contains(directory.accountOrganizations[account])
        && (countingUnmanaged || directory.isManaged(account: account))
      return count + (inScope ? 1 : 0)
    }
  }
}
