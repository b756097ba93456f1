import ExportReading
import Foundation
import GRDB
import SyncModel

/// A pause inside the apply transaction, for crash and concurrency tests:
/// after `afterChanges` changes are written, `marker` is created and the
/// process sleeps, so a test can kill it mid-transaction or start a second
/// apply. Set by SIS_SYNC_TEST_PAUSE_AFTER, SIS_SYNC_TEST_PAUSE_MARKER and
/// SIS_SYNC_TEST_PAUSE_SECONDS (default 60); never set in use.
public struct ApplyPause: Sendable {
  public var afterChanges: Int
  public var marker: String
  public var seconds: Double

  public init(afterChanges: Int, marker: String, seconds: Double = 60) {
    self.afterChanges = afterChanges
    self.marker = marker
    self.seconds = seconds
  }

  public static var fromEnvironment: ApplyPause? {
    let environment = ProcessInfo.processInfo.environment
    guard let count = environment["SIS_SYNC_TEST_PAUSE_AFTER"].flatMap(Int.init),
      let marker = environment["SIS_SYNC_TEST_PAUSE_MARKER"]
    else { return nil }
    let seconds = environment["SIS_SYNC_TEST_PAUSE_SECONDS"].flatMap(Double.init) ?? 60
    return ApplyPause(afterChanges: count, marker: marker, seconds: seconds)
  }
}

extension SQLiteDirectory {
  /// Applies a plan in one transaction: all of it or nothing. Refuses a
  /// held plan, a plan for another directory, and a stale plan (naming the
  /// records that changed since), and waits at most `wait` seconds for
  /// another apply to finish.
  public func apply(_ plan: Plan, wait: TimeInterval = 0, pause: ApplyPause? = nil) throws -> ApplyOutcome {
    if plan.isHeld { throw ApplyRefusal.held(plan.holds) }
    try checkStillTheOpenedFile()
    guard let lock = try DirectoryLock.acquire(directoryPath: path, wait: wait) else {
      throw ApplyRefusal.locked(DirectoryLock.holder(directoryPath: path))
    }
    defer { withExtendedLifetime(lock) {} }
    var outcome: ApplyOutcome = .nothingToApply
    do {
      try queue.inTransaction(.immediate) { db in
        try Self.checkFreshness(db, plan: plan)
        guard plan.hasChanges else { return .rollback }
        var checked = plan
        checked.changes = try PlanVerification.verify(plan, db: db)
        outcome = .applied(try Self.write(checked, db: db, pause: pause))
        return .commit
      }
    } catch let refusal as ApplyRefusal {
      throw refusal
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
      // Rolled back: say which change took a key another account has.
      let problems = (try? queue.read { db in PlanVerification.explainConstraintFailure(plan, db: db) }) ?? []
      throw ApplyRefusal.doesNotFit(
        problems.isEmpty ? ["the directory refused a change: \(error.message ?? "constraint failed")"] : problems)
    } catch {
      let reason = Self.describe(error)
      throw DirectoryError(
        path: path, reason: reason.hasSuffix("nothing was changed") ? reason : reason + "; nothing was changed")
    }
    return outcome
  }

