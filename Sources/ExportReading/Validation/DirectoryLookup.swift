import SyncModel

/// What validation asks of the directory: which building IDs exist. It
/// lives with validation (the layer below the directory) so validation
/// never depends on a store; `DirectorySnapshot` answers it, and validation
/// runs these checks only when it is given one.
public protocol DirectoryLookup: Sendable {
  /// The external IDs of all organizations that have one.
  var organizationExternalIDs: Set<String> { get }
}

/// Just the organizations' external IDs, for validating before (or
/// without) a snapshot of the accounts: an import checks its accounts file
/// against its organizations file; planning and the review screen check
/// the export while the accounts are still being read.
public struct KnownOrganizations: DirectoryLookup {
  public var organizationExternalIDs: Set<String>

  public init(organizationExternalIDs: Set<String>) {
    self.organizationExternalIDs = organizationExternalIDs
  }
}
