import Dispatch
import Foundation
import GRDB
import SyncModel

/// Reading every account of the SQLite directory for a snapshot: through
/// SQLite (`readAccounts`), or straight from the database file's pages when
/// that can be done safely (`SQLiteDirectory+AccountPages.swift`); either
/// way on two cores at once for a large directory, from both ends of the
/// accounts, joined in id order.
extension SQLiteDirectory {
  /// Accounts in id order, with the generation the read saw.
  struct AccountPart {
    var store: RowStore
    var ids: [Int64]
    var organizations: [Int32]
    var generation: Int64
  }

  /// Builds an `AccountPart` one account at a time, in id order, and notes
  /// the rows each block of a two-ended read took.
  struct AccountPartBuilder {
    private(set) var part: AccountPart
    private(set) var blocks: [Range<Int>] = []
    private let row = RowBuilder()
    private var blockStart = 0
    /// Room is reserved by `max(id)`, which bounds the accounts as SQLite
    /// gives ids (densely); ids far apart (a file another tool wrote) must
    /// not reserve more than memory has: past this, the arrays grow.
    static let mostRowsReserved = 4_000_000

    /// Arrays with room for `reservingRows` accounts, at most
    /// `mostRowsReserved` (more are taken if there are more).
    init(reservingRows: Int, generation: Int64) {
      let expected = min(max(reservingRows, 0), Self.mostRowsReserved)
      // Accounts run about 93 bytes of values; room for more costs nothing
      // until it is written, and saves regrowing (copying) the arena.
      part = AccountPart(
        store: RowStore(expectedRows: expected, expectedBytes: expected * 128), ids: [], organizations: [],
        generation: generation)
      part.ids.reserveCapacity(expected)
      part.organizations.reserveCapacity(expected)
    }

    /// Appends one account: `value` gives its values by `ExportColumn` raw
    /// value, but for the school, which is its organization's reference.
    @inline(__always)
    mutating func append(
      id: Int64, organization: Int32, school: UnsafeBufferPointer<UInt8>,
      value: (_ column: Int) -> UnsafeBufferPointer<UInt8>
    ) {
      part.ids.append(id)
      part.organizations.append(organization)
      // Values are gathered into one row first: the arena then grows once
      // a row (an array append per value cost the read a quarter more
      // instructions).
      for column in 0..<ExportColumn.count {
        row.add(column == ExportColumn.schoolExternalID.rawValue ? school : value(column))
      }
      part.store.append(row)
    }

    /// Ends a block: the rows appended since the last one.
    mutating func endBlock() {
      blocks.append(blockStart..<part.ids.count)
      blockStart = part.ids.count
    }
  }

