import ExportReading
import SyncDirectory
import SyncModel

/// The approved proposals of `organizations match` as a plan of
/// organization changes only, so that they are applied as one run by the
/// same rules as any plan (checked against the directory's state, recorded,
/// listed by `history`, undone by `revert`).
public enum OrganizationMatchPlan {
  /// `file` names the run's source (its path and SHA-256 are recorded as
  /// an export's are).
  public static func plan(
    approving proposals: [OrganizationProposal], file: OrganizationsFile, fileSHA256: String,
    directory: DirectorySnapshot
  ) -> Plan {
    let decisions = ReviewDecisions(
      proposals.filter(\.changesDirectory).map {
        Decision.setOrganizationExternalID(organizationID: $0.organization.id, externalID: $0.externalID)
      })
    let changes = PlanAssembly.organizationChanges(decisions, directory)
    var summary = PlanSummary()
    summary.organizationExternalIDs = changes.count
    return Plan(
      exportName: file.path, exportSHA256: fileSHA256, mappingOrigin: "organizations file (\(file.format.rawValue))",
      directoryID: directory.directoryID, directoryGeneration: directory.generation,
      directoryToken: directory.state.token, options: PlanOptions(), decisions: decisions.decisions, changes: [],
      organizationChanges: changes, summary: summary, managedAccountsInScope: 0, holds: [], findings: [],
      rowCount: 0, rowOutcomes: [], rowChanges: [])
  }
}
