import ExportReading
import SyncDirectory
import SyncModel

/// The parts of a plan made the same way by `Planner` (from scratch) and by
/// `LivePlan` (decision by decision).
enum PlanAssembly {
  /// External IDs that decisions give to organizations, as changes.
  static func organizationChanges(_ decisions: ReviewDecisions, _ directory: DirectorySnapshot) -> [OrganizationChange]
  {
    decisions.organizationExternalIDs.sorted { $0.key < $1.key }.compactMap { organizationID, externalID in
      guard let index = directory.organizationIndex(id: organizationID) else { return nil }
      let organization = directory.organizations[index]
      guard organization.externalID != externalID else { return nil }
      return OrganizationChange(
        organizationID: organizationID, name: organization.name, before: organization.externalID, after: externalID)
    }
  }

  /// One note for all Disabled rows that have no account.
  static func nothingToDo(lines: [Int]) -> Finding? {
    guard let first = lines.first else { return nil }
    return Finding(
      code: .nothingToDo, line: first,
      message: "\(lines.count) Disabled \(lines.count == 1 ? "row has" : "rows have") no account",
      relatedLines: Array(lines.dropFirst().prefix(9)), relatedCount: lines.count - 1)
  }

  /// The account's values, with its organization's reference as decided in
  /// review (an organization that gets an external ID).
  static func accountValues(
    _ account: Int, _ directory: DirectorySnapshot, _ decisions: ReviewDecisions
  ) -> AccountValues {
    var values = directory.values(ofAccount: account)
    if !decisions.organizationExternalIDs.isEmpty,
      let decided = decisions.organizationExternalIDs[directory.organization(ofAccount: account).id]
    {
      values[.schoolExternalID] = decided
    }
    return values
  }

  /// Disabling an active managed account that no row names; nil when the
  /// account is not active.
  static func missingAccountDisable(
    _ account: Int, _ directory: DirectorySnapshot, _ decisions: ReviewDecisions
  ) -> PlannedChange? {
    let before = accountValues(account, directory, decisions)
    guard before[.status] == "Active" else { return nil }
    var after = before
    after[.status] = "Disabled"
    return PlannedChange(
      action: .disable, customID: before[.customID], line: nil, accountID: directory.accountIDs[account],
      organizationID: directory.organization(ofAccount: account).id, before: before, after: after,
      reason: "absent from the export")
  }
}
