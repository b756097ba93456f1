import ExportReading
import Foundation
import SyncModel

/// What the commands and the review screen need of a directory. The
/// embedded SQLite file implements it; a server-backed store (PostgreSQL for
/// a directory shared by many admins) would implement the same.
public protocol DirectoryStore: AnyObject, Sendable {
  /// Where it is, for messages (a path or a connection description).
  var location: String { get }
  func organizations() throws(DirectoryError) -> [Organization]
  /// Every organization and account as one consistent state.
  func snapshot() throws(DirectoryError) -> DirectorySnapshot
  /// The snapshot only when it is at hand already (a cache matching the
  /// directory's current state); nil otherwise.
  func cachedSnapshot() -> DirectorySnapshot?
  /// Applies a plan all or nothing; throws `ApplyRefusal` when it may not.
  func apply(_ plan: Plan, wait: TimeInterval, pause: ApplyPause?) throws -> ApplyOutcome
  func runs() throws(DirectoryError) -> [RunRecord]
  func run(id: Int64) throws(DirectoryError) -> (RunRecord, [RecordedChange])?
  func revert(runID: Int64, wait: TimeInterval) throws -> RevertResult
  /// Brings organizations and accounts CSVs into an empty directory.
  func importCSV(organizationsPath: String, accountsPath: String) throws -> RunRecord
  /// The directory as its two CSV files' contents.
  func exportCSV() throws(DirectoryError) -> (organizations: String, accounts: String)
}

extension SQLiteDirectory: DirectoryStore {
  public var location: String { path }

  public func cachedSnapshot() -> DirectorySnapshot? {
    guard
      let (organizations, state) = try? queue.read({ db in (try Self.organizations(db), try Self.state(db)) }),
      let cached = SnapshotCache.load(directory: path, state: state),
      cached.organizations == organizations
    else { return nil }
    return cached
  }
}
