import Foundation

/// A scheduled run held by a threshold or by ID changes, kept in the
/// directory until a person approves or rejects it (`sis-sync pending`,
/// `approve`, `reject`, `review --pending`). The record is what lists and
/// history show; `PendingRunContent` (the plan and the export's bytes) is
/// read only when the run is opened or applied.
public struct PendingRunRecord: Sendable, Equatable {
  public enum Status: String, Sendable, CaseIterable {
    /// Waiting for a person.
    case pending
    /// A newer held run of the same source replaced it (kept for history).
    case superseded
    /// A person applied it (`appliedRun`), or committed its review.
    case approved
    /// A person refused it (`reason`).
    case rejected
  }

  /// The row's key (0 before it is stored).
  public var id: Int64
  public var status: Status
  /// When the scheduled run was held (ISO 8601, UTC), by whom, on which host.
  public var heldAt: String
  public var heldBy: String
  public var host: String
  /// The run's source (`--source`); nil when none was given.
  public var source: String?
  /// The export's name as the run was given it, and its SHA-256.
  public var exportName: String
  public var exportSHA256: String
  /// The mapping's origin as plans name it (a path, a preset, or built in).
  public var mappingOrigin: String
  /// The state the plan was made against: a different token now means the
  /// directory changed since (the run is stale).
  public var directoryToken: String
  /// What held it, as JSON (`PendingRunHolds`): thresholds with their
  /// counts, and the ID changes no person accepted.
  public var holds: String
  /// The decision: when, by whom, why; the run it was applied as.
  public var decidedAt: String?
  public var decidedBy: String?
  public var reason: String?
  public var appliedRun: Int64?
  /// The newer held run that superseded it.
  public var supersededBy: Int64?

  public init(
    id: Int64 = 0, status: Status = .pending, heldAt: String, heldBy: String, host: String, source: String?,
    exportName: String, exportSHA256: String, mappingOrigin: String, directoryToken: String, holds: String,
    decidedAt: String? = nil, decidedBy: String? = nil, reason: String? = nil, appliedRun: Int64? = nil,
    supersededBy: Int64? = nil
  ) {
    self.id = id
    self.status = status
    self.heldAt = heldAt
    self.heldBy = heldBy
    self.host = host
    self.source = source
    self.exportName = exportName
    self.exportSHA256 = exportSHA256
    self.mappingOrigin = mappingOrigin
    self.directoryToken = directoryToken
    self.holds = holds
    self.decidedAt = decidedAt
    self.decidedBy = decidedBy
    self.reason = reason
    self.appliedRun = appliedRun
    self.supersededBy = supersededBy
  }
}

/// What a pending run needs to be applied or reviewed again after the
/// nightly file is replaced. Personal data (the export names students):
/// kept in the directory like its accounts, never written elsewhere
/// except to an owner-only folder while a review has it open.
public struct PendingRunContent: Sendable, Equatable {
  /// The saved plan, in the plan file's form (`PlanFile`).
  public var plan: [UInt8]
  /// The export's bytes, as read.
  public var export: [UInt8]
  /// The mapping's text (`man 5 sis-sync-mapping`); nil for none (the
  /// export's own headers).
  public var mapping: String?
  /// The mapping's companion files, by the name its `[file NAME]` gives.
  public var companions: [String: [UInt8]]

  public init(plan: [UInt8], export: [UInt8], mapping: String?, companions: [String: [UInt8]] = [:]) {
    self.plan = plan
    self.export = export
    self.mapping = mapping
    self.companions = companions
  }
}

extension PendingRunRecord {
  /// `pending_run` as both stores create it (their type names differ).
  package static func createTableSQL(integer: String, text: String) -> String {
    """
    CREATE TABLE pending_run (
      id \(integer) PRIMARY KEY,
      status \(text) NOT NULL CHECK (status IN ('pending', 'superseded', 'approved', 'rejected')),
      held_at \(text) NOT NULL, held_by \(text) NOT NULL, host \(text) NOT NULL, source \(text),
      export_name \(text) NOT NULL, export_sha256 \(text) NOT NULL, mapping_origin \(text) NOT NULL,
      directory_token \(text) NOT NULL, holds \(text) NOT NULL, decided_at \(text), decided_by \(text),
      reason \(text), applied_run \(integer), superseded_by \(integer),
      plan \(text) NOT NULL, export \(text) NOT NULL, mapping \(text), companions \(text))
    """
  }
  /// The columns of `pending_run` a record fills, in `DirectoryTable.pendingRun`'s
  /// order (after `id`), as text (nil for NULL): both stores write these.
  package var columnValues: [String?] {
    [
      status.rawValue, heldAt, heldBy, host, source, exportName, exportSHA256, mappingOrigin, directoryToken, holds,
      decidedAt, decidedBy, reason, appliedRun.map(String.init), supersededBy.map(String.init),
    ]
  }

  /// The column names `columnValues` fills.
  package static let recordColumns = [
    "status", "held_at", "held_by", "host", "source", "export_name", "export_sha256", "mapping_origin",
    "directory_token", "holds", "decided_at", "decided_by", "reason", "applied_run", "superseded_by",
  ]

  /// A record from `id` and the values of `recordColumns`, as a store reads them.
  package init(id: Int64, values: [String?]) {
    func text(_ index: Int) -> String { values[index] ?? "" }
    self.init(
      id: id, status: Status(rawValue: text(0)) ?? .pending, heldAt: text(1), heldBy: text(2), host: text(3),
      source: values[4], exportName: text(5), exportSHA256: text(6), mappingOrigin: text(7),
      directoryToken: text(8), holds: text(9), decidedAt: values[10], decidedBy: values[11], reason: values[12],
      appliedRun: values[13].flatMap { Int64($0) }, supersededBy: values[14].flatMap { Int64($0) })
  }
}

extension PendingRunContent {
  /// The content columns of `pending_run`: the plan as text (plan files
  /// are UTF-8), the export and companion files in base64 (an export need
  /// not be UTF-8), so both stores keep them as text and `directory copy`
  /// moves them as it moves every other column.
  package static let columns = ["plan", "export", "mapping", "companions"]

  package var columnValues: [String?] {
    let encoded = companions.mapValues { Data($0).base64EncodedString() }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let companionText =
      encoded.isEmpty ? nil : (try? encoder.encode(encoded)).map { String(decoding: $0, as: UTF8.self) }
    return [String(decoding: plan, as: UTF8.self), Data(export).base64EncodedString(), mapping, companionText]
  }

  /// Content from the values of `columns`; nil when they are damaged.
  package init?(values: [String?]) {
    guard values.count == 4, let plan = values[0], let exportText = values[1],
      let export = Data(base64Encoded: exportText)
    else { return nil }
    var companions: [String: [UInt8]] = [:]
    if let text = values[3] {
      guard let encoded = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return nil }
      for (name, base64) in encoded {
        guard let bytes = Data(base64Encoded: base64) else { return nil }
        companions[name] = Array(bytes)
      }
    }
    self.init(plan: Array(plan.utf8), export: Array(export), mapping: values[2], companions: companions)
  }
}

/// A held run whose saved content cannot be read back (edited in the
/// database by hand, or cut).
public struct DamagedPendingRun: Error, CustomStringConvertible {
  public let id: Int64
  public var description: String { "pending run \(id): its saved plan or export is damaged; reject it" }
  package init(id: Int64) { self.id = id }
}
