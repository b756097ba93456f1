import Foundation

/// A saved plan: what `apply PLAN` writes, exactly as reviewed, with what it
/// was computed against (the directory's identity and generation, the
/// export's SHA-256) so that a stale plan is refused.
public enum PlanFile {
  public static let format = "sis-sync plan 1"

  struct Document: Codable {
    var format: String
    var createdAt: String
    var export: String
    var exportSHA256: String
    var mapping: String
    var directoryID: String
    var directoryGeneration: Int64
    var disableMissing: Bool
    var thresholds: [Threshold]
    var overrideThresholds: Bool
    var managedAccountsInScope: Int
    var holds: [ThresholdHold]
    var decisions: [Decision]
    var rows: Int
    var changes: [Change]
    var organizationChanges: [OrganizationChange]

    enum CodingKeys: String, CodingKey {
      case format
      case createdAt = "created_at"
      case export
      case exportSHA256 = "export_sha256"
      case mapping
      case directoryID = "directory_id"
      case directoryGeneration = "directory_generation"
      case disableMissing = "disable_missing"
      case thresholds
      case overrideThresholds = "override_thresholds"
      case managedAccountsInScope = "managed_accounts_in_scope"
      case holds, decisions, rows, changes
      case organizationChanges = "organization_changes"
    }
  }

  struct Change: Codable {
    var action: ChangeAction
    var customID: String
    var line: Int?
    var accountID: Int64?
    var organizationID: Int64
    var before: [String]?
    var after: [String]
    var reason: String?

    enum CodingKeys: String, CodingKey {
      case action
      case customID = "custom_id"
      case line
      case accountID = "account_id"
      case organizationID = "organization_id"
      case before, after, reason
    }
  }

  /// Writes the plan atomically, owner-only (it names students).
  public static func save(_ plan: Plan, to path: String) throws(FileAccessError) {
    let document = Document(
      format: format, createdAt: RunClock.now(), export: plan.exportName, exportSHA256: plan.exportSHA256,
      mapping: plan.mappingOrigin, directoryID: plan.directoryID, directoryGeneration: plan.directoryGeneration,
      disableMissing: plan.options.disableMissing, thresholds: plan.options.thresholds,
      overrideThresholds: plan.options.overrideThresholds, managedAccountsInScope: plan.managedAccountsInScope,
      holds: plan.holds, decisions: plan.decisions, rows: plan.rowCount,
      changes: plan.changes.map {
        Change(
          action: $0.action, customID: $0.customID, line: $0.line, accountID: $0.accountID,
          organizationID: $0.organizationID, before: $0.before?.values, after: $0.after.values, reason: $0.reason)
      },
      organizationChanges: plan.organizationChanges)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data: Data
    do { data = try encoder.encode(document) } catch { throw FileAccessError(path: path, reason: "\(error)") }
    try writeFileAtomically(Array(data), to: path, ownerOnly: true)
  }

  /// Reads a saved plan back (without its per-row outcomes and findings,
  /// which applying does not need).
  public static func load(path: String) throws(FileAccessError) -> Plan {
    let bytes = try readWholeFile(path: path, limit: 4 << 30)
    let document: Document
    do { document = try JSONDecoder().decode(Document.self, from: Data(bytes)) } catch {
      throw FileAccessError(path: path, reason: "not a sis-sync plan file (\(error))")
    }
    guard document.format == format else {
      throw FileAccessError(path: path, reason: "unknown plan format '\(document.format)'")
    }
    var summary = PlanSummary()
    let changes = document.changes.map { change -> PlannedChange in
      summary.add(change.action)
      return PlannedChange(
        action: change.action, customID: change.customID, line: change.line, accountID: change.accountID,
        organizationID: change.organizationID, before: change.before.map(AccountValues.init),
        after: AccountValues(values: change.after), reason: change.reason)
    }
    summary.organizationExternalIDs = document.organizationChanges.count
    return Plan(
      exportName: document.export, exportSHA256: document.exportSHA256, mappingOrigin: document.mapping,
      directoryID: document.directoryID, directoryGeneration: document.directoryGeneration,
      options: PlanOptions(
        disableMissing: document.disableMissing, thresholds: document.thresholds,
        overrideThresholds: document.overrideThresholds),
      decisions: document.decisions, changes: changes, organizationChanges: document.organizationChanges,
      summary: summary, managedAccountsInScope: document.managedAccountsInScope, holds: document.holds, findings: [],
      rowCount: document.rows, rowOutcomes: [], rowChanges: [])
  }
}
