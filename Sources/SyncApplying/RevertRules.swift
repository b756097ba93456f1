import ExportReading
import SyncDirectory
import SyncModel
import SyncPlanning

extension DirectoryStore {
  /// Undoes a run: each account it changed gets its earlier values back if
  /// nobody changed it since (else it is kept, and said so); an account it
  /// created is disabled. `only`: just the changes of these custom_ids (the
  /// run's other changes stay, and a later revert of the run restores
  /// them). The changes an earlier revert of the run already covered (and
  /// that still stands) are left out. The revert is itself a run, written
  /// all or nothing; another writer makes it `ApplyRefusal.locked`.
  public func revert(runID: Int64, only: Set<String>? = nil) throws -> RevertResult {
    do {
      return try write { directory in
        try RevertRules.revert(runID: runID, only: only, in: directory, location: location)
      }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    }
  }

  /// What `revert(runID:only:)` would do now, read without writing: the
  /// same rules on one consistent state, the restores kept in memory.
  public func previewRevert(runID: Int64, only: Set<String>? = nil) throws -> RevertPreview {
    try read { directory in
      let changes = try RevertRules.pending(runID: runID, only: only, in: directory, location: location)
      let walk = try RevertRules.walk(changes, in: directory, checkKeys: true) { _ in }
      return RevertPreview(reverted: walk.reverted, kept: walk.kept, failed: walk.failed)
    }
  }
}

/// A revert's outcome without the run (`previewRevert`).
public struct RevertPreview: Sendable {
  public var reverted: [RecordedChange]
  public var kept: [RecordedChange]
  public var failed: [RecordedChange]
}

/// `revert --only` named a custom_id the run did not change.
public struct NotInRun: Error, Sendable, Equatable, CustomStringConvertible {
  public let runID: Int64
  public let customIDs: [String]
  public var description: String {
    "run \(runID) changed no account with custom_id \(customIDs.joined(separator: ", ")); see 'sis-sync show \(runID)'"
  }
}

/// The rules of a revert, on any store, inside its write transaction.
enum RevertRules {
  /// One restore: an account's values, an organization's external ID, or
  /// a setting's value (nil: not stored, back to its default).
  enum Restore {
    case account(Int64, StoredAccount)
    case organization(Int64, String?)
    case setting(String, String?)
    /// A record's protection (nil: none).
    case protection(ProtectionRecord.Kind, Int64, ProtectionRecord?)
    /// The source that manages an account (nil: none).
    case source(Int64, String?)
    /// An account's local fields (empty: none of its own).
    case localFields(Int64, [String])
    /// An account's pending disable removed (nil) or put back.
    case pendingDisable(Int64, PendingDisableRecord?)
  }

