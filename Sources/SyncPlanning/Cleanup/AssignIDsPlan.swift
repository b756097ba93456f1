import ExportReading
import SyncDirectory
import SyncModel

/// A list line that gets no ID, and why (nothing is guessed).
public struct AssignIDsProblem: Sendable, Equatable {
  public enum Kind: String, Sendable { case ambiguous, unmatched }
  public var line: Int
  public var kind: Kind
  public var reason: String
}

/// The plan of an assign-IDs list and the lines it leaves out.
public struct AssignIDsOutcome: Sendable {
  public var plan: Plan
  public var problems: [AssignIDsProblem]
}

/// Gives unmanaged accounts the IDs of a list through the person matcher
/// (the candidates are the unmanaged accounts): a line gets its account
/// only when it could be that one account, which no other line could be.
public enum AssignIDsPlan {
  public static func plan(
    lines: [AssignIDsLine], source: String, sourceSHA256: String, directory: DirectorySnapshot,
    options: PlanOptions = PlanOptions()
  ) -> AssignIDsOutcome {
    let unmanaged = (0..<directory.accountCount).filter { !directory.isManaged(account: $0) }
    let matcher = PersonMatcher(directory: directory, candidates: unmanaged) { building in
      directory.organizationIndex(externalID: building)
        ?? directory.organizations.firstIndex { $0.externalID == nil && $0.name == building }
    }
    var problems: [AssignIDsProblem] = []
    var found: [(line: AssignIDsLine, accounts: [Int])] = []
    var linesOfID: [String: [Int]] = [:]
    for line in lines { linesOfID[line.customID, default: []].append(line.line) }
    for line in lines {
      if let holder = directory.account(customID: line.customID) {
        problems.append(
          AssignIDsProblem(
            line: line.line, kind: .unmatched,
            reason: "custom_id \(line.customID) already belongs to account #\(directory.accountIDs[holder])"))
        continue
      }
      if let others = linesOfID[line.customID], others.count > 1 {
        let rest = others.filter { $0 != line.line }.map(String.init).joined(separator: ", ")
        problems.append(
          AssignIDsProblem(
            line: line.line, kind: .ambiguous, reason: "custom_id \(line.customID) is also on line \(rest)"))
        continue
      }
      // Without a user type, a name may be any of the four.
      let types = line.userType.isEmpty ? Vocabulary.userTypes : [line.userType]
      var accounts: [Int] = []
      for type in types {
        let keys = PersonKeys(
          customID: "", email: line.email, firstName: line.firstName, lastName: line.lastName,
          building: line.building, userType: type)
        for account in matcher.possibleAccounts(keys).accounts where !accounts.contains(account) {
          accounts.append(account)
        }
      }
      if accounts.isEmpty {
        problems.append(AssignIDsProblem(line: line.line, kind: .unmatched, reason: unmatchedReason(line, directory)))
        continue
      }
      found.append((line, accounts))
    }
    var linesPerAccount: [Int: [Int]] = [:]
    for (line, accounts) in found {
      for account in accounts { linesPerAccount[account, default: []].append(line.line) }
    }
    var changes: [PlannedChange] = []
    var summary = PlanSummary()
    var organizations: Set<Int64> = []
    for (line, accounts) in found {
      if accounts.count > 1 {
        let ids = accounts.map { "#\(directory.accountIDs[$0])" }.joined(separator: ", ")
        problems.append(
          AssignIDsProblem(
            line: line.line, kind: .ambiguous, reason: "\(accounts.count) unmanaged accounts match (\(ids))"))
        continue
      }
      let account = accounts[0]
      let others = linesPerAccount[account, default: []].filter { $0 != line.line }
      guard others.isEmpty else {
        problems.append(
          AssignIDsProblem(
            line: line.line, kind: .ambiguous,
            reason: "account #\(directory.accountIDs[account]) is also matched by line "
              + others.map(String.init).joined(separator: ", ")))
        continue
      }
      let before = directory.values(ofAccount: account)
      var after = before
      after[.customID] = line.customID
      let organization = directory.organization(ofAccount: account)
      organizations.insert(organization.id)
      summary.add(.assignID)
      changes.append(
        PlannedChange(
          action: .assignID, customID: line.customID, line: line.line, accountID: directory.accountIDs[account],
          organizationID: organization.id, before: before, after: after, reason: "from the list"))
    }
    problems.sort { $0.line < $1.line }
    let scope = CleanupPlan.managedAccounts(in: organizations, directory, countingUnmanaged: true)
    let name = CleanupPlan.sourcePrefix + "assign IDs from " + source
    return AssignIDsOutcome(
      plan: Plan(
        exportName: name, exportSHA256: sourceSHA256, mappingOrigin: "none (assign-IDs list)",
        directoryID: directory.directoryID, directoryGeneration: directory.generation,
        directoryToken: directory.state.token, options: options, decisions: [], changes: changes,
        organizationChanges: [], summary: summary, managedAccountsInScope: scope,
        holds: ThresholdCheck.holds(summary: summary, scope: scope, thresholds: options.thresholds), findings: [],
        rowCount: 0, rowOutcomes: [], rowChanges: []),
      problems: problems)
  }

  private static func unmatchedReason(_ line: AssignIDsLine, _ directory: DirectorySnapshot) -> String {
    if !line.email.isEmpty, let account = directory.account(email: line.email) {
      return "the email belongs to account #\(directory.accountIDs[account]), which already has a custom_id"
    }
    if line.firstName.isEmpty || line.lastName.isEmpty || line.building.isEmpty {
      return "no account has this email"
    }
    if directory.organizationIndex(externalID: line.building) == nil
      && !directory.organizations.contains(where: { $0.name == line.building })
    {
      return "no account has this email, and there is no building '\(line.building)'"
    }
    return line.email.isEmpty
      ? "no unmanaged account has this name in building \(line.building)"
      : "no account has this email, nor an unmanaged one this name in building \(line.building)"
  }
}
