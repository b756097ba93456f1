import SyncDirectory

/// Held runs kept for a person (`pending_run`) in the directory's schema.
extension PostgreSQLTransaction {
  func pendingRuns() throws -> [PendingRunRecord] {
    // A directory made before pending runs, opened to read (not migrated), has none.
    guard try query("SELECT to_regclass('pending_run') IS NOT NULL").first?[0] == "t" else { return [] }
    let columns = PendingRunRecord.recordColumns.joined(separator: ", ")
    return try query("SELECT id, \(columns) FROM pending_run ORDER BY id DESC").map { row in
      PendingRunRecord(id: Int64(row[0] ?? "") ?? 0, values: Array(row.dropFirst()))
    }
  }

  func pendingRunContent(id: Int64) throws -> PendingRunContent? {
    guard try query("SELECT to_regclass('pending_run') IS NOT NULL").first?[0] == "t" else { return nil }
    let columns = PendingRunContent.columns.joined(separator: ", ")
    guard let row = try query("SELECT \(columns) FROM pending_run WHERE id = $1::bigint", [String(id)]).first else {
      return nil
    }
    guard let content = PendingRunContent(values: row) else { throw DamagedPendingRun(id: id) }
    return content
  }

  func insertPendingRun(_ record: PendingRunRecord, content: PendingRunContent) throws -> Int64 {
    // The next id after the largest, as SQLite gives it: a write holds the lock.
    let id = Int64(try query("SELECT COALESCE(MAX(id), 0) + 1 FROM pending_run").first?[0] ?? "") ?? 1
    let names = ["id"] + PendingRunRecord.recordColumns + PendingRunContent.columns
    let parameters = names.enumerated().map { index, name in "$\(index + 1)::" + Self.pendingRunType(name) }
    _ = try query(
      "INSERT INTO pending_run (\(names.joined(separator: ", "))) VALUES (\(parameters.joined(separator: ", ")))",
      [String(id)] + record.columnValues + content.columnValues)
    return id
  }

  func updatePendingRun(_ record: PendingRunRecord) throws {
    let assignments = PendingRunRecord.recordColumns.enumerated().map { index, name in
      "\(name) = $\(index + 1)::" + Self.pendingRunType(name)
    }
    _ = try query(
      "UPDATE pending_run SET \(assignments.joined(separator: ", ")) WHERE id = $\(assignments.count + 1)::bigint",
      record.columnValues + [String(record.id)])
  }

  /// A column's type in `pending_run`, to cast its text parameter to.
  private static func pendingRunType(_ column: String) -> String {
    DirectoryTable.pendingRun.columns.first { $0.name == column }?.isInteger == true ? "bigint" : "text"
  }
}
