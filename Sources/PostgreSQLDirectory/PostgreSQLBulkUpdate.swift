import SyncDirectory
import SyncModel

/// Many account updates in a handful of statements, inside the write
/// transaction: the new values go by COPY into a temporary table, then one
/// `UPDATE … FROM` writes them all. One UPDATE statement per account costs
/// a round trip and a parse each, minutes for 100,000 accounts.
///
/// One statement checks the unique keys row by row in whatever order it
/// visits the rows, so it can refuse a batch that the same updates one by
/// one, in their order, would accept (an account giving up an email that a
/// later one takes). So the batch runs under a savepoint, and when the
/// database refuses it, it is undone and the caller updates one by one:
/// the outcome, and the `DuplicateKey` when there is one, are exactly
/// those of the loop.
enum PostgreSQLBulkUpdate {
  /// Fewer updates than this go one by one: the temporary table and the
  /// savepoint cost more than a few statements.
  static let minimumBatch = 16

  private static let table = "sis_sync_account_update"

  /// Whether `apply` can take these: enough of them, each account once (a
  /// second update of one account in one statement would be ambiguous).
  static func fits(_ updates: [AccountUpdate]) -> Bool {
    updates.count >= minimumBatch && Set(updates.map(\.id)).count == updates.count
  }

  /// Writes the updates stamped with `generation`; false when the
  /// database refused them (a constraint), with nothing written.
  static func apply(
    _ updates: [AccountUpdate], generation: Int64, on connection: PostgreSQLConnection
  ) throws(PostgreSQLFailure) -> Bool {
    try prepareTable(on: connection)
    try connection.execute("SAVEPOINT sis_sync_bulk_update")
    do {
      let rows = updates.lazy.map { update in
        let values = update.account.values
        return CopyText.row([
          String(update.id), values[.customID].isEmpty ? nil : values[.customID], values[.firstName],
          values[.middleName], values[.lastName], values[.email], String(update.account.organizationID),
          values[.userType], values[.position], values[.grade], values[.status],
        ])
      }
      try connection.copyIn(
        """
        COPY \(table) (id, custom_id, first_name, middle_name, last_name, email, organization_id, user_type,
                       position, grade, status) FROM STDIN
        """, rows: rows)
      // A changed email loses its generated mark, as in updateAccount.
      try connection.execute(
        """
        UPDATE account AS a
        SET custom_id = u.custom_id, first_name = u.first_name, middle_name = u.middle_name,
            last_name = u.last_name, email = u.email, organization_id = u.organization_id,
            user_type = u.user_type, position = u.position, grade = u.grade, status = u.status,
            changed_generation = $1,
            email_generated = CASE WHEN a.email = u.email THEN a.email_generated ELSE 0 END
        FROM \(table) AS u WHERE a.id = u.id
        """, [String(generation)])
      try connection.execute("RELEASE SAVEPOINT sis_sync_bulk_update")
      try connection.execute("TRUNCATE \(table)")
      return true
    } catch let failure where failure.isConstraintViolation {
      try connection.execute("ROLLBACK TO SAVEPOINT sis_sync_bulk_update")
      try connection.execute("RELEASE SAVEPOINT sis_sync_bulk_update")
      return false
    }
  }

  /// The temporary table, made once per transaction (dropped at its end),
  /// outside the savepoint so a refused batch does not take it away.
  private static func prepareTable(on connection: PostgreSQLConnection) throws(PostgreSQLFailure) {
    guard try connection.execute("SELECT to_regclass('pg_temp.\(table)') IS NULL").value == "t" else { return }
    try connection.execute(
      """
      CREATE TEMPORARY TABLE \(table) (
        id bigint, custom_id text, first_name text, middle_name text, last_name text, email text,
        organization_id bigint, user_type text, position text, grade text, status text
      ) ON COMMIT DROP
      """)
  }
}
