import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// The store's basic operations on one connection inside a read or a
/// write transaction (the connection's search_path is the directory's
/// schema). New rows get the next ids after the largest (as SQLite gives
/// them): a write holds the directory's lock, so no one else adds rows.
final class PostgreSQLTransaction: DirectoryTransaction {
  let connection: PostgreSQLConnection
  private let pause: ApplyPause?
  /// Set by `moveToNewState`: the generation every write is stamped with.
  private var generation: Int64?
  /// Set by `moveToNewState`: the state token this write commits (what
  /// tells, after a COMMIT whose reply was lost, whether it committed).
  private(set) var newStateToken: String?
  /// Organizations' references by id, for reading accounts; nil when an
  /// organization changed since it was read.
  private var references: [Int64: String]?
  /// The next free ids, read on first use.
  private var nextAccountID: Int64?
  private var nextChangeID: Int64?
  private var changesRecorded = 0

  init(_ connection: PostgreSQLConnection, pause: ApplyPause?) {
    self.connection = connection
    self.pause = pause
  }

  /// Database failures as the store's errors: a constraint's refusal as
  /// `DuplicateKey`; anything else stays a `PostgreSQLFailure`
  /// (`PostgreSQLDirectory` words it when it leaves `read` or `write`).
  private func translating<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let failure as PostgreSQLFailure where failure.isConstraintViolation {
      throw DuplicateKey(message: failure.constraintMessage)
    }
  }

  private func stamp() -> Int64 {
    guard let generation else { preconditionFailure("a directory write before moveToNewState()") }
    return generation
  }

  func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
    try translating { try connection.execute(sql, parameters).rows }
  }

  // MARK: - Reading

  func state() throws -> DirectoryState { try translating { try Self.state(connection) } }

  static func state(_ connection: PostgreSQLConnection) throws(PostgreSQLFailure) -> DirectoryState {
    var info: [String: String] = [:]
    for row in try connection.execute(
      "SELECT key, value FROM directory_info WHERE key IN ('directory_id', 'generation', 'state_token')"
    ).rows {
      info[row[0] ?? ""] = row[1] ?? ""
    }
    return DirectoryState(
      directoryID: info["directory_id"] ?? "", generation: Int64(info["generation"] ?? "") ?? 0,
      token: info["state_token"] ?? "")
  }

  func generation(ofState token: String) throws -> Int64? {
    try query("SELECT generation FROM directory_state WHERE token = $1", [token]).first?[0].flatMap { Int64($0) }
  }

  func organizations() throws -> [Organization] { try translating { try Self.organizations(connection) } }

  static func organizations(_ connection: PostgreSQLConnection) throws(PostgreSQLFailure) -> [Organization] {
    try connection.execute("SELECT id, external_id, name, kind FROM organization ORDER BY id").rows.map {
      Organization(
        id: Int64($0[0] ?? "") ?? 0, externalID: $0[1], name: $0[2] ?? "",
        kind: OrganizationKind(rawValue: $0[3] ?? "") ?? .school)
    }
  }

  func account(id: Int64) throws -> StoredAccount? {
    if references == nil {
      references = Dictionary(uniqueKeysWithValues: try organizations().map { ($0.id, $0.reference) })
    }
    guard
      let row = try query(
        """
        SELECT first_name, middle_name, last_name, email, coalesce(custom_id, ''), organization_id, user_type,
               position, grade, status FROM account WHERE id = $1
        """, [String(id)]
      ).first
    else { return nil }
    let organizationID = Int64(row[5] ?? "") ?? 0
    let reference = references?[organizationID] ?? ""
    return StoredAccount(
      organizationID: organizationID,
      values: AccountValues(values: (0..<ExportColumn.count).map { $0 == 5 ? reference : row[$0] ?? "" }))
  }

  /// One statement for all of them (the verification of a saved plan
  /// reads thousands at a time).
  func accounts(ids: [Int64]) throws -> [Int64: StoredAccount] {
    guard !ids.isEmpty else { return [:] }
    if references == nil {
      references = Dictionary(uniqueKeysWithValues: try organizations().map { ($0.id, $0.reference) })
    }
    var found: [Int64: StoredAccount] = [:]
    found.reserveCapacity(ids.count)
    for row in try query(
      """
      SELECT first_name, middle_name, last_name, email, coalesce(custom_id, ''), organization_id, user_type,
             position, grade, status, id FROM account WHERE id = ANY($1::bigint[])
      """, ["{" + ids.map(String.init).joined(separator: ",") + "}"])
    {
      let organizationID = Int64(row[5] ?? "") ?? 0
      let reference = references?[organizationID] ?? ""
      found[Int64(row[10] ?? "") ?? 0] = StoredAccount(
        organizationID: organizationID,
        values: AccountValues(values: (0..<ExportColumn.count).map { $0 == 5 ? reference : row[$0] ?? "" }))
    }
    return found
  }

  func accountID(customID: String, otherThan: Int64) throws -> Int64? {
    try query("SELECT id FROM account WHERE custom_id = $1 AND id <> $2", [customID, String(otherThan)])
      .first?[0].flatMap { Int64($0) }
  }

  func accountID(email: String, otherThan: Int64) throws -> Int64? {
    let folded = PostgreSQLSchema.asciiLowercase("email")
    return try query(
      "SELECT id FROM account WHERE \(folded) = \(PostgreSQLSchema.asciiLowercase("$1")) AND id <> $2",
      [email, String(otherThan)]
    ).first?[0].flatMap { Int64($0) }
  }

  func records(changedAfter generation: Int64) throws -> ChangedRecords {
    var changed = ChangedRecords()
    for row in try query(
      "SELECT id, custom_id FROM account WHERE changed_generation > $1 ORDER BY id", [String(generation)])
    {
      changed.accounts.append(.init(id: Int64(row[0] ?? "") ?? 0, customID: row[1]))
    }
    for row in try query(
      "SELECT id, name FROM organization WHERE changed_generation > $1 ORDER BY id", [String(generation)])
    {
      changed.organizations.append(.init(id: Int64(row[0] ?? "") ?? 0, name: row[1] ?? ""))
    }
    return changed
  }

  func accountIDsWithGeneratedEmail() throws -> [Int64] {
    try query("SELECT id FROM account WHERE email_generated = 1 ORDER BY id").compactMap { $0[0].flatMap { Int64($0) } }
  }

  func isEmpty() throws -> Bool {
    try query("SELECT NOT EXISTS (SELECT 1 FROM account) AND NOT EXISTS (SELECT 1 FROM organization)")
      .first?[0] == "t"
  }

  /// The run table's columns, `source` last once "v7 sources" made it (a
  /// directory opened to read is not migrated).
  private func runColumns() throws -> String {
    let columns =
      "id, kind, started_at, finished_at, user_name, host, export_path, export_sha256, reverts_run, generation, counts"
    guard try query("SELECT to_regclass('account_source') IS NOT NULL").first?[0] == "t" else { return columns }
    return columns + ", source"
  }

  func runs() throws -> [RunRecord] {
    try query("SELECT \(try runColumns()) FROM run ORDER BY id DESC").map(Self.runRecord)
  }

  func run(id: Int64) throws -> RunRecord? {
    try query("SELECT \(try runColumns()) FROM run WHERE id = $1", [String(id)]).first.map(Self.runRecord)
  }

  static func runRecord(_ row: [String?]) -> RunRecord {
    let counts = (try? JSONSerialization.jsonObject(with: Data((row[10] ?? "").utf8)) as? [String: Int]) ?? [:]
    return RunRecord(
      id: Int64(row[0] ?? "") ?? 0, kind: RunRecord.Kind(rawValue: row[1] ?? "") ?? .apply, startedAt: row[2] ?? "",
      finishedAt: row[3] ?? "", user: row[4] ?? "", host: row[5] ?? "", exportPath: row[6], exportSHA256: row[7],
      revertsRun: row[8].flatMap { Int64($0) }, generation: Int64(row[9] ?? "") ?? 0, counts: counts,
      source: row.count > 11 ? row[11] : nil)
  }

  func changes(ofRun id: Int64) throws -> [RecordedChange] {
    try query(
      """
      SELECT action, account_id, organization_id, custom_id, line, before, after, outcome
      FROM change WHERE run_id = $1 ORDER BY id
      """, [String(id)]
    ).map { row in
      RecordedChange(
        action: row[0] ?? "", accountID: row[1].flatMap { Int64($0) }, organizationID: row[2].flatMap { Int64($0) },
        customID: row[3], line: row[4].flatMap { Int($0) }, before: FieldEncoding.decode(row[5]),
        after: FieldEncoding.decode(row[6]) ?? [], outcome: row[7])
    }
  }

  func settings() throws -> [String: String] {
    // A directory made before settings, opened to read (not migrated), has none.
    guard try query("SELECT to_regclass('setting') IS NOT NULL").first?[0] == "t" else { return [:] }
    var settings: [String: String] = [:]
    for row in try query("SELECT key, value FROM setting") { settings[row[0] ?? ""] = row[1] ?? "" }
    return settings
  }

  func protections() throws -> [ProtectionRecord] {
    // A directory made before protections, opened to read (not migrated), has none.
    guard try query("SELECT to_regclass('protection') IS NOT NULL").first?[0] == "t" else { return [] }
    return try query(
      "SELECT id, kind, target_id, reason, until, created_at, created_by FROM protection ORDER BY id"
    ).map { row in
      ProtectionRecord(
        id: Int64(row[0] ?? "") ?? 0, kind: ProtectionRecord.Kind(rawValue: row[1] ?? "") ?? .account,
        targetID: Int64(row[2] ?? "") ?? 0, reason: row[3] ?? "", until: row[4], createdAt: row[5] ?? "",
        createdBy: row[6] ?? "")
    }
  }

  func accountSources() throws -> [Int64: String] {
    // A directory made before sources, opened to read (not migrated), has none.
    guard try query("SELECT to_regclass('account_source') IS NOT NULL").first?[0] == "t" else { return [:] }
    var sources: [Int64: String] = [:]
    for row in try query("SELECT account_id, source FROM account_source") {
      if let id = row[0].flatMap({ Int64($0) }) { sources[id] = row[1] ?? "" }
    }
    return sources
  }

  func localFields() throws -> [Int64: [String]] {
    // A directory made before local fields, opened to read (not migrated), has none.
    guard try query("SELECT to_regclass('local_field') IS NOT NULL").first?[0] == "t" else { return [:] }
    var fields: [Int64: [String]] = [:]
    for row in try query("SELECT account_id, fields FROM local_field") {
      guard let account = Int64(row[0] ?? "") else { continue }
      fields[account] = (row[1] ?? "").split(separator: ",").map(String.init)
    }
    return fields
  }

  func pendingDisables() throws -> [PendingDisableRecord] { try translating { try Self.pendingDisables(connection) } }

  static func pendingDisables(_ connection: PostgreSQLConnection) throws(PostgreSQLFailure) -> [PendingDisableRecord] {
    // A directory made before grace, opened to read (not migrated), has none.
    guard try connection.execute("SELECT to_regclass('pending_disable') IS NOT NULL").rows.first?[0] == "t" else {
      return []
    }
    return try connection.execute("SELECT account_id, missing_since, run_id FROM pending_disable ORDER BY account_id")
      .rows.map { row in
        PendingDisableRecord(
          accountID: Int64(row[0] ?? "") ?? 0, missingSince: row[1] ?? "", runID: Int64(row[2] ?? "") ?? 0)
      }
  }

  // MARK: - Writing

  func moveToNewState() throws -> Int64 {
    let current = try query("SELECT value FROM directory_info WHERE key = 'generation'").first?[0]
    let next = (current.flatMap { Int64($0) } ?? 0) + 1
    let token = SQLiteDirectory.newStateToken()
    _ = try query("UPDATE directory_info SET value = $1 WHERE key = 'generation'", [String(next)])
    _ = try query(
      """
      INSERT INTO directory_info (key, value) VALUES ('state_token', $1)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value
      """, [token])
    _ = try query("INSERT INTO directory_state (token, generation) VALUES ($1, $2)", [token, String(next)])
    generation = next
    newStateToken = token
    return next
  }

  func insertOrganization(_ organization: Organization) throws -> Int64 {
    let generation = stamp()
    references = nil
    let id = try query(
      """
      INSERT INTO organization (id, external_id, name, kind, changed_generation)
      VALUES ((SELECT coalesce(max(id), 0) + 1 FROM organization), $1, $2, $3, $4) RETURNING id
      """, [organization.externalID, organization.name, organization.kind.rawValue, String(generation)]
    ).first?[0]
    return id.flatMap { Int64($0) } ?? 0
  }

  func setExternalID(_ externalID: String?, ofOrganization id: Int64) throws {
    let generation = stamp()
    references = nil
    _ = try query(
      "UPDATE organization SET external_id = $1, changed_generation = $2 WHERE id = $3",
      [externalID, String(generation), String(id)])
  }

  /// One COPY for all the accounts, with ids given here (the next after
  /// the largest), so they are known without reading them back.
  func insertAccounts(_ accounts: [StoredAccount]) throws -> [Int64] {
    let generation = String(stamp())
    guard !accounts.isEmpty else { return [] }
    let first = try nextID(&nextAccountID, table: "account")
    let ids = (0..<Int64(accounts.count)).map { first + $0 }
    nextAccountID = first + Int64(accounts.count)
    let rows = zip(ids, accounts).lazy.map { id, account in
      let values = account.values
      return CopyText.row([
        String(id), values[.customID].isEmpty ? nil : values[.customID], values[.firstName], values[.middleName],
        values[.lastName], values[.email], String(account.organizationID), values[.userType], values[.position],
        values[.grade], values[.status], generation,
      ])
    }
    try translating {
      try connection.copyIn(
        """
        COPY account (id, custom_id, first_name, middle_name, last_name, email, organization_id, user_type, position,
                      grade, status, changed_generation) FROM STDIN
        """, rows: rows)
    }
    return ids
  }

  private func nextID(_ cached: inout Int64?, table: String) throws -> Int64 {
    if let cached { return cached }
    let largest = try query("SELECT coalesce(max(id), 0) FROM \(table)").first?[0].flatMap { Int64($0) } ?? 0
    cached = largest + 1
    return largest + 1
  }

  func updateAccount(id: Int64, to account: StoredAccount) throws {
    let generation = stamp()
    let values = account.values
    _ = try query(
      """
      UPDATE account SET custom_id = $1, first_name = $2, middle_name = $3, last_name = $4, email = $5,
                         organization_id = $6, user_type = $7, position = $8, grade = $9, status = $10,
                         changed_generation = $11,
                         email_generated = CASE WHEN email = $5 THEN email_generated ELSE 0 END
      WHERE id = $12
      """,
      [
        values[.customID].isEmpty ? nil : values[.customID], values[.firstName], values[.middleName],
        values[.lastName], values[.email], String(account.organizationID), values[.userType], values[.position],
        values[.grade], values[.status], String(generation), String(id),
      ])
  }

  /// Many in one statement (`PostgreSQLBulkUpdate`); one by one when
  /// there are few, or when the database refused them together.
  func updateAccounts(_ updates: [AccountUpdate]) throws {
    let generation = stamp()
    if PostgreSQLBulkUpdate.fits(updates),
      try translating({ try PostgreSQLBulkUpdate.apply(updates, generation: generation, on: connection) })
    {
      return
    }
    for update in updates { try updateAccount(id: update.id, to: update.account) }
  }

  func markEmailsGenerated(accountIDs: [Int64]) throws {
    guard !accountIDs.isEmpty else { return }
    _ = try query(
      "UPDATE account SET email_generated = 1 WHERE id = ANY($1::bigint[])",
      ["{" + accountIDs.map(String.init).joined(separator: ",") + "}"])
  }

  func insertRun(_ run: RunRecord) throws -> Int64 {
    let id = try query(
      """
      INSERT INTO run (id, kind, started_at, finished_at, user_name, host, export_path, export_sha256, reverts_run,
                       generation, counts, source)
      VALUES ((SELECT coalesce(max(id), 0) + 1 FROM run), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
      """,
      [
        run.kind.rawValue, run.startedAt, run.finishedAt, run.user, run.host, run.exportPath, run.exportSHA256,
        run.revertsRun.map(String.init), String(run.generation), RunRecord.encodeCounts(run.counts), run.source,
      ]
    ).first?[0]
    return id.flatMap { Int64($0) } ?? 0
  }

  func finishRun(id: Int64, finishedAt: String, counts: [String: Int]) throws {
    _ = try query(
      "UPDATE run SET finished_at = $1, counts = $2 WHERE id = $3",
      [finishedAt, RunRecord.encodeCounts(counts), String(id)])
  }

  func addPendingDisables(_ records: [PendingDisableRecord]) throws {
    for record in records {
      _ = try query(
        "INSERT INTO pending_disable (account_id, missing_since, run_id) VALUES ($1, $2, $3) "
          + "ON CONFLICT (account_id) DO UPDATE SET missing_since = excluded.missing_since, run_id = excluded.run_id",
        [String(record.accountID), record.missingSince, String(record.runID)])
    }
  }

  func removePendingDisables(accountIDs: [Int64]) throws {
    for id in accountIDs { _ = try query("DELETE FROM pending_disable WHERE account_id = $1", [String(id)]) }
  }

  /// One COPY per call, as accounts are inserted.
  func setSetting(_ key: String, to value: String?) throws {
    if let value {
      _ = try query(
        "INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value])
    } else {
      _ = try query("DELETE FROM setting WHERE key = $1", [key])
    }
  }

  func setAccountSource(_ source: String?, ofAccount id: Int64) throws {
    if let source {
      _ = try query(
        """
        INSERT INTO account_source (account_id, source) VALUES ($1, $2)
        ON CONFLICT (account_id) DO UPDATE SET source = excluded.source
        """, [String(id), source])
    } else {
      _ = try query("DELETE FROM account_source WHERE account_id = $1", [String(id)])
    }
  }

  func setProtection(_ kind: ProtectionRecord.Kind, target: Int64, to protection: ProtectionRecord?) throws {
    _ = try query("DELETE FROM protection WHERE kind = $1 AND target_id = $2", [kind.rawValue, String(target)])
    guard let protection else { return }
    // Writers hold the directory's lock: the next id is ours.
    _ = try query(
      """
      INSERT INTO protection (id, kind, target_id, reason, until, created_at, created_by)
      SELECT COALESCE(MAX(id), 0) + 1, $1::text, $2::bigint, $3::text, $4::text, $5::text, $6::text FROM protection
      """,
      [
        kind.rawValue, String(target), protection.reason, protection.until, protection.createdAt,
        protection.createdBy,
      ])
  }

  func setLocalFields(_ fields: [String], ofAccount account: Int64) throws {
    _ = try query("DELETE FROM local_field WHERE account_id = $1", [String(account)])
    guard !fields.isEmpty else { return }
    _ = try query(
      "INSERT INTO local_field (account_id, fields) VALUES ($1::bigint, $2::text)",
      [String(account), fields.joined(separator: ",")])
  }

  func recordChanges(_ changes: [RecordedChange], run id: Int64) throws {
    if !changes.isEmpty {
      let first = try nextID(&nextChangeID, table: "change")
      nextChangeID = first + Int64(changes.count)
      let runID = String(id)
      let rows = changes.enumerated().lazy.map { index, change in
        CopyText.row([
          String(first + Int64(index)), runID, change.action, change.accountID.map(String.init),
          change.organizationID.map(String.init), change.customID, change.line.map(String.init),
          change.before.map(FieldEncoding.encode), FieldEncoding.encode(change.after), change.outcome,
        ])
      }
      try translating {
        try connection.copyIn(
          """
          COPY change (id, run_id, action, account_id, organization_id, custom_id, line, before, after, outcome)
          FROM STDIN
          """, rows: rows)
      }
    }
    let before = changesRecorded
    changesRecorded += changes.count
    if let pause, before < pause.afterChanges, changesRecorded >= pause.afterChanges { pause.wait() }
  }
}