  /// A read-only connection for reading every account once, with SQLite's
  /// small default page cache: the directory's own connection keeps 64 MB of
  /// pages for applies, which such a scan would fill, and the process keep,
  /// for nothing.
  func scanConnection() throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    return try DatabaseQueue(path: path, configuration: configuration)
  }

  /// The accounts read through SQLite on two connections at once, from both
  /// ends of the ids (`readFromBothEnds`; ids are dense, so `maxID` bounds
  /// the rows).
  func readThroughSQLiteFromBothEnds(
    maxID: Int64, references: OrganizationReferences, coreFreed: @Sendable () -> Void = {}
  ) throws -> AccountPart? {
    let connections = UncheckedSendable([try scanConnection(), try scanConnection()])
    return try Self.readFromBothEnds(IDBlocks(maxID: maxID), coreFreed: coreFreed) { fromTheBottom, claim in
      try connections.value[fromTheBottom ? 0 : 1].read { db in
        try Self.readAccounts(
          db, reservingRows: Int(maxID), references: references,
          label: fromTheBottom ? "from the bottom" : "from the top", ranges: claim)
      }
    }
  }

  /// Reads accounts in two parts at once, one taking blocks from the bottom
  /// of `blocks`, the other from the top, until they meet, so both end
  /// together however the cores are shared (two fixed halves left one core
  /// idle for up to a fifth of a second while the export's hash slowed the
  /// other). The bottom part's arrays have room for every account: the
  /// join copies only the top part's blocks, in id order, and grows
  /// nothing. `coreFreed` is called once both parts are read, before the
  /// join (on one core). Nil when the two parts saw different generations.
  static func readFromBothEnds(
    _ blocks: IDBlocks, coreFreed: @Sendable () -> Void,
    read:
      @Sendable (_ fromTheBottom: Bool, _ claim: () -> ClosedRange<Int64>?) throws -> (
        part: AccountPart, blocks: [Range<Int>]
      )
  ) throws -> AccountPart? {
    let results = UncheckedSendable(PartResults())
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let fromTheBottom = index == 0
      results.value.set(index, Result { try read(fromTheBottom, fromTheBottom ? blocks.claimBottom : blocks.claimTop) })
    }
    coreFreed()
    var (bottom, _) = try results.value.parts[0]!.get()
    let (top, topBlocks) = try results.value.parts[1]!.get()
    results.value.clear()
    guard bottom.generation == top.generation else { return nil }
    PhaseTimer.measure("joining the accounts' parts") {
      bottom.store.reserve(rowsMore: top.store.rowCount, bytesMore: top.store.byteCount)
      bottom.ids.reserveCapacity(bottom.ids.count + top.ids.count)
      bottom.organizations.reserveCapacity(bottom.organizations.count + top.organizations.count)
      for rows in topBlocks.reversed() {
        bottom.store.append(rows: rows, of: top.store)
        bottom.ids.append(contentsOf: top.ids[rows])
        bottom.organizations.append(contentsOf: top.organizations[rows])
      }
    }
    return bottom
  }

  /// What is still to read (ids, or leaf pages), in blocks taken from
  /// either end (a lock: a few dozen claims a read).
  final class IDBlocks: @unchecked Sendable {
    private let lock = NSLock()
    private var low: Int64 = 0
    private var high: Int64
    private let maxID: Int64
    private let size: Int64
    private let lastBlockTakesAllAbove: Bool

    /// Blocks of `0...maxID`, a sixty-fourth of it each but at least
    /// `smallestBlock`; with `lastBlockTakesAllAbove`, the block that reaches
    /// `maxID` also takes every id past it.
    init(maxID: Int64, smallestBlock: Int64 = 8_192, lastBlockTakesAllAbove: Bool = true) {
      self.maxID = maxID
      self.lastBlockTakesAllAbove = lastBlockTakesAllAbove
      high = maxID
      size = max(smallestBlock, maxID / 64)
    }

    func claimBottom() -> ClosedRange<Int64>? { claim { low in low...min(low + size - 1, high) } }
    func claimTop() -> ClosedRange<Int64>? { claim { low in max(low, high - size + 1)...high } }

    /// The block `bounds` gives out of what is left.
    private func claim(_ bounds: (Int64) -> ClosedRange<Int64>) -> ClosedRange<Int64>? {
      lock.lock()
      defer { lock.unlock() }
      guard low <= high else { return nil }
      let block = bounds(low)
      if block.lowerBound == low { low = block.upperBound + 1 } else { high = block.lowerBound - 1 }
      let reachesTheEnd = block.upperBound == maxID && lastBlockTakesAllAbove
      return block.lowerBound...(reachesTheEnd ? Int64.max : block.upperBound)
    }
  }

  private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var parts: [Result<(part: AccountPart, blocks: [Range<Int>]), Error>?] = [nil, nil]
    func set(_ index: Int, _ result: Result<(part: AccountPart, blocks: [Range<Int>]), Error>) {
      lock.lock()
      parts[index] = result
      lock.unlock()
    }
    /// Drops the parts, so the joined store is their arrays' only owner.
    func clear() { parts = [nil, nil] }
  }

  /// The accounts of the id ranges `ranges` gives until it gives nil, read
  /// through SQLite, in arrays with room for `reservingRows` accounts, with
  /// the rows each range took, in the order read.
  static func readAccounts(
    _ db: Database, reservingRows: Int, references: OrganizationReferences, label: String,
    ranges: () -> ClosedRange<Int64>?
  ) throws -> (part: AccountPart, blocks: [Range<Int>]) {
    var accounts = AccountPartBuilder(
      reservingRows: reservingRows, generation: Int64(try info(db, "generation")) ?? 0)
    let statement = try RawStatement(
      db,
      """
      SELECT id, organization_id, first_name, middle_name, last_name, email, custom_id,
             user_type, position, grade, status FROM account WHERE id BETWEEN ? AND ? ORDER BY id
      """)
    // The result column of each ExportColumn (the school comes from the
    // organization).
    let columns: [Int32] = [2, 3, 4, 5, 6, -1, 7, 8, 9, 10]
    try PhaseTimer.measure("reading accounts \(label)") {
      try references.withReferences { reference in
        while let ids = ranges() {
          statement.bind(1, ids.lowerBound)
          statement.bind(2, ids.upperBound)
          try statement.forEachRow(db) {
            let organization = references.index(ofID: statement.int64(1))
            accounts.append(id: statement.int64(0), organization: organization, school: reference(organization)) {
              statement.bytes(columns[$0])
            }
          }
          accounts.endBlock()
        }
      }
    }
    return (accounts.part, accounts.blocks)
  }
}
