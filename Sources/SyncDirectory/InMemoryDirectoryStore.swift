import ExportReading
import Foundation
import SyncModel

/// A directory held in memory, with the same operations and guarantees as
/// the SQLite file: a write works on a copy and replaces the contents only
/// when it succeeds (all or nothing); one write at a time; custom_id and
/// email unique (email without regard to ASCII case). For fast tests, and a
/// model of what any store must do.
public final class InMemoryDirectoryStore: DirectoryStore, @unchecked Sendable {
  public let location: String
  /// How long a write waits for another one before `DirectoryLocked`.
  public let lockWait: TimeInterval
  /// Guards `contents`; held only to read or replace it.
  private let contentsLock = NSLock()
  /// Held for a whole write: one writer at a time.
  private let writerLock = NSLock()
  private var contents: MemoryContents

  public init(location: String = "in-memory directory", lockWait: TimeInterval = 0) {
    self.location = location
    self.lockWait = lockWait
    contents = MemoryContents()
  }

  private var committed: MemoryContents {
    contentsLock.lock()
    defer { contentsLock.unlock() }
    return contents
  }

  public func read<T>(_ body: (any DirectoryReading) throws -> T) throws -> T {
    try body(MemoryTransaction(committed))
  }

  public func write<T>(_ body: (any DirectoryTransaction) throws -> T) throws -> T {
    guard writerLock.lock(before: Date().addingTimeInterval(lockWait)) else {
      throw DirectoryLocked(holder: "another write in this process")
    }
    defer { writerLock.unlock() }
    let transaction = MemoryTransaction(committed)
    let result = try body(transaction)
    contentsLock.lock()
    contents = transaction.contents
    contentsLock.unlock()
    return result
  }

  public func snapshot() throws(DirectoryError) -> DirectorySnapshot {
    let contents = committed
    let organizations = contents.organizations
    let indexByID = Dictionary(uniqueKeysWithValues: organizations.enumerated().map { ($1.id, Int32($0)) })
    var store = RowStore(expectedRows: contents.accounts.count)
    var organizationIndexes: [Int32] = []
    for account in contents.accounts {
      let index = indexByID[account.stored.organizationID] ?? 0
      organizationIndexes.append(index)
      var values = account.stored.values
      values[.schoolExternalID] = organizations[Int(index)].reference
      for var value in values.values { value.withUTF8 { store.appendValue($0) } }
    }
    let snapshot = DirectorySnapshot(
      state: contents.state, organizations: organizations, accounts: store,
      accountIDs: contents.accounts.map(\.id), accountOrganizations: organizationIndexes)
    snapshot.setPendingDisables(Array(contents.pendingDisables.values))
    return snapshot
  }

  /// Nothing to cache: the snapshot is built from memory.
  public func cachedSnapshot() -> DirectorySnapshot? { nil }

  public func backup(to path: String) throws(DirectoryError) {
    throw DirectoryError(path: location, reason: "an in-memory directory has no file to back up")
  }
}

/// Everything an in-memory directory holds; a value, so a write's copy is
/// cheap until it changes something.
struct MemoryContents {
  struct Account {
    var id: Int64
    var stored: StoredAccount
    var changedGeneration: Int64
  }

  var state = DirectoryState(
    directoryID: UUID().uuidString.lowercased(), generation: 0, token: SQLiteDirectory.newStateToken())
  /// Every token this directory has had, with its generation.
  var generations: [String: Int64]
  var organizations: [Organization] = []
  var organizationGenerations: [Int64: Int64] = [:]
  /// In id order; ids are 1, 2, 3, … (accounts are never deleted).
  var accounts: [Account] = []
  var customIDs: [String: Int64] = [:]
  /// Accounts whose email the mapping generated.
  var generatedEmails: Set<Int64> = []
  /// By email with ASCII letters lowercased (SQLite's NOCASE).
  var emails: [String: Int64] = [:]
  var runs: [RunRecord] = []
  var changes: [Int64: [RecordedChange]] = [:]
  var settings: [String: String] = [:]
  var protections: [ProtectionRecord] = []
  var lastProtectionID: Int64 = 0
  var accountSources: [Int64: String] = [:]
  var localFields: [Int64: [String]] = [:]
  var pendingDisables: [Int64: PendingDisableRecord] = [:]
  /// Held runs kept for a person, in id order, and their content by id.
  var pendingRuns: [PendingRunRecord] = []
  var pendingRunContents: [Int64: PendingRunContent] = [:]

  init() { generations = [state.token: 0] }

