import ExportReading
import SyncDirectory

/// The organizations an organizations file brings into a new directory.
/// A file from the SIS that names only schools (SDS `School.csv`, Clever
/// `schools.csv`, some `orgs.csv`) gets a district organization added, so
/// the directory has its district as every directory does (SPEC §2); the
/// directory's own plain form is taken as it is.
public struct ImportedOrganizations: Sendable {
  public var organizations: [Organization]
  /// The district added because the file has none.
  public var addedDistrict: Organization?
  /// Rows of the file deliberately left out, with the reason.
  public var notes: [String]
  public var format: OrganizationsFileFormat

  /// The name of an added district (it has no external ID: the SIS file
  /// gives none; `organizations match` or a later file can set it).
  public static let addedDistrictName = "District"

  public init(_ file: OrganizationsFile) {
    organizations = file.entries.map {
      Organization(id: 0, externalID: $0.externalID, name: $0.name, kind: $0.kind == .district ? .district : .school)
    }
    notes = file.notes
    format = file.format
    if file.format != .plain && !file.hasDistrict {
      var name = Self.addedDistrictName
      // Its name is its reference: it must not be another one's.
      while organizations.contains(where: { $0.reference == name }) { name += " (added)" }
      let district = Organization(id: 0, externalID: nil, name: name, kind: .district)
      organizations.insert(district, at: 0)
      addedDistrict = district
    }
  }
}
