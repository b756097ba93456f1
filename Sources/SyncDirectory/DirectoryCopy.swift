import SyncModel

/// `directory copy`: moves a whole directory, identity and all, into a new
/// store (a file to a server and back, or file to file), table by table in
/// batches, so a directory of millions of rows never sits in memory. The
/// source is read in one consistent read; the target is written in one
/// transaction, checked before it commits: every table's row count and
/// the digest of its rows in key order, read back from the target through
/// the store protocol, must equal the source's. A mismatch rolls the whole
/// copy back.
public enum DirectoryCopy {
  /// One table as checked: its rows and their digest, the same on both sides.
  public struct TableCheck: Sendable, Equatable {
    public let table: String
    public let rows: Int
    /// SHA-256 of every row in key order (`TableDigest`), lowercase hex.
    public let digest: String
  }

  /// What was copied: the directory's state (its identity and generation,
  /// now the target's too) and each table's check.
  public struct Copied: Sendable {
    public let state: DirectoryState
    public let tables: [TableCheck]
  }

  /// A test's way to spoil a row on its way to the target (the check must
  /// then refuse the copy).
  package typealias RowAlteration = (DirectoryTable, inout CopiedRow) -> Void

  /// Copies `source` into `target`, which must be new or empty (never
  /// overwritten: `DirectoryError`), then checks it table by table.
  public static func copy(
    from source: any DirectoryStore, to target: any DirectoryStore, batchSize: Int = 10_000
  ) throws -> Copied {
    try copy(from: source, to: target, batchSize: batchSize, alteringRows: nil)
  }

  package static func copy(
    from source: any DirectoryStore, to target: any DirectoryStore, batchSize: Int, alteringRows: RowAlteration?
  ) throws -> Copied {
    try source.read { reading in
      let state = try reading.state()
      return try target.write { transaction in
        try refuseUnlessEmpty(transaction, location: target.location)
        var written: [TableCheck] = []
        for table in DirectoryTable.all {
          if DirectoryTable.identityTables.contains(table.name) { try transaction.removeRowsBeforeCopy(of: table) }
          written.append(
            try forEachBatch(of: table, in: reading, location: source.location, batchSize: batchSize) { rows in
              var rows = rows
              if let alteringRows { for index in rows.indices { alteringRows(table, &rows[index]) } }
              try transaction.insertCopiedRows(rows, into: table)
            })
        }
        for (table, source) in zip(DirectoryTable.all, written) {
          let copied = try forEachBatch(of: table, in: transaction, location: target.location, batchSize: batchSize) {
            _ in
          }
          guard copied == source else {
            throw DirectoryError(
              path: target.location,
              reason: "the copy of the table \(table.name) does not match the source (source: \(source.rows) rows, "
                + "digest \(source.digest.prefix(16)); copy: \(copied.rows) rows, digest \(copied.digest.prefix(16)))"
                + "; nothing was written")
          }
        }
        return Copied(state: state, tables: written)
      }
    }
  }

  /// Reads `table` in key order, `batchSize` rows at a time, handing each
  /// batch to `body`; returns the count and digest of all its rows.
  private static func forEachBatch(
    of table: DirectoryTable, in reading: any DirectoryReading, location: String, batchSize: Int,
    _ body: ([CopiedRow]) throws -> Void
  ) throws -> TableCheck {
    var digest = TableDigest()
    var after: String?
    while true {
      let rows: [CopiedRow]
      do { rows = try reading.copyRows(of: table, after: after, limit: batchSize) } catch let error as DirectoryError {
        throw error
      } catch {
        throw DirectoryError(path: location, reason: "cannot read the table \(table.name): \(error)")
      }
      for row in rows { digest.add(row) }
      if !rows.isEmpty { try body(rows) }
      guard rows.count == batchSize, let last = rows.last?.first ?? nil else { break }
      after = last
    }
    return TableCheck(table: table.name, rows: digest.rows, digest: digest.hexDigest())
  }

  /// A directory that was ever written to, or holds anything besides its
  /// identity, is never copied over.
  private static func refuseUnlessEmpty(_ transaction: any DirectoryTransaction, location: String) throws {
    let generation = try transaction.state().generation
    let filled = try DirectoryTable.all.filter { table in
      guard !DirectoryTable.identityTables.contains(table.name) else { return false }
      return !(try transaction.copyRows(of: table, after: nil, limit: 1)).isEmpty
    }
    guard generation == 0 && filled.isEmpty else {
      let holds = filled.isEmpty ? "" : " and holds \(filled.map(\.name).joined(separator: ", ")) rows"
      throw DirectoryError(
        path: location,
        reason: "not empty (generation \(generation)\(holds)); a copy never overwrites a directory: "
          + "copy to a new file or directory name; nothing was changed")
    }
  }
}

/// The digest of a table's rows in key order: each value as a marker (NULL
/// or not), its length and its UTF-8 bytes, so no two different rows or
/// row sequences feed the same bytes.
struct TableDigest {
  private var hasher = RunningSHA256()
  private(set) var rows = 0

  mutating func add(_ row: CopiedRow) {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt32(row.count).littleEndian) { bytes += $0 }
    for value in row {
      guard let value else {
        bytes.append(0)
        continue
      }
      bytes.append(1)
      withUnsafeBytes(of: UInt64(value.utf8.count).littleEndian) { bytes += $0 }
      bytes += value.utf8
    }
    hasher.update(bytes)
    rows += 1
  }

  func hexDigest() -> String { hasher.hexDigest() }
}
