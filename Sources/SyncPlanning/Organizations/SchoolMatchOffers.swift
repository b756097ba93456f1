import ExportReading
import SyncDirectory
import SyncModel

/// The review screen's offer to match schools: the export's building IDs
/// that no organization has (E040) which the SIS's organizations file
/// names, each proposed to the directory organization without an external
/// ID whose name is most alike (`OrganizationMatcher`'s rules). Accepting
/// one is the decision `setOrganizationExternalID`, as `o` makes it.
public enum SchoolMatchOffers {
  public static func offers(
    _ plan: LivePlan, file: OrganizationsFile, minimumConfidence: Int = OrganizationMatcher.defaultMinimumConfidence
  ) -> [OrganizationProposal] {
    let unknown = unknownBuildingIDs(plan)
    guard !unknown.isEmpty else { return [] }
    let decided = plan.decisions.organizationExternalIDs
    let givenIDs = Set(decided.values)
    let open = plan.directory.organizations.filter { $0.externalID == nil && decided[$0.id] == nil }
    let named = file.entries.filter { entry in
      guard let id = entry.externalID else { return false }
      return unknown.contains(id) && !givenIDs.contains(id)
    }
    return OrganizationMatcher.match(directory: open, file: named, minimumConfidence: minimumConfidence).changes
  }

  /// The building IDs of rows with E040, as the rows read now (decisions
  /// included).
  public static func unknownBuildingIDs(_ plan: LivePlan) -> Set<String> {
    var ids: Set<String> = []
    for row in 0..<plan.rowCount
    where plan.outcome(row: row) == .error
      && plan.findings(row: row).contains(where: { $0.code == .unknownOrganization })
    {
      ids.insert(plan.effectiveValue(row: row, column: .schoolExternalID))
    }
    return ids
  }
}
