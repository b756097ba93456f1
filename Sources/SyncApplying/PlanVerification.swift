import ExportReading
import SyncDirectory
import SyncModel
import SyncPlanning

/// A saved plan is checked, not believed: inside the apply transaction,
/// before anything is written, every change is compared with the directory
/// as it is and its new values with the export's format rules. A plan made
/// by sis-sync for this very state always passes; one edited or damaged
/// since (an invalid email, an account that does not exist, before-values
/// that are not the directory's) is refused whole, naming what does not fit.
///
/// Creates are checked for their values here; a custom_id or email that
/// the directory already has is refused by the store as the rows go in
/// (`explainDuplicateKey` then names the change).
enum PlanVerification {
  /// How many changes' accounts are read together.
  static let lookupGroup = 4096

  /// The plan's account changes with the directory's real before-values
  /// (equal to the plan's, or the plan is refused).
  static func verify(_ plan: Plan, in directory: any DirectoryReading) throws -> [PlannedChange] {
    let organizations = try directory.organizations()
    var referenceAfter: [Int64: String] = [:]
    for organization in organizations { referenceAfter[organization.id] = organization.reference }
    var problems: [String] = []
    // What is protected is never changed, whoever made the plan: a plan
    // made without the directory's protections is refused, not applied.
    let today = RunClock.today()
    var protectedAccounts: [Int64: ProtectionRecord] = [:]
    var protectedOrganizations: [Int64: ProtectionRecord] = [:]
    for protection in try directory.protections() where protection.holds(on: today) {
      switch protection.kind {
      case .account: protectedAccounts[protection.targetID] = protection
      case .organization: protectedOrganizations[protection.targetID] = protection
      }
    }
    // Local fields are never written by the sync, whoever made the plan. A
    // cleanup is no sync: it is the district's own edit, made in sis-sync
    // (`cleanup --set-grade` on a local grade is what local means).
    let localFields =
      CleanupPlan.isCleanupSource(plan.exportName)
      ? PlanLocalFields.none
      : DirectorySettings(stored: try directory.settings(), accountLocalFields: try directory.localFields())
        .localFields
    for change in plan.organizationChanges {
      problems += check(change, organizations: organizations)
      if let protection = protectedOrganizations[change.organizationID] {
        problems.append(
          "organization #\(change.organizationID) is protected (\(protection.reason)): its external ID is kept")
      }
      referenceAfter[change.organizationID] = change.after
    }
    var verified: [PlannedChange] = []
    verified.reserveCapacity(plan.changes.count)
    // The accounts are read a group at a time (one statement on a server),
    // not one query per change.
    for start in stride(from: 0, to: plan.changes.count, by: lookupGroup) {
      let group = plan.changes[start..<min(start + lookupGroup, plan.changes.count)]
      let current = try directory.accounts(ids: group.compactMap { $0.action == .create ? nil : $0.accountID })
      for var change in group {
        // Problems are worded without the change's name, added only when
        // there are any: a hundred thousand creates build no string.
        var found = formatProblems(change.after, managed: true).map { "the new \($0)" }
        if referenceAfter[change.organizationID] != change.after[.schoolExternalID] {
          found.append("its school does not match organization #\(change.organizationID)")
        }
        if change.action == .create {
          if change.before != nil || change.accountID != nil { found.append("a create names an account") }
          if change.after[.status] != "Active" { found.append("a create must be Active") }
        } else if let accountID = change.accountID, let before = change.before {
          if let current = current[accountID]?.values {
            found += mismatches(change, before: before, current: current)
            if !localFields.isEmpty {
              found += localFieldWrites(change, accountID: accountID, current: current, localFields: localFields)
            }
            change.before = current
          } else {
            found.append("there is no account #\(accountID) in the directory")
          }
        } else {
          found.append("an \(change.action.rawValue) without an account or before-values")
        }
        if change.customID != change.after[.customID] { found.append("its custom_id fields disagree") }
        if !protectedAccounts.isEmpty, let accountID = change.accountID, let protection = protectedAccounts[accountID] {
          found.append("account #\(accountID) is protected (\(protection.reason)): the sync does not change it")
        }
        if !found.isEmpty {
          let name = describe(change)
          problems += found.map { "\(name): \($0)" }
        }
        verified.append(change)
      }
    }
    guard problems.isEmpty else { throw ApplyRefusal.doesNotFit(problems) }
    return verified
  }