  static func revert(
    runID: Int64, only: Set<String>?, in directory: any DirectoryTransaction, location: String
  ) throws -> RevertResult {
    let pending = try pending(runID: runID, only: only, in: directory, location: location)
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let revertRunID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .revert, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: nil, exportSHA256: nil, revertsRun: runID, generation: generation, counts: [:]))
    let walk = try walk(pending, in: directory, checkKeys: false) { restore in
      switch restore {
      case .account(let id, let account): try directory.updateAccount(id: id, to: account)
      case .organization(let id, let externalID): try directory.setExternalID(externalID, ofOrganization: id)
      case .setting(let key, let value): try directory.setSetting(key, to: value)
      case .protection(let kind, let target, let protection):
        try directory.setProtection(kind, target: target, to: protection)
      case .source(let id, let source): try directory.setAccountSource(source, ofAccount: id)
      case .localFields(let account, let fields): try directory.setLocalFields(fields, ofAccount: account)
      case .pendingDisable(let id, let record):
        try directory.removePendingDisables(accountIDs: [id])
        if let record { try directory.addPendingDisables([record]) }
      }
    }
    try directory.recordChanges(walk.records, run: revertRunID)
    let counts = ["reverted": walk.reverted.count, "kept": walk.kept.count, "failed": walk.failed.count]
    try directory.finishRun(id: revertRunID, finishedAt: RunClock.now(), counts: counts)
    let run = try directory.run(id: revertRunID)!
    return RevertResult(run: run, reverted: walk.reverted, kept: walk.kept, failed: walk.failed)
  }

  /// The run's changes a revert would undo now: those no standing revert
  /// of it covered yet, only `only`'s people when given. Throws when there
  /// is no such run, when `only` names someone the run did not change, and
  /// `RunAlreadyReverted` when earlier reverts covered everything asked for.
  static func pending(
    runID: Int64, only: Set<String>?, in directory: any DirectoryReading, location: String
  ) throws -> [RecordedChange] {
    guard try directory.run(id: runID) != nil else {
      throw DirectoryError(path: location, reason: "there is no run \(runID); see 'sis-sync history'")
    }
    var changes = try directory.changes(ofRun: runID)
    if let only {
      let changed = Set(changes.compactMap(\.customID))
      let missing = only.subtracting(changed).sorted()
      guard missing.isEmpty else { throw NotInRun(runID: runID, customIDs: missing) }
      changes = changes.filter { $0.customID.map(only.contains) ?? false }
    }
    let standing = try AlreadyDone.revertsStanding(of: runID, in: directory)
    guard !standing.isEmpty else { return changes }
    var covered: [ChangeKey: Int] = [:]
    for revert in standing {
      for change in try directory.changes(ofRun: revert) { covered[ChangeKey(revertOf: change), default: 0] += 1 }
    }
    let remaining = changes.filter { change in
      let key = ChangeKey(change)
      guard let count = covered[key], count > 0 else { return true }
      covered[key] = count - 1
      return false
    }
    if remaining.isEmpty, !changes.isEmpty || only == nil {
      throw RunAlreadyReverted(runID: runID, revertedBy: standing.max()!)
    }
    return remaining
  }

  /// Which change of a run a revert's record stands for.
  struct ChangeKey: Hashable {
    var action: String
    var accountID: Int64?
    var organizationID: Int64?
    var line: Int?

    init(_ change: RecordedChange) {
      action = change.action
      accountID = change.accountID
      organizationID = change.organizationID
      line = change.line
    }

    init(revertOf record: RecordedChange) {
      self.init(record)
      if action.hasPrefix("revert_") { action.removeFirst("revert_".count) }
    }
  }

  struct Walk {
    var reverted: [RecordedChange] = []
    var kept: [RecordedChange] = []
    var failed: [RecordedChange] = []
    /// The revert run's records, in order.
    var records: [RecordedChange] = []
  }

  /// Decides each change, newest first, against the directory as the
  /// earlier restores of this walk left it; `write` is given each restore.
  /// `checkKeys` (a preview, which cannot let the store refuse a write):
  /// a restored custom_id or email another account holds is a failure.
  static func walk(
    _ changes: [RecordedChange], in directory: any DirectoryReading, checkKeys: Bool,
    write: (Restore) throws -> Void
  ) throws -> Walk {
    let organizations = try directory.organizations()
    var accounts: [Int64: StoredAccount] = [:]
    var externalIDs: [Int64: String?] = [:]
    var settings = try directory.settings()
    var protections = try directory.protections()
    var managers = try directory.accountSources()
    var localFields = try directory.localFields()
    var pendingDisables = Dictionary(try directory.pendingDisables().map { ($0.accountID, $0) }) { $1 }
    var walk = Walk()
    for change in changes.reversed() {
      var outcome = change
      let restore: Restore?
      do {
        if change.isLocalFieldsChange {
          restore = decideLocalFields(change, localFields: localFields)
        } else if change.isProtectionChange {
          restore = decideProtection(change, protections: protections)
        } else if change.isSourceChange {
          restore = decideSource(change, managers: managers)
        } else if change.isSettingChange {
          restore = decideSetting(change, settings: settings)
        } else if change.isPendingDisableChange {
          restore = PendingDisableRules.decideRevert(change, pending: pendingDisables)
        } else {
          restore = try decide(
            change, in: directory, organizations: organizations, accounts: accounts, externalIDs: externalIDs)
        }
        if let restore {
          if checkKeys { try checkKeysFree(restore, in: directory) }
          try write(restore)
        }
      } catch {
        outcome.outcome = "failed: \(error)"
        walk.failed.append(outcome)
        walk.records.append(record(change, restored: nil, outcome: outcome.outcome!))
        continue
      }
      var restored: [String]?
      switch restore {
      case .account(let id, let account):
        accounts[id] = account
        restored = account.values.values
      case .organization(let id, let externalID):
        externalIDs[id] = externalID
        restored = [externalID ?? ""]
      case .setting(let key, let value):
        settings[key] = value
        restored = [key, value ?? ""]
      case .protection(let kind, let target, let protection):
        protections.removeAll { $0.kind == kind && $0.targetID == target }
        if let protection { protections.append(protection) }
        restored = protection?.recorded ?? []
      case .source(let id, let source):
        managers[id] = source
        restored = source.map { [$0] } ?? []
      case .localFields(let account, let fields):
        localFields[account] = fields.isEmpty ? nil : fields
        restored = fields
      case .pendingDisable(let id, let record):
        pendingDisables[id] = record
        restored = record.map { [$0.missingSince, String($0.runID)] } ?? []
      case nil:
        restored = nil
      }
      if let restored {
        outcome.outcome = change.action == "create" ? "reverted (disabled; it did not exist before)" : "reverted"
        outcome.before = change.after
        outcome.after = restored
        walk.reverted.append(outcome)
      } else {
        outcome.outcome = "kept (changed since)"
        walk.kept.append(outcome)
      }
      walk.records.append(record(change, restored: restored, outcome: outcome.outcome!))
    }
    return walk
  }

  /// What restoring one change writes, or nil when the record changed
  /// since (kept). Throws when the restore is impossible.
  private static func decide(
    _ change: RecordedChange, in directory: any DirectoryReading, organizations: [Organization],
    accounts: [Int64: StoredAccount], externalIDs: [Int64: String?]
  ) throws -> Restore? {
    if change.isOrganizationChange {
      guard let id = change.organizationID else { return nil }
      let current = externalIDs[id] ?? organizations.first { $0.id == id }?.externalID
      guard current == change.after.first else { return nil }
      return .organization(id, change.before?.first)
    }
    guard let accountID = change.accountID else { return nil }
    guard let current = try accounts[accountID] ?? directory.account(id: accountID) else {
      throw DirectoryError(path: "", reason: "account #\(accountID) no longer exists")
    }
    // Kept if changed since: only an account exactly as the run left it
    // is restored.
    guard current.values.values == change.after else { return nil }
    var target = current
    if change.action == "create" {
      target.values[.status] = "Disabled"
    } else {
      guard let before = change.before, before.count == ExportColumn.count else { return nil }
      target.values = AccountValues(values: before)
      let reference = target.values[.schoolExternalID]
      if let organization = organizations.first(where: { $0.externalID == reference })
        ?? organizations.first(where: { $0.externalID == nil && $0.name == reference })
      {
        target.organizationID = organization.id
      }
    }
    return .account(accountID, target)
  }

  /// A setting goes back to its value before the run if it still has the
  /// value the run gave it (else it is kept: someone changed it since).
  private static func decideSetting(_ change: RecordedChange, settings: [String: String]) -> Restore? {
    guard change.after.count == 2, let before = change.before, before.count == 2 else { return nil }
    let key = change.after[0]
    func stored(_ value: String) -> String? { value.isEmpty ? nil : value }
    guard settings[key] == stored(change.after[1]) else { return nil }
    return .setting(key, stored(before[1]))
  }

  /// A protection goes back to what it was before the run if it is still
  /// what the run made it (else it is kept: protected or removed since).
  private static func decideProtection(_ change: RecordedChange, protections: [ProtectionRecord]) -> Restore? {
    let after = ProtectionRecord(recorded: change.after)
    let before = change.before.flatMap(ProtectionRecord.init(recorded:))
    guard let kind = after?.kind ?? before?.kind, let target = after?.targetID ?? before?.targetID else { return nil }
    let current = protections.first { $0.kind == kind && $0.targetID == target }
    switch (current, after) {
    case (nil, nil): break
    case (let current?, let after?) where current.sameTerms(as: after): break
    default: return nil
    }
    return .protection(kind, target, before)
  }

  /// An account's source goes back to the one before the run if it is
  /// still the one the run recorded (else it is kept: changed hands since).
  private static func decideSource(_ change: RecordedChange, managers: [Int64: String]) -> Restore? {
    guard let id = change.accountID, managers[id] == change.after.first else { return nil }
    return .source(id, change.before?.first)
  }

  /// An account's local fields go back to what they were before the run
  /// if they are still what the run made them (else they are kept).
  private static func decideLocalFields(_ change: RecordedChange, localFields: [Int64: [String]]) -> Restore? {
    guard let account = change.accountID,
      localFields[account] ?? [] == RecordedChange.localFieldNames(change.after)
    else { return nil }
    return .localFields(account, RecordedChange.localFieldNames(change.before))
  }

  /// The store's unique keys, checked by reading (for a preview).
  private static func checkKeysFree(_ restore: Restore, in directory: any DirectoryReading) throws {
    guard case .account(let id, let account) = restore else { return }
    let customID = account.values[.customID]
    if !customID.isEmpty, let other = try directory.accountID(customID: customID, otherThan: id) {
      throw DirectoryError(path: "", reason: "custom_id \(customID) is held by account #\(other)")
    }
    let email = account.values[.email]
    if !email.isEmpty, let other = try directory.accountID(email: email, otherThan: id) {
      throw DirectoryError(path: "", reason: "email \(email) is held by account #\(other)")
    }
  }

  /// The revert's record of one change: the run's after-values as before,
  /// what was restored (if anything) as after.
  private static func record(_ change: RecordedChange, restored: [String]?, outcome: String) -> RecordedChange {
    RecordedChange(
      action: "revert_" + change.action, accountID: change.accountID, organizationID: change.organizationID,
      customID: change.customID, line: change.line, before: change.after, after: restored ?? [], outcome: outcome)
  }
}
