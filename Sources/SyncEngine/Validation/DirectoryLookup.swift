import SyncModel

/// What validation asks of the directory. The SQLite store (and any later
/// server-backed store) answers it; validation runs these checks only when a
/// directory is given.
public protocol DirectoryLookup: Sendable {
  /// The external IDs of all organizations that have one.
  var organizationExternalIDs: Set<String> { get }
}

/// A directory held in memory: built from the directory CSV files, and used
/// where no database is wanted.
public struct InMemoryDirectory: DirectoryLookup {
  public var organizationExternalIDs: Set<String>

  public init(organizationExternalIDs: Set<String>) {
    self.organizationExternalIDs = organizationExternalIDs
  }
}