  static func emailKey(_ email: String) -> String {
    String(decoding: email.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
  }
}

/// The operations on a copy of the contents; `write` keeps the copy only
/// when the body returns.
final class MemoryTransaction: DirectoryTransaction {
  var contents: MemoryContents
  private var generation: Int64?

  init(_ contents: MemoryContents) { self.contents = contents }

  private func stamp() -> Int64 {
    guard let generation else { preconditionFailure("a directory write before moveToNewState()") }
    return generation
  }

  // MARK: - Reading

  func state() throws -> DirectoryState { contents.state }

  func generation(ofState token: String) throws -> Int64? { contents.generations[token] }

  func organizations() throws -> [Organization] { contents.organizations }

  func account(id: Int64) throws -> StoredAccount? {
    guard id >= 1, id <= contents.accounts.count else { return nil }
    var account = contents.accounts[Int(id - 1)].stored
    account.values[.schoolExternalID] =
      contents.organizations.first { $0.id == account.organizationID }?.reference ?? ""
    return account
  }

  func accountID(customID: String, otherThan: Int64) throws -> Int64? {
    contents.customIDs[customID].flatMap { $0 == otherThan ? nil : $0 }
  }

  func accountID(email: String, otherThan: Int64) throws -> Int64? {
    contents.emails[MemoryContents.emailKey(email)].flatMap { $0 == otherThan ? nil : $0 }
  }

  func records(changedAfter generation: Int64) throws -> ChangedRecords {
    ChangedRecords(
      accounts: contents.accounts.filter { $0.changedGeneration > generation }.map {
        .init(id: $0.id, customID: $0.stored.values[.customID].isEmpty ? nil : $0.stored.values[.customID])
      },
      organizations: contents.organizations.filter { (contents.organizationGenerations[$0.id] ?? 0) > generation }
        .map { .init(id: $0.id, name: $0.name) })
  }

  func isEmpty() throws -> Bool { contents.accounts.isEmpty && contents.organizations.isEmpty }

  func accountIDsWithGeneratedEmail() throws -> [Int64] { contents.generatedEmails.sorted() }

  func runs() throws -> [RunRecord] { contents.runs.reversed() }

  func run(id: Int64) throws -> RunRecord? { contents.runs.first { $0.id == id } }

  func changes(ofRun id: Int64) throws -> [RecordedChange] { contents.changes[id] ?? [] }

  func settings() throws -> [String: String] { contents.settings }

  func protections() throws -> [ProtectionRecord] { contents.protections }
  func pendingDisables() throws -> [PendingDisableRecord] {
    contents.pendingDisables.values.sorted { $0.accountID < $1.accountID }
  }

  func accountSources() throws -> [Int64: String] { contents.accountSources }

  func localFields() throws -> [Int64: [String]] { contents.localFields }

  func pendingRuns() throws -> [PendingRunRecord] { contents.pendingRuns.reversed() }

  func pendingRunContent(id: Int64) throws -> PendingRunContent? { contents.pendingRunContents[id] }

  // MARK: - Writing

  func moveToNewState() throws -> Int64 {
    let next = contents.state.generation + 1
    contents.state.generation = next
    contents.state.token = SQLiteDirectory.newStateToken()
    contents.generations[contents.state.token] = next
    generation = next
    return next
  }

  func insertOrganization(_ organization: Organization) throws -> Int64 {
    let generation = stamp()
    try checkExternalIDIsFree(organization.externalID, for: nil)
    var added = organization
    added.id = Int64(contents.organizations.count + 1)
    contents.organizations.append(added)
    contents.organizationGenerations[added.id] = generation
    return added.id
  }

  func setExternalID(_ externalID: String?, ofOrganization id: Int64) throws {
    let generation = stamp()
    try checkExternalIDIsFree(externalID, for: id)
    guard let index = contents.organizations.firstIndex(where: { $0.id == id }) else { return }
    contents.organizations[index].externalID = externalID
    contents.organizationGenerations[id] = generation
  }

  private func checkExternalIDIsFree(_ externalID: String?, for id: Int64?) throws {
    guard let externalID else { return }
    if contents.organizations.contains(where: { $0.externalID == externalID && $0.id != id }) {
      throw DuplicateKey(message: "UNIQUE constraint failed: organization.external_id")
    }
  }

  func insertAccounts(_ accounts: [StoredAccount]) throws -> [Int64] {
    let generation = stamp()
    var ids: [Int64] = []
    for account in accounts {
      let id = Int64(contents.accounts.count + 1)
      try claimKeys(of: account.values, for: id)
      contents.accounts.append(MemoryContents.Account(id: id, stored: account, changedGeneration: generation))
      ids.append(id)
    }
    return ids
  }

