import SyncDirectory

/// `directory copy` on the server: tables read in key order (text keys by
/// their bytes, the "C" collation, as SQLite orders them) and written with
/// one COPY per batch.
extension PostgreSQLTransaction {
  func copyRows(of table: DirectoryTable, after key: String?, limit: Int) throws -> [CopiedRow] {
    // A directory made before a table's migration, opened to read, has no rows of it.
    guard try connection.execute("SELECT to_regclass($1) IS NOT NULL", [table.name]).rows.first?[0] == "t" else {
      return []
    }
    let order = table.key.isInteger ? table.key.name : "\(table.key.name) COLLATE \"C\""
    var parameters: [String?] = []
    var condition = ""
    if let key {
      parameters.append(key)
      condition = table.key.isInteger ? "WHERE \(order) > $1::bigint" : "WHERE \(order) > $1"
    }
    parameters.append(String(limit))
    // A column a later migration added (run.source) reads as NULL there.
    let present = Set(
      try connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
        [table.name]
      ).rows.compactMap { $0[0] })
    let columns = table.columns.map { present.contains($0.name) ? $0.name : "NULL" }.joined(separator: ", ")
    return try connection.execute(
      "SELECT \(columns) FROM \(table.name) \(condition) ORDER BY \(order) LIMIT $\(parameters.count)",
      parameters
    ).rows
  }

  func insertCopiedRows(_ rows: [CopiedRow], into table: DirectoryTable) throws {
    guard !rows.isEmpty else { return }
    try connection.copyIn("COPY \(table.name) (\(table.columnList)) FROM STDIN", rows: rows.lazy.map(CopyText.row))
  }

  func removeRowsBeforeCopy(of table: DirectoryTable) throws {
    try connection.execute("DELETE FROM \(table.name)")
  }
}
