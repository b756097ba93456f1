import GRDB

/// Held runs kept for a person (`pending_run`) in the SQLite file.
extension SQLiteTransaction {
  func pendingRuns() throws -> [PendingRunRecord] {
    try translating {
      // A directory made before pending runs, opened to read (not migrated), has none.
      guard try db.tableExists("pending_run") else { return [] }
      let columns = PendingRunRecord.recordColumns.joined(separator: ", ")
      return try Row.fetchAll(db, sql: "SELECT id, \(columns) FROM pending_run ORDER BY id DESC").map { row in
        PendingRunRecord(
          id: row[0], values: (1...PendingRunRecord.recordColumns.count).map { Self.text(row[$0] as DatabaseValue) })
      }
    }
  }

  func pendingRunContent(id: Int64) throws -> PendingRunContent? {
    try translating {
      guard try db.tableExists("pending_run") else { return nil }
      let columns = PendingRunContent.columns.joined(separator: ", ")
      guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM pending_run WHERE id = ?", arguments: [id])
      else { return nil }
      let values = (0..<PendingRunContent.columns.count).map { row[$0] as String? }
      guard let content = PendingRunContent(values: values) else {
        throw DamagedPendingRun(id: id)
      }
      return content
    }
  }

  func insertPendingRun(_ record: PendingRunRecord, content: PendingRunContent) throws -> Int64 {
    try translating {
      let names = PendingRunRecord.recordColumns + PendingRunContent.columns
      let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
      try db.execute(
        sql: "INSERT INTO pending_run (\(names.joined(separator: ", "))) VALUES (\(placeholders))",
        arguments: StatementArguments(record.columnValues + content.columnValues))
      return db.lastInsertedRowID
    }
  }

  func updatePendingRun(_ record: PendingRunRecord) throws {
    try translating {
      let assignments = PendingRunRecord.recordColumns.map { "\($0) = ?" }.joined(separator: ", ")
      try db.execute(
        sql: "UPDATE pending_run SET \(assignments) WHERE id = ?",
        arguments: StatementArguments(record.columnValues + [String(record.id)]))
    }
  }
}
