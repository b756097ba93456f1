import ExportReading
import SyncModel

/// A school or the district.
public enum OrganizationKind: String, Sendable, Codable, CaseIterable {
  case district
  case school
}

/// An organization of the directory. It can be managed by sis-sync only
/// when it has an external ID (usually the SIS building ID).
public struct Organization: Sendable, Equatable, Codable {
  public var id: Int64
  public var externalID: String?
  public var name: String
  public var kind: OrganizationKind

  public init(id: Int64, externalID: String?, name: String, kind: OrganizationKind) {
    self.id = id
    self.externalID = externalID
    self.name = name
    self.kind = kind
  }

  /// How the organization appears in the `school_district_external_id`
  /// field of account CSVs and diffs: its external ID, or its name when it
  /// has none.
  public var reference: String { externalID ?? name }
}

/// Why the directory could not be opened, read or written.
public struct DirectoryError: Error, CustomStringConvertible, Equatable {
  public let path: String
  public let reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "directory \(path): \(reason)" }
}

/// Which directory, and which of its states: what a plan and the snapshot
/// cache were computed against.
public struct DirectoryState: Sendable, Equatable, Codable {
  /// Identifies the directory database; another file has another.
  public var directoryID: String
  /// Counts the writes; every record carries the generation of its last
  /// change, so what changed since a known state can be listed.
  public var generation: Int64
  /// Random, renewed by every write: two states with the same generation
  /// (a restored backup written to again) never share it.
  public var token: String

  public init(directoryID: String, generation: Int64, token: String) {
    self.directoryID = directoryID
    self.generation = generation
    self.token = token
  }
}