  /// Refuses a plan made for another directory or another state of it.
  /// When the plan's state is one this directory has been in, the records
  /// stamped with a newer generation are exactly what changed since; when
  /// it never was (a restored backup, a file copied back), nothing can be
  /// listed and the message says so.
  static func checkFreshness(_ db: Database, plan: Plan) throws {
    let state = try state(db)
    guard state.directoryID == plan.directoryID else {
      throw ApplyRefusal.otherDirectory(expected: plan.directoryID, found: state.directoryID)
    }
    guard state.token != plan.directoryToken else { return }
    guard
      let since = try Int64.fetchOne(
        db, sql: "SELECT generation FROM directory_state WHERE token = ?", arguments: [plan.directoryToken])
    else { throw ApplyRefusal.replacedOrRestored }
    var changed: [String] = []
    for row in try Row.fetchAll(
      db, sql: "SELECT id, custom_id FROM account WHERE changed_generation > ? ORDER BY id", arguments: [since])
    {
      let customID: String? = row["custom_id"]
      changed.append("account #\(row["id"] as Int64) (custom_id \(customID ?? "none"))")
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT id, name FROM organization WHERE changed_generation > ? ORDER BY id", arguments: [since])
    {
      changed.append("organization #\(row["id"] as Int64) (\(row["name"] as String))")
    }
    if changed.isEmpty { changed.append("directory generation \(since) → \(state.generation)") }
    throw ApplyRefusal.stale(changes: changed)
  }

  private static func write(_ plan: Plan, db: Database, pause: ApplyPause?) throws -> RunRecord {
    let generation = try nextGeneration(db)
    let startedAt = RunClock.now()
    try db.execute(
      sql: """
        INSERT INTO run (kind, started_at, finished_at, user_name, host, export_path, export_sha256, generation, counts)
        VALUES ('apply', ?, ?, ?, ?, ?, ?, ?, '{}')
        """,
      arguments: [
        startedAt, startedAt, RunClock.user, RunClock.host, plan.exportName, plan.exportSHA256, generation,
      ])
    let runID = db.lastInsertedRowID
    let insertChange = try RawStatement(
      db,
      "INSERT INTO change (run_id, action, account_id, organization_id, custom_id, line, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    var counts: [String: Int] = [:]
    for change in plan.organizationChanges {
      try db.execute(
        sql: "UPDATE organization SET external_id = ?, changed_generation = ? WHERE id = ?",
        arguments: [change.after, generation, change.organizationID])
      insertChange.bind(1, runID)
      insertChange.bind(2, "set_organization_external_id")
      insertChange.bind(3, nil as Int64?)
      insertChange.bind(4, change.organizationID)
      insertChange.bind(5, nil as String?)
      insertChange.bind(6, nil as Int64?)
      insertChange.bind(7, change.before)
      insertChange.bind(8, change.after)
      try insertChange.run(db)
      counts["set_organization_external_id", default: 0] += 1
    }
    let updateAccount = try RawStatement(
      db,
      """
      UPDATE account SET custom_id = ?, first_name = ?, middle_name = ?, last_name = ?, email = ?,
                         organization_id = ?, user_type = ?, position = ?, grade = ?, status = ?,
                         changed_generation = ?
      WHERE id = ?
      """)
    // Creates go in batches: one multi-row INSERT per 64 accounts (and one
    // for their change records) costs far less than a statement per row.
    var creates = CreateBatcher(db: db, runID: runID, generation: generation)
    for (index, change) in plan.changes.enumerated() {
      if change.action == .create {
        try creates.add(change)
      } else {
        try creates.flush()
        bindAccount(updateAccount, values: change.after, organizationID: change.organizationID, generation: generation)
        updateAccount.bind(12, change.accountID ?? 0)
        try updateAccount.run(db)
        bindChange(insertChange, runID: runID, change: change, accountID: change.accountID ?? 0, offset: 0)
        try insertChange.run(db)
      }
      counts[change.action.rawValue, default: 0] += 1
      if let pause, index + 1 == pause.afterChanges {
        try creates.flush()
        _ = FileManager.default.createFile(atPath: pause.marker, contents: Data())
        Thread.sleep(forTimeInterval: pause.seconds)
      }
    }
    try creates.flush()
    let finishedAt = RunClock.now()
    try db.execute(
      sql: "UPDATE run SET finished_at = ?, counts = ? WHERE id = ?",
      arguments: [finishedAt, encodeCounts(counts), runID])
    return RunRecord(
      id: runID, kind: .apply, startedAt: startedAt, finishedAt: finishedAt, user: RunClock.user,
      host: RunClock.host, exportPath: plan.exportName, exportSHA256: plan.exportSHA256, revertsRun: nil,
      generation: generation, counts: counts)
  }

  /// Binds one change record's eight columns starting after `offset`.
  static func bindChange(
    _ statement: RawStatement, runID: Int64, change: PlannedChange, accountID: Int64, offset: Int32
  ) {
    statement.bind(offset + 1, runID)
    statement.bind(offset + 2, change.action.rawValue)
    statement.bind(offset + 3, accountID)
    statement.bind(offset + 4, change.organizationID)
    statement.bind(offset + 5, change.customID)
    statement.bind(offset + 6, change.line.map(Int64.init))
    statement.bind(offset + 7, change.before.map { FieldEncoding.encode($0.values) })
    statement.bind(offset + 8, FieldEncoding.encode(change.after.values))
  }

  /// Binds the ten account columns of the insert and update statements
  /// (same order in both), an empty custom_id as NULL (unmanaged).
  static func bindAccount(
    _ statement: RawStatement, values: AccountValues, organizationID: Int64, generation: Int64, offset: Int32 = 0
  ) {
    statement.bind(offset + 1, values[.customID].isEmpty ? nil : values[.customID])
    statement.bind(offset + 2, values[.firstName])
    statement.bind(offset + 3, values[.middleName])
    statement.bind(offset + 4, values[.lastName])
    statement.bind(offset + 5, values[.email])
    statement.bind(offset + 6, organizationID)
    statement.bind(offset + 7, values[.userType])
    statement.bind(offset + 8, values[.position])
    statement.bind(offset + 9, values[.grade])
    statement.bind(offset + 10, values[.status])
    statement.bind(offset + 11, generation)
  }

  static func encodeCounts(_ counts: [String: Int]) -> String {
    var json = JSONWriter()
    json.beginObject()
    for (key, value) in counts.sorted(by: { $0.key < $1.key }) { json.field(key, value) }
    json.endObject()
    return json.output
  }
}

/// Collects creates and writes them with multi-row INSERTs. SQLite gives
/// the rows of one INSERT consecutive ids (each the largest so far plus
/// one, the transaction holding the write lock), so the accounts' ids are
/// known for their change records.
private struct CreateBatcher {
  static let size = 64
  let db: Database
  let runID: Int64
  let generation: Int64
  private var pending: [PlannedChange] = []
  private var statements: [Int: (accounts: RawStatement, changes: RawStatement)] = [:]

  init(db: Database, runID: Int64, generation: Int64) {
    self.db = db
    self.runID = runID
    self.generation = generation
    pending.reserveCapacity(Self.size)
  }

  mutating func add(_ change: PlannedChange) throws {
    pending.append(change)
    if pending.count == Self.size { try flush() }
  }

  mutating func flush() throws {
    guard !pending.isEmpty else { return }
    let (accounts, changes) = try statements(for: pending.count)
    for (index, change) in pending.enumerated() {
      SQLiteDirectory.bindAccount(
        accounts, values: change.after, organizationID: change.organizationID, generation: generation,
        offset: Int32(index * 11))
    }
    try accounts.run(db)
    let firstID = db.lastInsertedRowID - Int64(pending.count - 1)
    for (index, change) in pending.enumerated() {
      SQLiteDirectory.bindChange(
        changes, runID: runID, change: change, accountID: firstID + Int64(index), offset: Int32(index * 8))
    }
    try changes.run(db)
    pending.removeAll(keepingCapacity: true)
  }

  private mutating func statements(for count: Int) throws -> (accounts: RawStatement, changes: RawStatement) {
    if let cached = statements[count] { return cached }
    let accountRow = "(" + Array(repeating: "?", count: 11).joined(separator: ", ") + ")"
    let changeRow = "(" + Array(repeating: "?", count: 8).joined(separator: ", ") + ")"
    let made = (
      accounts: try RawStatement(
        db,
        """
        INSERT INTO account (custom_id, first_name, middle_name, last_name, email, organization_id, user_type,
                             position, grade, status, changed_generation)
        VALUES \(Array(repeating: accountRow, count: count).joined(separator: ", "))
        """),
      changes: try RawStatement(
        db,
        "INSERT INTO change (run_id, action, account_id, organization_id, custom_id, line, before, after) VALUES "
          + Array(repeating: changeRow, count: count).joined(separator: ", "))
    )
    statements[count] = made
    return made
  }
}