  func markEmailsGenerated(accountIDs: [Int64]) throws { contents.generatedEmails.formUnion(accountIDs) }

  func updateAccount(id: Int64, to account: StoredAccount) throws {
    let generation = stamp()
    guard id >= 1, id <= contents.accounts.count else { return }
    let index = Int(id - 1)
    let old = contents.accounts[index].stored.values
    try claimKeys(of: account.values, for: id)
    if old[.customID] != account.values[.customID] { contents.customIDs[old[.customID]] = nil }
    let oldEmail = MemoryContents.emailKey(old[.email])
    if oldEmail != MemoryContents.emailKey(account.values[.email]) { contents.emails[oldEmail] = nil }
    if old[.email] != account.values[.email] { contents.generatedEmails.remove(id) }
    contents.accounts[index] = MemoryContents.Account(id: id, stored: account, changedGeneration: generation)
  }

  /// Takes the account's custom_id (when it has one) and email, or throws
  /// without changing anything when another account has either.
  private func claimKeys(of values: AccountValues, for id: Int64) throws {
    let customID = values[.customID]
    let email = MemoryContents.emailKey(values[.email])
    if !customID.isEmpty, let holder = contents.customIDs[customID], holder != id {
      throw DuplicateKey(message: "UNIQUE constraint failed: account.custom_id")
    }
    if let holder = contents.emails[email], holder != id {
      throw DuplicateKey(message: "UNIQUE constraint failed: account.email")
    }
    if !customID.isEmpty { contents.customIDs[customID] = id }
    contents.emails[email] = id
  }

  func insertRun(_ run: RunRecord) throws -> Int64 {
    var added = run
    added.id = Int64(contents.runs.count + 1)
    contents.runs.append(added)
    return added.id
  }

  func finishRun(id: Int64, finishedAt: String, counts: [String: Int]) throws {
    guard let index = contents.runs.firstIndex(where: { $0.id == id }) else { return }
    contents.runs[index].finishedAt = finishedAt
    contents.runs[index].counts = counts
  }

  func setSetting(_ key: String, to value: String?) throws { contents.settings[key] = value }

  func setAccountSource(_ source: String?, ofAccount id: Int64) throws { contents.accountSources[id] = source }

  func setProtection(_ kind: ProtectionRecord.Kind, target: Int64, to protection: ProtectionRecord?) throws {
    contents.protections.removeAll { $0.kind == kind && $0.targetID == target }
    guard var protection else { return }
    contents.lastProtectionID += 1
    protection.id = contents.lastProtectionID
    protection.kind = kind
    protection.targetID = target
    contents.protections.append(protection)
  }

  func setLocalFields(_ fields: [String], ofAccount account: Int64) throws {
    contents.localFields[account] = fields.isEmpty ? nil : fields
  }

  func addPendingDisables(_ records: [PendingDisableRecord]) throws {
    for record in records { contents.pendingDisables[record.accountID] = record }
  }

  func removePendingDisables(accountIDs: [Int64]) throws {
    for id in accountIDs { contents.pendingDisables[id] = nil }
  }

  func insertPendingRun(_ record: PendingRunRecord, content: PendingRunContent) throws -> Int64 {
    var added = record
    added.id = Int64(contents.pendingRuns.count + 1)
    contents.pendingRuns.append(added)
    contents.pendingRunContents[added.id] = content
    return added.id
  }

  func updatePendingRun(_ record: PendingRunRecord) throws {
    guard let index = contents.pendingRuns.firstIndex(where: { $0.id == record.id }) else { return }
    contents.pendingRuns[index] = record
  }

  func recordChanges(_ changes: [RecordedChange], run id: Int64) throws {
    contents.changes[id, default: []] += changes
  }

  // MARK: - Copying

  /// Not kept as tables (changes have no ids here): `directory copy` moves
  /// SQLite and PostgreSQL directories only.
  func copyRows(of table: DirectoryTable, after key: String?, limit: Int) throws -> [CopiedRow] {
    throw Self.cannotCopy
  }

  func insertCopiedRows(_ rows: [CopiedRow], into table: DirectoryTable) throws { throw Self.cannotCopy }

  func removeRowsBeforeCopy(of table: DirectoryTable) throws { throw Self.cannotCopy }

  private static let cannotCopy = DirectoryError(
    path: "in-memory directory", reason: "an in-memory directory cannot be copied")
}
