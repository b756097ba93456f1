import SyncDirectory
import SyncModel
import SyncPlanning

/// What `sis-sync protect` names: an account by custom_id or number, or an
/// organization by external ID or name.
public enum ProtectionTarget: Sendable, Equatable, CustomStringConvertible {
  case customID(String)
  case accountNumber(Int64)
  case organization(String)

  /// `#123` is an account number; anything else a custom_id.
  public init(account key: String) {
    if key.hasPrefix("#"), let number = Int64(key.dropFirst()) {
      self = .accountNumber(number)
    } else {
      self = .customID(key)
    }
  }

  public var description: String {
    switch self {
    case .customID(let id): "custom_id \(id)"
    case .accountNumber(let number): "account #\(number)"
    case .organization(let key): "organization \(key)"
    }
  }
}

/// Why a protect or unprotect was refused.
public struct ProtectionError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// A stored protection with the record it names, for `protect list`.
public struct ProtectionEntry: Sendable, Equatable {
  public var protection: ProtectionRecord
  /// "account #12 (custom_id S100)", "organization North High (#3, external ID 0042)".
  public var target: String
  /// Whether it still holds today (else it has lapsed).
  public var holds: Bool
}

extension DirectoryStore {
  /// Protects a record as one run (recorded in history, undone by
  /// `revert`, moving the directory to a new state so that plans made
  /// before are refused as stale); nil when it was protected so already.
  public func protect(_ target: ProtectionTarget, reason: String, until: String?) throws -> RunRecord? {
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw ProtectionError(message: "--reason must say why (it is shown in every plan)") }
    if let until, !RunClock.isDay(until) {
      throw ProtectionError(message: "--until '\(until)' is not a date written YYYY-MM-DD")
    }
    return try writingProtection { directory in
      let (kind, id, _) = try ProtectionRules.resolve(target, in: directory)
      let protection = ProtectionRecord(
        kind: kind, targetID: id, reason: reason, until: until, createdAt: RunClock.now(), createdBy: RunClock.user)
      return try ProtectionRules.change(kind, id, to: protection, described: "protect \(target)", in: directory)
    }
  }

  /// Removes a record's protection as one run; nil when it had none.
  public func unprotect(_ target: ProtectionTarget) throws -> RunRecord? {
    try writingProtection { directory in
      let (kind, id, _) = try ProtectionRules.resolve(target, in: directory)
      return try ProtectionRules.change(kind, id, to: nil, described: "unprotect \(target)", in: directory)
    }
  }

  /// Every stored protection with the record it names, and whether it
  /// holds on `today` (`YYYY-MM-DD`).
  public func protectionEntries(today: String? = nil) throws(DirectoryError) -> [ProtectionEntry] {
    let today = today ?? RunClock.today()
    return try reading { directory in
      let organizations = try directory.organizations()
      return try directory.protections().map { protection in
        ProtectionEntry(
          protection: protection,
          target: try ProtectionRules.describe(protection, in: directory, organizations: organizations),
          holds: protection.holds(on: today))
      }
    }
  }

  private func writingProtection(_ body: (any DirectoryTransaction) throws -> RunRecord?) throws -> RunRecord? {
    do { return try write(body) } catch let locked as DirectoryLocked { throw ApplyRefusal.locked(locked.holder) }
  }
}

/// The rules of protecting, inside a write transaction.
public enum ProtectionRules {
  /// Every protection run's source starts with this, in place of an
  /// export's path: `sis-sync protect: protect custom_id S100`.
  public static let sourcePrefix = "sis-sync protect: "

  public static func isProtectionSource(_ path: String?) -> Bool { path?.hasPrefix(sourcePrefix) ?? false }

  /// The record a target names: its kind, its id, and how to say it.
  static func resolve(_ target: ProtectionTarget, in directory: any DirectoryReading) throws -> (
    ProtectionRecord.Kind, Int64, String
  ) {
    switch target {
    case .customID(let customID):
      guard !customID.isEmpty, let id = try directory.accountID(customID: customID, otherThan: 0) else {
        throw ProtectionError(message: "no account has custom_id \(customID)")
      }
      return (.account, id, "account #\(id) (custom_id \(customID))")
    case .accountNumber(let id):
      guard try directory.account(id: id) != nil else { throw ProtectionError(message: "there is no account #\(id)") }
      return (.account, id, "account #\(id)")
    case .organization(let key):
      let organizations = try directory.organizations()
      let byExternalID = organizations.filter { $0.externalID == key }
      let byName = organizations.filter { $0.name == key }
      let found = byExternalID.isEmpty ? byName : byExternalID
      guard found.count == 1, let organization = found.first else {
        throw ProtectionError(
          message: found.isEmpty
            ? "no organization has the external ID or the name '\(key)'"
            : "\(found.count) organizations are named '\(key)': name it by its external ID")
      }
      return (.organization, organization.id, "organization \(organization.name) (#\(organization.id))")
    }
  }

  static func describe(
    _ protection: ProtectionRecord, in directory: any DirectoryReading, organizations: [Organization]
  ) throws -> String {
    switch protection.kind {
    case .account:
      guard let account = try directory.account(id: protection.targetID) else {
        return "account #\(protection.targetID) (no longer in the directory)"
      }
      let customID = account.values[.customID]
      return "account #\(protection.targetID)" + (customID.isEmpty ? " (unmanaged)" : " (custom_id \(customID))")
    case .organization:
      guard let organization = organizations.first(where: { $0.id == protection.targetID }) else {
        return "organization #\(protection.targetID) (no longer in the directory)"
      }
      return "organization \(organization.name) (#\(organization.id)"
        + (organization.externalID.map { ", external ID \($0))" } ?? ")")
    }
  }

  static func change(
    _ kind: ProtectionRecord.Kind, _ target: Int64, to protection: ProtectionRecord?, described: String,
    in directory: any DirectoryTransaction
  ) throws -> RunRecord? {
    let before = try directory.protections().first { $0.kind == kind && $0.targetID == target }
    switch (before, protection) {
    case (nil, nil): return nil
    case (let before?, let after?)
    where before.reason == after.reason && before.until == after.until:
      return nil
    default: break
    }
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let runID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .apply, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: sourcePrefix + described, exportSHA256: nil, revertsRun: nil, generation: generation,
        counts: [:]))
    try directory.setProtection(kind, target: target, to: protection)
    try directory.recordChanges(
      [recordedChange(kind, target, before: before, after: protection)], run: runID)
    try directory.finishRun(id: runID, finishedAt: RunClock.now(), counts: [RecordedChange.protectionAction: 1])
    return try directory.run(id: runID)
  }

  static func recordedChange(
    _ kind: ProtectionRecord.Kind, _ target: Int64, before: ProtectionRecord?, after: ProtectionRecord?
  ) -> RecordedChange {
    RecordedChange(
      action: RecordedChange.protectionAction, accountID: kind == .account ? target : nil,
      organizationID: kind == .organization ? target : nil, before: before?.recorded ?? [],
      after: after?.recorded ?? [])
  }
}
