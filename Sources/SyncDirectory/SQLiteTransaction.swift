import ExportReading
import Foundation
import GRDB
import SyncModel

/// The store's basic operations on one SQLite connection inside a read or a
/// write transaction. One SQL text per statement; the bulk paths (accounts
/// read, created and updated by the hundred thousand) use prepared
/// statements, made once per transaction and run in a loop.
final class SQLiteTransaction: DirectoryTransaction {
  let db: Database
  private let pause: ApplyPause?
  /// Set by `moveToNewState`: the generation every write is stamped with.
  private var generation: Int64?
  /// Organizations' references by id, for reading accounts; nil when an
  /// organization changed since it was read.
  private var references: [Int64: String]?
  /// Prepared statements, made on first use: by name, and the batch
  /// inserts by their row count.
  private var statements: [StatementName: RawStatement] = [:]
  private enum StatementName: Hashable {
    case selectAccount, updateAccount
    case insertAccounts(rows: Int)
    case insertChanges(rows: Int)
  }
  private var changesRecorded = 0

  init(_ db: Database, pause: ApplyPause?) {
    self.db = db
    self.pause = pause
  }

  /// The prepared statement `name`, made from `sql` on first use (the
  /// text is built only then).
  private func statement(_ name: StatementName, _ sql: @autoclosure () -> String) throws -> RawStatement {
    if let made = statements[name] { return made }
    let made = try RawStatement(db, sql())
    statements[name] = made
    return made
  }

