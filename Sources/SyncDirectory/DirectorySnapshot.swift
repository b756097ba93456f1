import Dispatch
import ExportReading
import SyncModel

/// The directory as planning sees it: every organization and account, read
/// in one pass and kept column by column, with indexes by custom_id and by
/// email. Planning a million rows against a million accounts never goes
/// back to the database.
public final class DirectorySnapshot: DirectoryLookup, @unchecked Sendable {
  /// The directory and the state of it that was read (a plan made for one
  /// state is refused in any other).
  public let state: DirectoryState
  public var directoryID: String { state.directoryID }
  public var generation: Int64 { state.generation }
  public let organizations: [Organization]
  public let organizationExternalIDs: Set<String>
  /// Accounts' ten fields; `school_district_external_id` holds the
  /// organization's reference, `custom_id` is empty for unmanaged accounts.
  public let accounts: RowStore
  /// Each account's directory id, ascending.
  public let accountIDs: [Int64]
  /// Index into `organizations` of each account's organization.
  public let accountOrganizations: [Int32]
  /// Accounts waiting out the grace before disable, by account id (set by
  /// the store in the same read, before the snapshot is handed out).
  public private(set) var pendingDisables: [Int64: PendingDisableRecord] = [:]
  private let organizationIndexByID: [Int64: Int]
  private let organizationIndexByExternalID: [String: Int]
  @usableFromInline let customIDs: KeyIndex
  @usableFromInline let emails: KeyIndex

  /// Builds the indexes (every store's snapshot reader ends here).
  package convenience init(
    state: DirectoryState, organizations: [Organization], accounts: RowStore, accountIDs: [Int64],
    accountOrganizations: [Int32]
  ) {
    // The two indexes are independent: build them on both cores.
    let indexes = UncheckedSendable(IndexPair())
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      if index == 0 {
        indexes.value.customIDs = KeyIndex(store: accounts, column: .customID, foldsCase: false)
      } else {
        indexes.value.emails = KeyIndex(store: accounts, column: .email, foldsCase: true)
      }
    }
    self.init(
      state: state, organizations: organizations, accounts: accounts,
      accountIDs: accountIDs, accountOrganizations: accountOrganizations, customIDs: indexes.value.customIDs!,
      emails: indexes.value.emails!)
  }

  init(
    state: DirectoryState, organizations: [Organization], accounts: RowStore,
    accountIDs: [Int64], accountOrganizations: [Int32], customIDs: KeyIndex, emails: KeyIndex
  ) {
    self.state = state
    self.organizations = organizations
    self.organizationExternalIDs = Set(organizations.compactMap(\.externalID))
    self.accounts = accounts
    self.accountIDs = accountIDs
    self.accountOrganizations = accountOrganizations
    var byID: [Int64: Int] = [:]
    var byExternalID: [String: Int] = [:]
    for (index, organization) in organizations.enumerated() {
      byID[organization.id] = index
      if let externalID = organization.externalID { byExternalID[externalID] = index }
    }
    organizationIndexByID = byID
    organizationIndexByExternalID = byExternalID
    self.customIDs = customIDs
    self.emails = emails
  }

  public var accountCount: Int { accountIDs.count }

  /// Stores call it once, before handing the snapshot out.
  package func setPendingDisables(_ records: [PendingDisableRecord]) {
    pendingDisables = Dictionary(records.map { ($0.accountID, $0) }) { $1 }
  }

  /// The account with this custom_id (managed accounts only).
  public func account(customID: UnsafeBufferPointer<UInt8>) -> Int? { customIDs.find(customID, in: accounts) }
  public func account(customID: String) -> Int? { customIDs.find(customID, in: accounts) }

  /// The same lookups with the accounts' values by pointer (planning).
  @inlinable
  package func account(customID: UnsafeBufferPointer<UInt8>, rows: UnsafeRows) -> Int? {
    customIDs.find(customID, rows: rows)
  }
  @inlinable
  package func account(email: UnsafeBufferPointer<UInt8>, rows: UnsafeRows) -> Int? { emails.find(email, rows: rows) }
  /// Asks for the cache line where looking up this custom_id starts:
  /// planning asks for a batch of rows' first, then looks them up.
  @inlinable
  package func prefetchAccount(customID: UnsafeBufferPointer<UInt8>) { customIDs.prefetch(customID) }
  /// The same two, with the custom_id hashed once for both (`customIDHash`).
  @inlinable
  package func customIDHash(_ customID: UnsafeBufferPointer<UInt8>) -> UInt32 { customIDs.hash(customID) }
  @inlinable
  package func prefetchAccount(customIDHash hash: UInt32) { customIDs.prefetch(hash: hash) }
  @inlinable
  package func account(customID: UnsafeBufferPointer<UInt8>, hash: UInt32, rows: UnsafeRows) -> Int? {
    customIDs.find(customID, hash: hash, rows: rows)
  }

  /// The account with this email, compared without regard to ASCII case.
  public func account(email: UnsafeBufferPointer<UInt8>) -> Int? { emails.find(email, in: accounts) }
  public func account(email: String) -> Int? { emails.find(email, in: accounts) }

  /// The account with this directory id (`accountIDs` is in id order, as
  /// every store reads it).
  public func accountIndex(id: Int64) -> Int? {
    var low = 0
    var high = accountIDs.count
    while low < high {
      let middle = (low + high) / 2
      if accountIDs[middle] < id { low = middle + 1 } else { high = middle }
    }
    return low < accountIDs.count && accountIDs[low] == id ? low : nil
  }

  public func isManaged(account: Int) -> Bool {
    accounts.withBytes(row: account, column: .customID) { !$0.isEmpty }
  }

  public func values(ofAccount account: Int) -> AccountValues {
    // Straight from the stored bytes: planning asks for the values of
    // every account it changes or disables.
    accounts.withUnsafeRows { rows in AccountValues(bytes: { rows.bytes(account, $0) }) }
  }

  public func organization(ofAccount account: Int) -> Organization {
    organizations[Int(accountOrganizations[account])]
  }

  public func organizationIndex(externalID: String) -> Int? { organizationIndexByExternalID[externalID] }
  public func organizationIndex(id: Int64) -> Int? { organizationIndexByID[id] }
}

private final class IndexPair {
  var customIDs: KeyIndex?
  var emails: KeyIndex?
}
