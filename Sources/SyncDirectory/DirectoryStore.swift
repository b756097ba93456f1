import ExportReading
import Foundation
import SyncModel

/// What the commands and the review screen need of a directory: a few basic
/// operations on records. The rules (which plan may be applied, what a
/// revert keeps) live above, in Applying, and run inside `write`, so every
/// store gets them the same. `SQLiteDirectory` (the embedded file) and
/// `InMemoryDirectoryStore` (tests) implement it; a server-backed store
/// (PostgreSQL, for a directory shared by many admins) would too.
public protocol DirectoryStore: AnyObject, Sendable {
  /// Which directory this is, for messages (a path, or a connection
  /// described without its password).
  var location: String { get }
  /// Runs `body` on one consistent, committed state of the directory.
  func read<T>(_ body: (any DirectoryReading) throws -> T) throws -> T
  /// Runs `body` in one transaction, all or nothing: committed when it
  /// returns, rolled back when it throws (its error is rethrown). One
  /// writer at a time: throws `DirectoryLocked` when another holds the
  /// directory, `DuplicateKey` when a write takes a custom_id or email
  /// another account has, `DirectoryError` when the store fails.
  func write<T>(_ body: (any DirectoryTransaction) throws -> T) throws -> T
  /// Every organization and account as one consistent state (for planning).
  func snapshot() throws(DirectoryError) -> DirectorySnapshot
  /// `snapshot()`, calling `coreFreed` (perhaps more than once) as soon as
  /// the read stops taking every core, so the caller can start work of its
  /// own there: the SQLite store reads a large directory on both cores,
  /// then joins and indexes it on fewer.
  func snapshot(coreFreed: @escaping @Sendable () -> Void) throws(DirectoryError) -> DirectorySnapshot
  /// The snapshot only when it is at hand already (a cache matching the
  /// directory's current state); nil otherwise.
  func cachedSnapshot() -> DirectorySnapshot?
  /// Writes a consistent copy of the directory to `path` (owner-only).
  func backup(to path: String) throws(DirectoryError)
  /// Work a read leaves to do in the background (the SQLite store writes
  /// its snapshot cache) waits, until `startHeldWork`, while the caller
  /// keeps both cores busy: planning holds it while it reads the rows.
  func holdBackgroundWork()
  /// Starts the work held since `holdBackgroundWork` (also when closed).
  func startHeldWork()
}

/// Reading inside `read` or `write`: everything seen belongs to one state.
public protocol DirectoryReading: AnyObject {
  func state() throws -> DirectoryState
  /// The generation of a state this directory has been in; nil when it
  /// never had that token (replaced, or restored from a backup, since).
  func generation(ofState token: String) throws -> Int64?
  func organizations() throws -> [Organization]
  /// An account as planning reads it (its school field holds its
  /// organization's reference); nil when there is no such account.
  func account(id: Int64) throws -> StoredAccount?
  /// The accounts with these ids that exist, as `account(id:)` reads
  /// each. A store may read them in one statement; by default one by one.
  func accounts(ids: [Int64]) throws -> [Int64: StoredAccount]
  /// An account other than `otherThan` holding this custom_id.
  func accountID(customID: String, otherThan: Int64) throws -> Int64?
  /// An account other than `otherThan` holding this email (compared
  /// without regard to ASCII case).
  func accountID(email: String, otherThan: Int64) throws -> Int64?
  /// The records written after `generation`.
  func records(changedAfter generation: Int64) throws -> ChangedRecords
  /// No organizations and no accounts.
  func isEmpty() throws -> Bool
  /// The accounts whose email the mapping's generate rule made, in id order.
  func accountIDsWithGeneratedEmail() throws -> [Int64]
  /// Every run, newest first.
  func runs() throws -> [RunRecord]
  func run(id: Int64) throws -> RunRecord?
  /// A run's changes in the order they were made.
  func changes(ofRun id: Int64) throws -> [RecordedChange]
  /// Up to `limit` rows of `table` in key order, those after the key
  /// `after` (from the first when nil): how `directory copy` reads a table
  /// in batches, and checks it.
  func copyRows(of table: DirectoryTable, after key: String?, limit: Int) throws -> [CopiedRow]
  /// The settings stored in the directory (`sis-sync settings`), by key;
  /// a key not stored has its built-in default, which the store does not know.
  func settings() throws -> [String: String]
  /// The protections stored (`sis-sync protect`), expired ones included,
  /// in the order they were made.
  func protections() throws -> [ProtectionRecord]
  /// The source that manages each account that has one (`--source`), by
  /// account id: recorded by the runs of that source.
  func accountSources() throws -> [Int64: String]
  /// The fields each account keeps as the district set them (`sis-sync
  /// local-fields`), by account id: field names (export headers), as stored.
  func localFields() throws -> [Int64: [String]]
  /// The accounts waiting out the grace before disable, in account id order.
  func pendingDisables() throws -> [PendingDisableRecord]
  /// Every held run kept for a person (`sis-sync pending`), whatever its
  /// status, newest first, without their content.
  func pendingRuns() throws -> [PendingRunRecord]
  /// A held run's plan, export and mapping; nil when there is no such run.
  func pendingRunContent(id: Int64) throws -> PendingRunContent?
}