  /// What is wrong with an account change against the account as it is.
  private static func mismatches(
    _ change: PlannedChange, before: AccountValues, current: AccountValues
  ) -> [String] {
    var found: [String] = []
    let differing = current.differences(from: before)
    if !differing.isEmpty {
      found.append(
        "the directory's " + differing.map(\.header).joined(separator: ", ")
          + " differ from the plan's before-values")
    }
    let wasManaged = !current[.customID].isEmpty
    switch change.action {
    case .assignID:
      if wasManaged { found.append("assign_id for an account that already has a custom_id") }
    case .create: break
    case .update, .disable, .reactivate:
      if !wasManaged { found.append("the account is not managed (it has no custom_id)") }
      if change.after[.customID] != before[.customID] {
        found.append("an \(change.action.rawValue) changes the custom_id")
      }
    case .idChange:
      // The one change that re-keys a managed account: from the custom_id
      // it has now (checked with the other before-values) to another.
      if !wasManaged { found.append("the account is not managed (it has no custom_id)") }
      if change.after[.customID] == before[.customID] { found.append("an id_change keeps the custom_id") }
    }
    switch change.action {
    case .disable:
      var expected = before
      expected[.status] = "Disabled"
      if before[.status] != "Active" || change.after != expected {
        found.append("a disable must change only the status, from Active to Disabled")
      }
    case .reactivate:
      if before[.status] != "Disabled" || change.after[.status] != "Active" {
        found.append("a reactivate must change the status from Disabled to Active")
      }
    case .update, .assignID:
      if change.after[.status] != before[.status] { found.append("an \(change.action.rawValue) changes the status") }
    case .create, .idChange: break
    }
    return found
  }

  /// The local fields of the account a change would write (values are not
  /// named: messages may reach a log).
  private static func localFieldWrites(
    _ change: PlannedChange, accountID: Int64, current: AccountValues, localFields: PlanLocalFields
  ) -> [String] {
    let written = localFields.fields(ofAccount: accountID).filter { change.after[$0] != current[$0] }
    guard !written.isEmpty else { return [] }
    return [
      "it would write " + written.map(\.header).joined(separator: ", ")
        + ", local to account #\(accountID) (kept as the directory has it)"
    ]
  }

  /// Breaks of the export's format rules in an account's values (the rules
  /// a row had to pass to be planned at all).
  static func formatProblems(_ values: AccountValues, managed: Bool) -> [String] {
    var found: [String] = []
    for column in [ExportColumn.firstName, .lastName, .email] where values[column].isEmpty {
      found.append("\(column.header) is empty")
    }
    if managed && values[.customID].isEmpty { found.append("custom_id is empty") }
    for column in ExportColumn.allCases {
      var value = values[column]  // (withUTF8: the bytes in place, no copy)
      if value.withUTF8({ ValueRules.forbiddenControlCharacter(in: $0, column: column) }) != nil {
        found.append("\(column.header) holds a control character")
      }
    }
    var email = values[.email]
    if !email.isEmpty, !email.withUTF8(ValueRules.isValidEmail) { found.append("email is not a valid address") }
    if !Vocabulary.userTypes.contains(values[.userType]) { found.append("user_type is not one of the four types") }
    if !Vocabulary.statuses.contains(values[.status]) { found.append("status is not Active or Disabled") }
    if !values[.grade].isEmpty && !Vocabulary.grades.contains(values[.grade]) {
      found.append("grade is not a known grade")
    }
    return found
  }

  private static func check(_ change: OrganizationChange, organizations: [Organization]) -> [String] {
    let name = "organization #\(change.organizationID)"
    guard let organization = organizations.first(where: { $0.id == change.organizationID }) else {
      return ["\(name): there is no such organization in the directory"]
    }
    var found: [String] = []
    if organization.externalID != change.before { found.append("\(name): its external ID differs from the plan's") }
    if change.after.isEmpty || change.after.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      found.append("\(name): the new external ID is empty or holds a control character")
    }
    if organizations.contains(where: { $0.externalID == change.after && $0.id != change.organizationID }) {
      found.append("\(name): another organization has the external ID the plan gives it")
    }
    return found
  }

  /// How a change is named in a refusal: its action, line and custom_id
  /// (no names or emails: messages may reach a log).
  static func describe(_ change: PlannedChange) -> String {
    var text = change.action.rawValue
    if let line = change.line { text += " (line \(line))" }
    if !change.customID.isEmpty { text += " custom_id \(change.customID)" }
    if let accountID = change.accountID { text += " account #\(accountID)" }
    return text
  }

  /// After the store refused a duplicate key (and the transaction was
  /// rolled back): which changes take a custom_id or email that another
  /// account, or another change of the plan, has.
  static func explainDuplicateKey(_ plan: Plan, in directory: any DirectoryReading) -> [String] {
    var found: [String] = []
    var customIDs: [String: PlannedChange] = [:]
    var emails: [String: PlannedChange] = [:]
    for change in plan.changes {
      let name = describe(change)
      let email = change.after[.email].lowercased()
      if let other = customIDs.updateValue(change, forKey: change.after[.customID]) {
        found.append("\(name): \(describe(other)) has the same custom_id")
      }
      if let other = emails.updateValue(change, forKey: email) {
        found.append("\(name): \(describe(other)) has the same email")
      }
      let accountID = change.accountID ?? -1
      if let other = try? directory.accountID(customID: change.after[.customID], otherThan: accountID) {
        found.append("\(name): account #\(other) already has this custom_id")
      }
      if let other = try? directory.accountID(email: change.after[.email], otherThan: accountID) {
        found.append("\(name): account #\(other) already has this email")
      }
      if found.count >= 50 { break }
    }
    return found
  }
}
