import ExportReading
import Foundation
import GRDB
import SyncModel

extension SQLiteDirectory {
  /// Every run, newest first.
  public func runs() throws(DirectoryError) -> [RunRecord] {
    try translatingErrors {
      try queue.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC").map(Self.runRecord)
      }
    }
  }

  /// A run and its changes, in the order they were made; nil when there is
  /// no such run.
  public func run(id: Int64) throws(DirectoryError) -> (RunRecord, [RecordedChange])? {
    try translatingErrors {
      try queue.read { db in
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else {
          return nil
        }
        return (Self.runRecord(row), try Self.changes(db, runID: id))
      }
    }
  }

  static func runRecord(_ row: Row) -> RunRecord {
    let countsText: String = row["counts"]
    let counts =
      (try? JSONSerialization.jsonObject(with: Data(countsText.utf8)) as? [String: Int]) ?? [:]
    return RunRecord(
      id: row["id"], kind: RunRecord.Kind(rawValue: row["kind"]) ?? .apply, startedAt: row["started_at"],
      finishedAt: row["finished_at"], user: row["user_name"], host: row["host"], exportPath: row["export_path"],
      exportSHA256: row["export_sha256"], revertsRun: row["reverts_run"], generation: row["generation"],
      counts: counts)
  }

  static func changes(_ db: Database, runID: Int64) throws -> [RecordedChange] {
    try Row.fetchAll(db, sql: "SELECT * FROM change WHERE run_id = ? ORDER BY id", arguments: [runID]).map { row in
      let action: String = row["action"]
      let isOrganization = action == "set_organization_external_id"
      let before: String? = row["before"]
      let after: String = row["after"]
      return RecordedChange(
        action: action, accountID: row["account_id"], organizationID: row["organization_id"],
        customID: row["custom_id"], line: (row["line"] as Int64?).map(Int.init),
        before: isOrganization ? before.map { [$0] } : FieldEncoding.decode(before),
        after: isOrganization ? [after] : FieldEncoding.decode(after) ?? [], outcome: row["outcome"])
    }
  }

  /// Undoes a run: each account it changed gets its earlier values back if
  /// nobody changed it since (else it is kept, and said so); an account it
  /// created is disabled. The revert is itself a run.
  public func revert(runID: Int64, wait: TimeInterval = 0) throws -> RevertResult {
    try checkStillTheOpenedFile()
    guard let lock = try DirectoryLock.acquire(directoryPath: path, wait: wait) else {
      throw ApplyRefusal.locked(DirectoryLock.holder(directoryPath: path))
    }
    defer { withExtendedLifetime(lock) {} }
    var result: RevertResult?
    do {
      try queue.inTransaction(.immediate) { db in
        result = try Self.revert(db, runID: runID)
        return .commit
      }
    } catch let error as DirectoryError {
      throw error
    } catch let refusal as ApplyRefusal {
      throw refusal
    } catch {
      let reason = Self.describe(error)
      throw DirectoryError(
        path: path, reason: reason.hasSuffix("nothing was changed") ? reason : reason + "; nothing was changed")
    }
    return result!
  }

  private static func revert(_ db: Database, runID: Int64) throws -> RevertResult {
    guard try Row.fetchOne(db, sql: "SELECT id FROM run WHERE id = ?", arguments: [runID]) != nil else {
      throw DirectoryError(path: db.description, reason: "there is no run \(runID); see 'sis-sync history'")
    }
    let original = try changes(db, runID: runID)
    let generation = try nextGeneration(db)
    let startedAt = RunClock.now()
    try db.execute(
      sql: """
        INSERT INTO run (kind, started_at, finished_at, user_name, host, reverts_run, generation, counts)
        VALUES ('revert', ?, ?, ?, ?, ?, ?, '{}')
        """, arguments: [startedAt, startedAt, RunClock.user, RunClock.host, runID, generation])
    let revertRunID = db.lastInsertedRowID
    let organizations = try Self.organizations(db)
    var reverted: [RecordedChange] = []
    var kept: [RecordedChange] = []
    var failed: [RecordedChange] = []
    for change in original.reversed() {
      var outcome: RecordedChange = change
      let restored: [String]?
      do {
        restored = try revertOne(db, change: change, organizations: organizations, generation: generation)
      } catch {
        outcome.outcome = "failed: " + describe(error)
        failed.append(outcome)
        try record(db, revertRunID, change, restored: nil, outcome: outcome.outcome!)
        continue
      }
      if let restored {
        outcome.outcome = change.action == "create" ? "reverted (disabled; it did not exist before)" : "reverted"
        outcome.before = change.after
        outcome.after = restored
        reverted.append(outcome)
      } else {
        outcome.outcome = "kept (changed since)"
        kept.append(outcome)
      }
      try record(db, revertRunID, change, restored: restored, outcome: outcome.outcome!)
    }
    let counts = ["reverted": reverted.count, "kept": kept.count, "failed": failed.count]
    try db.execute(
      sql: "UPDATE run SET finished_at = ?, counts = ? WHERE id = ?",
      arguments: [RunClock.now(), encodeCounts(counts), revertRunID])
    let run = runRecord(try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [revertRunID])!)
    return RevertResult(run: run, reverted: reverted, kept: kept, failed: failed)
  }

  /// Restores one change; returns the values written, or nil when the
  /// record changed since (kept). Throws when the restore is impossible.
  private static func revertOne(
    _ db: Database, change: RecordedChange, organizations: [Organization], generation: Int64
  ) throws -> [String]? {
    if change.action == "set_organization_external_id" {
      guard let id = change.organizationID else { return nil }
      let current = try String.fetchOne(db, sql: "SELECT external_id FROM organization WHERE id = ?", arguments: [id])
      guard current == change.after.first else { return nil }
      let before = change.before?.first
      try db.execute(
        sql: "UPDATE organization SET external_id = ?, changed_generation = ? WHERE id = ?",
        arguments: [before, generation, id])
      return [before ?? ""]
    }
    guard let accountID = change.accountID else { return nil }
    guard let current = try currentValues(db, accountID: accountID, organizations: organizations) else {
      throw DirectoryError(path: "", reason: "account #\(accountID) no longer exists")
    }
    guard current.values == change.after else { return nil }
    var target: AccountValues
    var organizationID = try Int64.fetchOne(
      db, sql: "SELECT organization_id FROM account WHERE id = ?", arguments: [accountID])!
    if change.action == "create" {
      target = current
      target[.status] = "Disabled"
    } else {
      guard let before = change.before, before.count == ExportColumn.count else { return nil }
      target = AccountValues(values: before)
      let reference = target[.schoolExternalID]
      if let organization = organizations.first(where: { $0.externalID == reference })
        ?? organizations.first(where: { $0.externalID == nil && $0.name == reference })
      {
        organizationID = organization.id
      }
    }
    let update = try RawStatement(
      db,
      """
      UPDATE account SET custom_id = ?, first_name = ?, middle_name = ?, last_name = ?, email = ?,
                         organization_id = ?, user_type = ?, position = ?, grade = ?, status = ?,
                         changed_generation = ?
      WHERE id = ?
      """)
    bindAccount(update, values: target, organizationID: organizationID, generation: generation)
    update.bind(12, accountID)
    try db.inSavepoint {
      try update.run(db)
      return .commit
    }
    return target.values
  }

  static func currentValues(_ db: Database, accountID: Int64, organizations: [Organization]) throws -> AccountValues? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT first_name, middle_name, last_name, email, custom_id, organization_id, user_type, position,
                 grade, status FROM account WHERE id = ?
          """, arguments: [accountID])
    else { return nil }
    let organizationID: Int64 = row["organization_id"]
    let reference = organizations.first { $0.id == organizationID }?.reference ?? ""
    let customID: String? = row["custom_id"]
    return AccountValues(values: [
      row["first_name"], row["middle_name"], row["last_name"], row["email"], customID ?? "", reference,
      row["user_type"], row["position"], row["grade"], row["status"],
    ])
  }

  private static func record(
    _ db: Database, _ runID: Int64, _ change: RecordedChange, restored: [String]?, outcome: String
  ) throws {
    let isOrganization = change.action == "set_organization_external_id"
    try db.execute(
      sql: """
        INSERT INTO change (run_id, action, account_id, organization_id, custom_id, line, before, after, outcome)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        runID, "revert_" + change.action, change.accountID, change.organizationID, change.customID, change.line,
        isOrganization ? change.after.first : FieldEncoding.encode(change.after),
        restored.map { isOrganization ? ($0.first ?? "") : FieldEncoding.encode($0) } ?? "",
        outcome,
      ])
  }
}
