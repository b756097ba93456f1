import ExportReading
import SyncModel

/// An account as a store keeps it: its organization and the ten export
/// fields (custom_id empty for an unmanaged account; the school field is the
/// organization's reference when read, and ignored when written).
public struct StoredAccount: Sendable, Equatable {
  public var organizationID: Int64
  public var values: AccountValues

  public init(organizationID: Int64, values: AccountValues) {
    self.organizationID = organizationID
    self.values = values
  }
}

/// A commit recorded in the directory.
public struct RunRecord: Sendable, Equatable {
  public enum Kind: String, Sendable { case apply, revert, `import` }
  public var id: Int64
  public var kind: Kind
  public var startedAt: String
  public var finishedAt: String
  public var user: String
  public var host: String
  public var exportPath: String?
  public var exportSHA256: String?
  public var revertsRun: Int64?
  public var generation: Int64
  /// Counts by action name (`create`, `update`, …, `reverted`, `kept`, `failed`).
  public var counts: [String: Int]
  /// The source the run's export came from (`--source`); nil when none was given.
  public var source: String?

  package init(
    id: Int64, kind: Kind, startedAt: String, finishedAt: String, user: String, host: String, exportPath: String? = nil,
    exportSHA256: String? = nil, revertsRun: Int64? = nil, generation: Int64, counts: [String: Int],
    source: String? = nil
  ) {
    self.source = source
    self.id = id
    self.kind = kind
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.user = user
    self.host = host
    self.exportPath = exportPath
    self.exportSHA256 = exportSHA256
    self.revertsRun = revertsRun
    self.generation = generation
    self.counts = counts
  }
}

extension RunRecord {
  /// Keys of `counts` for rows an apply left alone (unchanged; nothing to
  /// do), counted as the plan counts them; the other keys count changes.
  public static let unchangedRows = "unchanged"
  public static let skippedRows = "skipped"

  /// `counts` as stored (JSON, keys sorted).
  package static func encodeCounts(_ counts: [String: Int]) -> String {
    "{" + counts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
  }
}

/// One recorded change of a run, with before and after values.
public struct RecordedChange: Sendable, Equatable {
  /// The action of an organization's external ID change.
  public static let organizationAction = "set_organization_external_id"
  /// The action of a setting's change: `before` and `after` are each
  /// `[key, value]`, the value empty when the key was not stored (its default).
  public static let settingAction = "set_setting"
  /// The action of protecting or unprotecting a record: `before` and
  /// `after` are each `ProtectionRecord.recorded`, empty for none.
  public static let protectionAction = "set_protection"
  /// The action of a change of the source that manages an account:
  /// `before` and `after` are each `[source]`, empty for none.
  public static let sourceAction = "set_source"
  /// The action of marking an account's fields local (`sis-sync
  /// local-fields`): `before` and `after` are each the field names, empty
  /// for none.
  public static let localFieldsAction = "set_local_fields"
  /// An account first found missing while disables wait a grace: `after`
  /// is `[missing_since]`; reverting the run removes the record.
  public static let pendingDisableAction = "pending_disable"
  /// A pending disable ended (the person back, or disabled): `before` is
  /// `[missing_since, run that recorded it]`; reverting puts it back.
  public static let clearPendingDisableAction = "clear_pending_disable"

  public var action: String
  public var accountID: Int64?
  public var organizationID: Int64?
  public var customID: String?
  public var line: Int?
  /// Account values (ten fields) before; nil for creates. For organization
  /// changes, a single value: the external ID.
  public var before: [String]?
  /// Empty for a revert's change that was kept or failed.
  public var after: [String]
  /// For reverts: reverted, kept (changed since) or failed, with a reason.
  public var outcome: String?

  public init(
    action: String, accountID: Int64? = nil, organizationID: Int64? = nil, customID: String? = nil,
    line: Int? = nil, before: [String]?, after: [String], outcome: String? = nil
  ) {
    self.action = action
    self.accountID = accountID
    self.organizationID = organizationID
    self.customID = customID
    self.line = line
    self.before = before
    self.after = after
    self.outcome = outcome
  }

  public var isOrganizationChange: Bool { action == Self.organizationAction }
  public var isSettingChange: Bool { action == Self.settingAction }
  public var isProtectionChange: Bool { action == Self.protectionAction }
  public var isSourceChange: Bool { action == Self.sourceAction }
  public var isLocalFieldsChange: Bool { action == Self.localFieldsAction }

  /// The field names a local-fields change records as `before` or `after`
  /// (a store may read an empty list back as one empty value).
  public static func localFieldNames(_ recorded: [String]?) -> [String] { (recorded ?? []).filter { !$0.isEmpty } }
  public var isPendingDisableChange: Bool {
    action == Self.pendingDisableAction || action == Self.clearPendingDisableAction
  }
}

/// What was written after a known state, as `records(changedAfter:)` lists it.
public struct ChangedRecords: Sendable, Equatable {
  public struct Account: Sendable, Equatable {
    public var id: Int64
    public var customID: String?

    package init(id: Int64, customID: String?) {
      self.id = id
      self.customID = customID
    }
  }
  public struct Organization: Sendable, Equatable {
    public var id: Int64
    public var name: String

    package init(id: Int64, name: String) {
      self.id = id
      self.name = name
    }
  }
  /// In id order.
  public var accounts: [Account] = []
  public var organizations: [Organization] = []

  package init(accounts: [Account] = [], organizations: [Organization] = []) {
    self.accounts = accounts
    self.organizations = organizations
  }
}

/// Another writer holds the directory (`write` waited as long as its store
/// was told to).
public struct DirectoryLocked: Error, Sendable, CustomStringConvertible {
  /// Who holds it, as the holder said ("pid 123 since …"), or "another process".
  public var holder: String
  public var description: String {
    "another apply is writing to this directory (\(holder)); try again when it has finished"
  }

  package init(holder: String) {
    self.holder = holder
  }
}

/// A write took a custom_id or email that another account has; the
/// transaction was rolled back.
public struct DuplicateKey: Error, Sendable, CustomStringConvertible {
  /// The store's own words ("UNIQUE constraint failed: account.email").
  public var message: String
  public var description: String { message }

  package init(message: String) {
    self.message = message
  }
}
