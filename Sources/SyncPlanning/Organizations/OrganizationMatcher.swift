import ExportReading
import SyncDirectory
import SyncModel

/// Why an organization of the directory is matched to one of the file.
public enum OrganizationMatchReason: String, Sendable, Equatable {
  /// It already has the file's ID: nothing to change.
  case sameID = "same ID"
  /// The names are alike (the confidence says how much).
  case name = "name similarity"
  /// The only district on each side.
  case onlyDistrict = "the only district"
}

/// One directory organization and the file's organization proposed for it.
public struct OrganizationProposal: Sendable, Equatable {
  public var organization: Organization
  public var entry: OrganizationEntry
  /// 0…100.
  public var confidence: Int
  public var reason: OrganizationMatchReason

  /// The external ID it gets (the file's).
  public var externalID: String { entry.externalID ?? "" }
  /// Whether accepting it changes the directory.
  public var changesDirectory: Bool { organization.externalID != entry.externalID }
}

/// What matching a directory's organizations with a file's found.
public struct OrganizationMatching: Sendable {
  /// By directory organization order; `sameID` ones first in meaning:
  /// they need nothing.
  public var proposals: [OrganizationProposal]
  /// Directory organizations nothing in the file fits.
  public var unmatchedOrganizations: [Organization]
  /// File organizations no directory organization was given.
  public var unmatchedEntries: [OrganizationEntry]

  /// The proposals that would change the directory.
  public var changes: [OrganizationProposal] { proposals.filter(\.changesDirectory) }
}

/// Proposes each directory organization's external ID from an
/// organizations file: the organization that already has a file ID keeps
/// it; the others are paired with the file's organizations by name, the
/// most alike pair first, each file organization given at most once and
/// never an ID another directory organization has.
public enum OrganizationMatcher {
  /// The default least confidence of a name match worth proposing.
  public static let defaultMinimumConfidence = 60

  public static func match(
    directory organizations: [Organization], file entries: [OrganizationEntry],
    minimumConfidence: Int = defaultMinimumConfidence
  ) -> OrganizationMatching {
    var proposalByOrganization: [Int64: OrganizationProposal] = [:]
    var usedEntryLines: Set<Int> = []
    let entryByID = Dictionary(
      entries.compactMap { entry in entry.externalID.map { ($0, entry) } }, uniquingKeysWith: { first, _ in first })
    for organization in organizations {
      guard let id = organization.externalID, let entry = entryByID[id] else { continue }
      proposalByOrganization[organization.id] = OrganizationProposal(
        organization: organization, entry: entry, confidence: 100, reason: .sameID)
      usedEntryLines.insert(entry.line)
    }
    // An ID some directory organization has is never given to another.
    let takenIDs = Set(organizations.compactMap(\.externalID))
    let candidates = entries.filter { entry in
      guard let id = entry.externalID else { return false }
      return !usedEntryLines.contains(entry.line) && !takenIDs.contains(id)
    }
    let open = organizations.filter { proposalByOrganization[$0.id] == nil }
    var pairs: [(organization: Organization, entry: OrganizationEntry, score: Int)] = []
    for organization in open {
      // A district is never proposed a school's ID, nor the reverse.
      for entry in candidates where entry.kind.rawValue == organization.kind.rawValue {
        let score = SchoolNameSimilarity.score(organization.name, entry.name)
        if score >= minimumConfidence { pairs.append((organization, entry, score)) }
      }
    }
    // Most alike first; ties in the order of the directory, then the file.
    pairs.sort { ($1.score, $0.organization.id, $0.entry.line) < ($0.score, $1.organization.id, $1.entry.line) }
    for pair in pairs
    where proposalByOrganization[pair.organization.id] == nil && !usedEntryLines.contains(pair.entry.line) {
      proposalByOrganization[pair.organization.id] = OrganizationProposal(
        organization: pair.organization, entry: pair.entry, confidence: pair.score, reason: .name)
      usedEntryLines.insert(pair.entry.line)
    }
    proposeOnlyDistrict(organizations, candidates, &proposalByOrganization, &usedEntryLines)
    return OrganizationMatching(
      proposals: organizations.compactMap { proposalByOrganization[$0.id] },
      unmatchedOrganizations: organizations.filter { proposalByOrganization[$0.id] == nil },
      unmatchedEntries: entries.filter { !usedEntryLines.contains($0.line) })
  }

  /// A district's name rarely resembles the SIS's ("District" added by an
  /// import, "Springfield USD"): when each side has exactly one district
  /// and neither is matched yet, they are proposed together.
  private static func proposeOnlyDistrict(
    _ organizations: [Organization], _ candidates: [OrganizationEntry],
    _ proposals: inout [Int64: OrganizationProposal], _ used: inout Set<Int>
  ) {
    let districts = organizations.filter { $0.kind == .district }
    let entryDistricts = candidates.filter { $0.kind == .district }
    guard districts.count == 1, entryDistricts.count == 1, let organization = districts.first,
      let entry = entryDistricts.first, proposals[organization.id] == nil, !used.contains(entry.line)
    else { return }
    proposals[organization.id] = OrganizationProposal(
      organization: organization, entry: entry,
      confidence: max(50, SchoolNameSimilarity.score(organization.name, entry.name)), reason: .onlyDistrict)
    used.insert(entry.line)
  }
}
