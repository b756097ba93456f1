import GRDB

/// `directory copy` on the SQLite file: tables read in key order (text
/// keys by their bytes, SQLite's BINARY collation) and written row by row
/// through one prepared statement per table.
extension SQLiteTransaction {
  func copyRows(of table: DirectoryTable, after key: String?, limit: Int) throws -> [CopiedRow] {
    // A directory made before a table's migration, opened to read, has no rows of it.
    guard try db.tableExists(table.name) else { return [] }
    let condition = key == nil ? "" : "WHERE \(table.key.name) > ?"
    // A column a later migration added (run.source) reads as NULL there.
    let present = Set(try db.columns(in: table.name).map(\.name))
    let columns = table.columns.map { present.contains($0.name) ? $0.name : "NULL" }.joined(separator: ", ")
    let sql = "SELECT \(columns) FROM \(table.name) \(condition) ORDER BY \(table.key.name) LIMIT ?"
    var arguments: [DatabaseValueConvertible?] = []
    if let key { arguments.append(try Self.bindable(key, column: table.key, table: table)) }
    arguments.append(limit)
    return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
      (0..<table.columns.count).map { Self.text(row[$0] as DatabaseValue) }
    }
  }

  func insertCopiedRows(_ rows: [CopiedRow], into table: DirectoryTable) throws {
    let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
    let insert = try db.cachedStatement(
      sql: "INSERT INTO \(table.name) (\(table.columnList)) VALUES (\(placeholders))")
    for row in rows {
      let values = try zip(table.columns, row).map { column, value in
        try value.map { try Self.bindable($0, column: column, table: table) }
      }
      try insert.execute(arguments: StatementArguments(values))
    }
  }

  func removeRowsBeforeCopy(of table: DirectoryTable) throws {
    try db.execute(sql: "DELETE FROM \(table.name)")
  }

  /// A copied value as SQLite stores it: an integer column's as an integer.
  private static func bindable(_ value: String, column: DirectoryTable.Column, table: DirectoryTable) throws
    -> DatabaseValueConvertible
  {
    guard column.isInteger else { return value }
    guard let integer = Int64(value) else {
      throw DirectoryError(
        path: table.name, reason: "the copied value '\(value)' of \(table.name).\(column.name) is not an integer")
    }
    return integer
  }

  /// A stored value as the copy carries it (integers in decimal).
  static func text(_ value: DatabaseValue) -> String? {
    switch value.storage {
    case .null: nil
    case .int64(let integer): String(integer)
    case .double(let double): String(double)
    case .string(let string): string
    case .blob(let data): String(decoding: data, as: UTF8.self)
    }
  }
}