/// Writing inside `write`. `moveToNewState` comes first: every record
/// written after it is stamped with the new generation.
public protocol DirectoryTransaction: DirectoryReading {
  /// Moves the directory to a new state: the generation on, a new random
  /// token (kept, so later plans can tell it from a state this directory
  /// never had). Returns the new generation.
  func moveToNewState() throws -> Int64
  /// Adds an organization (its `id` is ignored); returns its id.
  func insertOrganization(_ organization: Organization) throws -> Int64
  func setExternalID(_ externalID: String?, ofOrganization id: Int64) throws
  /// Adds accounts (their school field is ignored: `organizationID`
  /// decides); returns their ids in order.
  func insertAccounts(_ accounts: [StoredAccount]) throws -> [Int64]
  /// An update that changes the email clears its generated mark.
  func updateAccount(id: Int64, to account: StoredAccount) throws
  /// Updates many accounts with the outcome of `updateAccount` on each in
  /// order: the same rows, the same `DuplicateKey`. A store may do it in
  /// fewer statements; by default it is that loop.
  func updateAccounts(_ updates: [AccountUpdate]) throws
  /// Records that these accounts' emails were generated by the mapping.
  func markEmailsGenerated(accountIDs: [Int64]) throws
  /// Records a run (its `id` is ignored); returns its id.
  func insertRun(_ run: RunRecord) throws -> Int64
  func finishRun(id: Int64, finishedAt: String, counts: [String: Int]) throws
  /// Appends changes to a run's record.
  func recordChanges(_ changes: [RecordedChange], run id: Int64) throws
  /// Stores a setting's value, or removes it (nil: back to its default).
  /// The store checks nothing: the rules above validate and record it.
  func setSetting(_ key: String, to value: String?) throws
  /// Replaces the protection of one record (nil: removes it). The store
  /// checks nothing: the rules above record it.
  func setProtection(_ kind: ProtectionRecord.Kind, target: Int64, to protection: ProtectionRecord?) throws
  /// Records the source that manages an account (nil: none). The store
  /// checks nothing: the rules above record it.
  func setAccountSource(_ source: String?, ofAccount id: Int64) throws
  /// Replaces the local fields of one account (empty: it has none). The
  /// store checks nothing: the rules above validate and record them.
  func setLocalFields(_ fields: [String], ofAccount account: Int64) throws
  /// Records accounts as pending disable (one record per account: a new
  /// record replaces the account's old one).
  func addPendingDisables(_ records: [PendingDisableRecord]) throws
  /// Removes the pending disable records of these accounts, if any.
  func removePendingDisables(accountIDs: [Int64]) throws
  /// Keeps a held run for a person (its `id` is ignored); returns its id.
  /// Not a change of the directory: it needs no `moveToNewState`, so the
  /// held plan stays fresh until the directory itself changes.
  func insertPendingRun(_ record: PendingRunRecord, content: PendingRunContent) throws -> Int64
  /// Records a held run's status and decision (its content is kept).
  func updatePendingRun(_ record: PendingRunRecord) throws
  /// Adds rows as `copyRows` read them, keys and all: only `directory
  /// copy` uses it, into a directory it found empty.
  func insertCopiedRows(_ rows: [CopiedRow], into table: DirectoryTable) throws
  /// Removes every row of `table`: only `directory copy` uses it, on a
  /// directory it found empty, to replace that new directory's own
  /// identity and first state by the source's.
  func removeRowsBeforeCopy(of table: DirectoryTable) throws
  /// See the extension below: a bulk insert with indexes built after it.
  func bulkLoadingAccounts<T>(_ body: () throws -> T) throws -> T
}

/// One account's new values, for `updateAccounts`.
public struct AccountUpdate: Sendable {
  public let id: Int64
  public let account: StoredAccount
  public init(id: Int64, account: StoredAccount) {
    self.id = id
    self.account = account
  }
}

extension DirectoryReading {
  public func accounts(ids: [Int64]) throws -> [Int64: StoredAccount] {
    var found: [Int64: StoredAccount] = [:]
    for id in ids { found[id] = try account(id: id) }
    return found
  }
}

extension DirectoryTransaction {
  public func updateAccounts(_ updates: [AccountUpdate]) throws {
    for update in updates { try updateAccount(id: update.id, to: update.account) }
  }

  /// Runs `body`, the bulk insert of an import into an empty directory. A
  /// store may build its secondary indexes once after it instead of row by
  /// row: the same uniqueness, the same `DuplicateKey`. By default, `body`.
  public func bulkLoadingAccounts<T>(_ body: () throws -> T) throws -> T { try body() }
}

extension DirectoryStore {
  /// A store that reads on one core (or waits on a server) frees a core
  /// from the start.
  public func snapshot(coreFreed: @escaping @Sendable () -> Void) throws(DirectoryError) -> DirectorySnapshot {
    coreFreed()
    return try snapshot()
  }

  /// A store without background work has nothing to hold.
  public func holdBackgroundWork() {}
  public func startHeldWork() {}

  /// Which directory this is and which state of it, as one read.
  public var state: DirectoryState {
    get throws(DirectoryError) { try reading { try $0.state() } }
  }

  public func organizations() throws(DirectoryError) -> [Organization] { try reading { try $0.organizations() } }

  /// Every run, newest first.
  public func runs() throws(DirectoryError) -> [RunRecord] { try reading { try $0.runs() } }

  /// A run and its changes, in the order they were made; nil when there is
  /// no such run.
  public func run(id: Int64) throws(DirectoryError) -> (RunRecord, [RecordedChange])? {
    try reading { directory in try directory.run(id: id).map { ($0, try directory.changes(ofRun: id)) } }
  }

  /// `read`, its failures as `DirectoryError`.
  package func reading<T>(_ body: (any DirectoryReading) throws -> T) throws(DirectoryError) -> T {
    do { return try read(body) } catch let error as DirectoryError { throw error } catch {
      throw DirectoryError(path: location, reason: "\(error)")
    }
  }
}
