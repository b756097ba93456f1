import GRDB

/// An import fills an empty directory with up to millions of accounts. A
/// unique index kept up to date row by row takes the rows in the file's
/// (random) email order, so once it outgrows the page cache every insert
/// reads and spills index pages and the cost per account grows with the
/// directory. Built once after the rows are in, the index is made from
/// sorted keys instead: the cost per account stays flat.
extension SQLiteTransaction {
  /// The folded-email index as the schema makes it (migration v1): built
  /// again from this text, it is the same index, with the same uniqueness.
  static let accountEmailIndexSQL = "CREATE UNIQUE INDEX account_email ON account (email COLLATE NOCASE)"

  /// Runs `body` without the email index and builds it after, in the same
  /// transaction: a duplicate email is refused all the same (`DuplicateKey`
  /// when the index is built), and a failure rolls the index back too.
  /// (custom_id's unique index is part of the table's definition and stays;
  /// the import's own validation has refused duplicates before, naming the
  /// file, line and column.)
  func bulkLoadingAccounts<T>(_ body: () throws -> T) throws -> T {
    try translating { try db.execute(sql: "DROP INDEX account_email") }
    let result = try body()
    try translating { try db.execute(sql: Self.accountEmailIndexSQL) }
    return result
  }
}
