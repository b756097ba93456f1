import Foundation
import GRDB
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// Reading the accounts straight from the database file's pages, where the
/// file alone holds the state a read transaction sees: less than half the
/// instructions of reading them through SQLite's virtual machine and its
/// `sqlite3_column_*` calls, which were two thirds of a first plan's read
/// (Benchmarks/README.md, round thirteen).
///
/// Why the file then holds still: a read transaction of SQLite's own stays
/// open throughout. In rollback-journal mode no writer changes the file
/// while a reader holds its shared lock. In WAL mode a reader that began
/// with an empty write-ahead log reads the file only, and SQLite copies no
/// commit into the file until that reader is done; a log still holding
/// commits (even ones already copied) leaves the read to SQLite.
extension SQLiteDirectory {
  /// The accounts, read from the file's pages on two cores from both ends
  /// once there are `splittingFrom` leaf pages; nil when they cannot be
  /// read so here, for the caller to read them through SQLite, which also
  /// reports a damaged file in its own words.
  func readAccountPages(
    reservingRows: Int, references: OrganizationReferences, splittingFrom splitLeafCount: Int = 256,
    coreFreed: @Sendable () -> Void = {}
  ) -> AccountPart? {
    let path = path
    do {
      let part = try scanConnection().read { db -> AccountPart? in
        // The first read begins the transaction that holds the file still.
        let generation = Int64(try Self.info(db, "generation")) ?? 0
        guard let layout = try AccountTableLayout(db), let file = try SQLiteFileImage(path: path),
          Self.fileHoldsEveryCommit(file, path: path)
        else { return nil }
        let tree = TableBTree(file: file, root: layout.rootPage)
        let leaves = try PhaseTimer.measure("finding the account pages") { try tree.leafPages() }
        let read = { @Sendable (label: String, claim: () -> ClosedRange<Int64>?) in
          try Self.readLeaves(
            leaves, of: tree, layout: layout, reservingRows: reservingRows, generation: generation,
            references: references, label: label, blocks: claim)
        }
        guard leaves.count >= splitLeafCount else {
          coreFreed()
          var whole = [0...Int64(leaves.count) - 1].makeIterator()
          return try read("", { whole.next() }).part
        }
        let blocks = IDBlocks(maxID: Int64(leaves.count) - 1, smallestBlock: 4, lastBlockTakesAllAbove: false)
        return try Self.readFromBothEnds(blocks, coreFreed: coreFreed) { fromTheBottom, claim in
          try read(fromTheBottom ? "from the bottom" : "from the top", claim)
        }
      }
      // A damaged tree can reach a leaf twice, or keys out of order: SQLite
      // would call the file malformed, and so the read is left to it.
      guard let part, zip(part.ids, part.ids.dropFirst()).allSatisfy({ $0 < $1 }) else {
        if part != nil { PhaseTimer.note("account pages left to SQLite: ids out of order") }
        return nil
      }
      return part
    } catch {
      PhaseTimer.note("account pages left to SQLite: \(error)")
      return nil
    }
  }

  /// Whether the database file alone holds every commit: in WAL mode, the
  /// log is empty (or not there). A log is emptied only when no reader
  /// uses it, so one found empty inside a read transaction was empty when
  /// the transaction began.
  private static func fileHoldsEveryCommit(_ file: SQLiteFileImage, path: String) -> Bool {
    guard file.isWriteAheadLogged else { return true }
    var info = stat()
    guard stat(path + "-wal", &info) == 0 else { return errno == ENOENT }
    return info.st_size == 0
  }

  /// The accounts on the leaf pages of the blocks `claim` gives (indexes
  /// into `leaves`), as `readAccounts` gives them through SQLite.
  private static func readLeaves(
    _ leaves: [UInt32], of tree: TableBTree, layout: AccountTableLayout, reservingRows: Int, generation: Int64,
    references: OrganizationReferences, label: String, blocks claim: () -> ClosedRange<Int64>?
  ) throws -> (part: AccountPart, blocks: [Range<Int>]) {
    var accounts = AccountPartBuilder(reservingRows: reservingRows, generation: generation)
    let record = RecordColumns(count: layout.columnCount, textColumns: layout.valueColumns)
    var spill: [UInt8] = []
    try PhaseTimer.measure("reading account pages \(label)") {
      try references.withReferences { reference in
        while let block = claim() {
          for leaf in leaves[Int(block.lowerBound)...Int(block.upperBound)] {
            try tree.forEachRow(ofLeaf: leaf, spill: &spill) { rowid, bytes throws(SQLiteFileSurprise) in
              try record.read(bytes)
              // SQLite keeps an alias of the rowid as NULL in the record;
              // the SQL read starts at id 0.
              guard rowid >= 0, record.isNull(layout.idColumn) else {
                throw SQLiteFileSurprise("an account's id is not its rowid, or below 0")
              }
              let organization = references.index(ofID: try record.integer(layout.organizationColumn))
              accounts.append(id: rowid, organization: organization, school: reference(organization)) {
                record.text(layout.valueColumns[$0])
              }
            }
          }
          accounts.endBlock()
        }
      }
    }
    return (accounts.part, accounts.blocks)
  }
}

/// Where the account table is (its b-tree's root page) and which column of
/// its records holds each value the snapshot reads, from the schema itself.
struct AccountTableLayout: Sendable {
  let rootPage: UInt32
  let idColumn: Int
  let organizationColumn: Int
  /// The record column of each `ExportColumn` (by raw value); -1 for the
  /// school, which comes from the organization.
  let valueColumns: [Int]
  /// The columns a record must have for all of them.
  let columnCount: Int

  /// Nil when the table has columns SQLite computes (not in the records)
  /// or lacks one the snapshot needs.
  init?(_ db: Database) throws {
    guard
      let root = try Int.fetchOne(
        db, sql: "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'account'"),
      root > 0, root <= Int(UInt32.max)
    else { return nil }
    rootPage = UInt32(root)
    var columns: [String: Int] = [:]
    for column in try Row.fetchAll(db, sql: "PRAGMA table_xinfo(account)") {
      // Generated columns are not stored, so record columns would not
      // follow the table's.
      guard (column["hidden"] as Int?) == 0 else { return nil }
      columns[column["name"]] = column["cid"]
    }
    let names = [
      "first_name", "middle_name", "last_name", "email", "custom_id", "", "user_type", "position", "grade", "status",
    ]
    let valueColumns = names.map { $0.isEmpty ? -1 : columns[$0] }
    guard let id = columns["id"], let organization = columns["organization_id"], !valueColumns.contains(nil) else {
      return nil
    }
    idColumn = id
    organizationColumn = organization
    self.valueColumns = valueColumns.map { $0! }
    columnCount = (self.valueColumns + [id, organization]).max()! + 1
  }
}
