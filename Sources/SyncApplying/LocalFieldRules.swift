import SyncDirectory
import SyncModel
import SyncPlanning

/// An account's own local fields with the account they belong to, for
/// `local-fields list`.
public struct LocalFieldsEntry: Sendable, Equatable {
  public var accountID: Int64
  /// "account #12 (custom_id S100)".
  public var target: String
  public var fields: [ExportColumn]
}

extension DirectoryStore {
  /// Marks fields of one account local as one run (recorded in history,
  /// undone by `revert`, moving the directory to a new state so that plans
  /// made before are refused as stale); nil when they were local already.
  public func markLocal(_ names: [String], of target: ProtectionTarget) throws -> RunRecord? {
    let fields = try LocalFields.parse(names)
    return try writingLocalFields { directory in
      let (id, described) = try LocalFieldRules.resolve(target, in: directory)
      let before = LocalFields.columnsStored(try directory.localFields()[id] ?? [])
      return try LocalFieldRules.change(
        id, from: before, to: Set(before + fields).sorted(),
        described: "set \(described) " + fields.map(\.header).joined(separator: ","), in: directory)
    }
  }

  /// Makes fields of one account the sync's again, as one run; nil when
  /// none of them was local to it. (A field local for every account, the
  /// setting `fields.local`, stays local.)
  public func unmarkLocal(_ names: [String], of target: ProtectionTarget) throws -> RunRecord? {
    let fields = try LocalFields.parse(names)
    return try writingLocalFields { directory in
      let (id, described) = try LocalFieldRules.resolve(target, in: directory)
      let before = LocalFields.columnsStored(try directory.localFields()[id] ?? [])
      return try LocalFieldRules.change(
        id, from: before, to: before.filter { !fields.contains($0) },
        described: "unset \(described) " + fields.map(\.header).joined(separator: ","), in: directory)
    }
  }

  /// Every account with fields of its own marked local, by account id.
  public func localFieldEntries() throws(DirectoryError) -> [LocalFieldsEntry] {
    try reading { directory in
      try directory.localFields().sorted { $0.key < $1.key }.map { id, names in
        let account = try directory.account(id: id)
        let customID = account?.values[.customID] ?? ""
        let target =
          "account #\(id)"
          + (account == nil
            ? " (no longer in the directory)" : customID.isEmpty ? " (unmanaged)" : " (custom_id \(customID))")
        return LocalFieldsEntry(accountID: id, target: target, fields: LocalFields.columnsStored(names))
      }
    }
  }

  private func writingLocalFields(_ body: (any DirectoryTransaction) throws -> RunRecord?) throws -> RunRecord? {
    do { return try write(body) } catch let locked as DirectoryLocked { throw ApplyRefusal.locked(locked.holder) }
  }
}

extension LocalFields {
  /// Stored names as columns (names this version does not know dropped).
  static func columnsStored(_ names: [String]) -> [ExportColumn] {
    Set(names.compactMap(ExportColumn.init(header:))).sorted()
  }
}

/// The rules of marking fields local, inside a write transaction.
public enum LocalFieldRules {
  /// Every local-fields run's source starts with this, in place of an
  /// export's path: `sis-sync local-fields: set custom_id S100 email`.
  public static let sourcePrefix = "sis-sync local-fields: "

  public static func isLocalFieldsSource(_ path: String?) -> Bool { path?.hasPrefix(sourcePrefix) ?? false }

  /// The account a target names (an organization has no fields).
  static func resolve(_ target: ProtectionTarget, in directory: any DirectoryReading) throws -> (Int64, String) {
    if case .organization = target {
      throw ProtectionError(message: "local fields belong to an account: name it by custom_id or #number")
    }
    let (_, id, _) = try ProtectionRules.resolve(target, in: directory)
    return (id, target.description)
  }

  static func change(
    _ account: Int64, from before: [ExportColumn], to after: [ExportColumn], described: String,
    in directory: any DirectoryTransaction
  ) throws -> RunRecord? {
    guard before != after else { return nil }
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let runID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .apply, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: sourcePrefix + described, exportSHA256: nil, revertsRun: nil, generation: generation,
        counts: [:]))
    try directory.setLocalFields(after.map(\.header), ofAccount: account)
    let customID = try directory.account(id: account)?.values[.customID]
    try directory.recordChanges(
      [
        RecordedChange(
          action: RecordedChange.localFieldsAction, accountID: account,
          customID: customID?.isEmpty == false ? customID : nil, before: before.map(\.header),
          after: after.map(\.header))
      ], run: runID)
    try directory.finishRun(id: runID, finishedAt: RunClock.now(), counts: [RecordedChange.localFieldsAction: 1])
    return try directory.run(id: runID)
  }
}