  /// Database failures as the store's errors: a unique index's refusal as
  /// `DuplicateKey`, anything else said plainly (`SQLiteDirectory` turns it
  /// into a `DirectoryError` when it leaves `read` or `write`).
  func translating<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
      throw DuplicateKey(message: error.message ?? "constraint failed")
    } catch let error as DatabaseError {
      throw SQLiteFailure(error: error)
    }
  }

  private func stamp() -> Int64 {
    guard let generation else { preconditionFailure("a directory write before moveToNewState()") }
    return generation
  }

  // MARK: - Reading

  func state() throws -> DirectoryState { try translating { try SQLiteDirectory.state(db) } }

  func generation(ofState token: String) throws -> Int64? {
    try translating {
      try Int64.fetchOne(db, sql: "SELECT generation FROM directory_state WHERE token = ?", arguments: [token])
    }
  }

  func organizations() throws -> [Organization] { try translating { try SQLiteDirectory.organizations(db) } }

  func account(id: Int64) throws -> StoredAccount? {
    try translating {
      if references == nil {
        references = Dictionary(
          uniqueKeysWithValues: try SQLiteDirectory.organizations(db).map { ($0.id, $0.reference) })
      }
      let select = try statement(
        .selectAccount,
        """
        SELECT first_name, middle_name, last_name, email, custom_id, organization_id, user_type, position, grade,
               status FROM account WHERE id = ?
        """)
      select.bind(1, id)
      var found: StoredAccount?
      try select.forEachRow(db) {
        let organizationID = select.int64(5)
        let reference = references?[organizationID] ?? ""
        found = StoredAccount(
          organizationID: organizationID,
          values: AccountValues(
            values: (0..<Int32(ExportColumn.count)).map {
              $0 == 5 ? reference : String(decoding: select.bytes($0), as: UTF8.self)
            }))
      }
      return found
    }
  }

  func accountID(customID: String, otherThan: Int64) throws -> Int64? {
    try translating {
      try Int64.fetchOne(
        db, sql: "SELECT id FROM account WHERE custom_id = ? AND id != ?", arguments: [customID, otherThan])
    }
  }

  func accountID(email: String, otherThan: Int64) throws -> Int64? {
    try translating {
      try Int64.fetchOne(
        db, sql: "SELECT id FROM account WHERE email = ? COLLATE NOCASE AND id != ?", arguments: [email, otherThan])
    }
  }

  func records(changedAfter generation: Int64) throws -> ChangedRecords {
    try translating {
      var changed = ChangedRecords()
      for row in try Row.fetchAll(
        db, sql: "SELECT id, custom_id FROM account WHERE changed_generation > ? ORDER BY id",
        arguments: [generation])
      {
        changed.accounts.append(.init(id: row["id"], customID: row["custom_id"]))
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT id, name FROM organization WHERE changed_generation > ? ORDER BY id",
        arguments: [generation])
      {
        changed.organizations.append(.init(id: row["id"], name: row["name"]))
      }
      return changed
    }
  }

  func accountIDsWithGeneratedEmail() throws -> [Int64] {
    try translating { try Int64.fetchAll(db, sql: "SELECT id FROM account WHERE email_generated = 1 ORDER BY id") }
  }

  func markEmailsGenerated(accountIDs: [Int64]) throws {
    guard !accountIDs.isEmpty else { return }
    try translating {
      for id in accountIDs {
        try db.execute(sql: "UPDATE account SET email_generated = 1 WHERE id = ?", arguments: [id])
      }
    }
  }

  func isEmpty() throws -> Bool {
    try translating {
      try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM organization)") == 0
    }
  }

  func runs() throws -> [RunRecord] {
    try translating { try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id DESC").map(Self.runRecord) }
  }

  func run(id: Int64) throws -> RunRecord? {
    try translating { try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.runRecord) }
  }

  func changes(ofRun id: Int64) throws -> [RecordedChange] {
    try translating {
      try Row.fetchAll(db, sql: "SELECT * FROM change WHERE run_id = ? ORDER BY id", arguments: [id]).map { row in
        RecordedChange(
          action: row["action"], accountID: row["account_id"], organizationID: row["organization_id"],
          customID: row["custom_id"], line: (row["line"] as Int64?).map(Int.init),
          before: FieldEncoding.decode(row["before"]), after: FieldEncoding.decode(row["after"]) ?? [],
          outcome: row["outcome"])
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
      counts: counts, source: row["source"])
  }

  // MARK: - Writing

  func moveToNewState() throws -> Int64 {
    try translating {
      let next = (Int64(try SQLiteDirectory.info(db, "generation")) ?? 0) + 1
      let token = SQLiteDirectory.newStateToken()
      try db.execute(
        sql: """
          UPDATE directory_info SET value = ? WHERE key = 'generation';
          INSERT OR REPLACE INTO directory_info (key, value) VALUES ('state_token', ?);
          INSERT INTO directory_state (token, generation) VALUES (?, ?);
          """,
        arguments: [String(next), token, token, next])
      generation = next
      return next
    }
  }

  func insertOrganization(_ organization: Organization) throws -> Int64 {
    let generation = stamp()
    references = nil
    return try translating {
      try db.execute(
        sql: "INSERT INTO organization (external_id, name, kind, changed_generation) VALUES (?, ?, ?, ?)",
        arguments: [organization.externalID, organization.name, organization.kind.rawValue, generation])
      return db.lastInsertedRowID
    }
  }

  func setExternalID(_ externalID: String?, ofOrganization id: Int64) throws {
    let generation = stamp()
    references = nil
    try translating {
      try db.execute(
        sql: "UPDATE organization SET external_id = ?, changed_generation = ? WHERE id = ?",
        arguments: [externalID, generation, id])
    }
  }

  /// Accounts go in batches: one multi-row INSERT per 64 accounts costs far
  /// less than a statement per row. SQLite gives the rows of one INSERT
  /// consecutive ids (each the largest so far plus one, the transaction
  /// holding the write lock), so their ids are known.
  func insertAccounts(_ accounts: [StoredAccount]) throws -> [Int64] {
    let generation = stamp()
    return try translating {
      var ids: [Int64] = []
      ids.reserveCapacity(accounts.count)
      var start = 0
      while start < accounts.count {
        let batch = accounts[start..<min(start + Self.batchSize, accounts.count)]
        let insert = try statement(
          .insertAccounts(rows: batch.count), Self.insertAccountsSQL(count: batch.count))
        for (index, account) in batch.enumerated() {
          bindAccount(insert, account, generation: generation, offset: Int32(index * 11))
        }
        try insert.run(db)
        let firstID = db.lastInsertedRowID - Int64(batch.count - 1)
        ids += (0..<Int64(batch.count)).map { firstID + $0 }
        start += batch.count
      }
      return ids
    }
  }

  func updateAccount(id: Int64, to account: StoredAccount) throws {
    let generation = stamp()
    try translating {
      let update = try statement(
        .updateAccount,
        """
        UPDATE account SET custom_id = ?, first_name = ?, middle_name = ?, last_name = ?, email = ?,
                           organization_id = ?, user_type = ?, position = ?, grade = ?, status = ?,
                           changed_generation = ?, email_generated = email_generated AND email = ?5
        WHERE id = ?
        """)
      bindAccount(update, account, generation: generation)
      update.bind(12, id)
      try update.run(db)
    }
  }

  func insertRun(_ run: RunRecord) throws -> Int64 {
    try translating {
      try db.execute(
        sql: """
          INSERT INTO run (kind, started_at, finished_at, user_name, host, export_path, export_sha256, reverts_run,
                           generation, counts, source)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run.kind.rawValue, run.startedAt, run.finishedAt, run.user, run.host, run.exportPath, run.exportSHA256,
          run.revertsRun, run.generation, Self.encodeCounts(run.counts), run.source,
        ])
      return db.lastInsertedRowID
    }
  }

  func finishRun(id: Int64, finishedAt: String, counts: [String: Int]) throws {
    try translating {
      try db.execute(
        sql: "UPDATE run SET finished_at = ?, counts = ? WHERE id = ?",
        arguments: [finishedAt, Self.encodeCounts(counts), id])
    }
  }

  /// In batches of 64, as accounts are inserted.
  func recordChanges(_ changes: [RecordedChange], run id: Int64) throws {
    try translating {
      var start = 0
      while start < changes.count {
        let batch = changes[start..<min(start + Self.batchSize, changes.count)]
        let insert = try statement(
          .insertChanges(rows: batch.count), Self.insertChangesSQL(count: batch.count))
        for (index, change) in batch.enumerated() {
          let offset = Int32(index * 9)
          insert.bind(offset + 1, id)
          insert.bind(offset + 2, change.action)
          insert.bind(offset + 3, change.accountID)
          insert.bind(offset + 4, change.organizationID)
          insert.bind(offset + 5, change.customID)
          insert.bind(offset + 6, change.line.map(Int64.init))
          insert.bind(offset + 7, change.before.map(FieldEncoding.encode))
          insert.bind(offset + 8, FieldEncoding.encode(change.after))
          insert.bind(offset + 9, change.outcome)
        }
        try insert.run(db)
        start += batch.count
      }
    }
    let before = changesRecorded
    changesRecorded += changes.count
    if let pause, before < pause.afterChanges, changesRecorded >= pause.afterChanges { pause.wait() }
  }

  // MARK: - Statements

  static let batchSize = 64

  static func insertAccountsSQL(count: Int) -> String {
    let row = "(" + Array(repeating: "?", count: 11).joined(separator: ", ") + ")"
    return """
      INSERT INTO account (custom_id, first_name, middle_name, last_name, email, organization_id, user_type,
                           position, grade, status, changed_generation)
      VALUES \(Array(repeating: row, count: count).joined(separator: ", "))
      """
  }

  static func insertChangesSQL(count: Int) -> String {
    let row = "(" + Array(repeating: "?", count: 9).joined(separator: ", ") + ")"
    return "INSERT INTO change (run_id, action, account_id, organization_id, custom_id, line, before, after, outcome) "
      + "VALUES " + Array(repeating: row, count: count).joined(separator: ", ")
  }

  /// Binds the eleven account columns of the insert and update statements
  /// (same order in both), an empty custom_id as NULL (unmanaged).
  private func bindAccount(_ statement: RawStatement, _ account: StoredAccount, generation: Int64, offset: Int32 = 0) {
    let values = account.values
    // The values' bytes, no string made for each.
    func bind(_ index: Int32, _ column: ExportColumn) {
      values.withBytes(column) { statement.bind(offset + index, bytes: $0) }
    }
    if values.isEmpty(.customID) { statement.bind(offset + 1, nil as String?) } else { bind(1, .customID) }
    bind(2, .firstName)
    bind(3, .middleName)
    bind(4, .lastName)
    bind(5, .email)
    statement.bind(offset + 6, account.organizationID)
    bind(7, .userType)
    bind(8, .position)
    bind(9, .grade)
    bind(10, .status)
    statement.bind(offset + 11, generation)
  }

  static func encodeCounts(_ counts: [String: Int]) -> String { RunRecord.encodeCounts(counts) }
}

/// A database error met inside a transaction, in the words of
/// `SQLiteDirectory.describe`.
struct SQLiteFailure: Error, CustomStringConvertible {
  let error: DatabaseError
  var description: String { SQLiteDirectory.describe(error) }
}

/// Ten field values stored in one text column, separated by the ASCII unit
/// separator (no value can hold it: validation rejects control characters).
/// One value (an organization's external ID) is stored as itself.
package enum FieldEncoding {
  static let separator: Character = "\u{1F}"

  package static func encode(_ values: [String]) -> String { values.joined(separator: String(separator)) }

  package static func decode(_ text: String?) -> [String]? {
    text.map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
  }
}
