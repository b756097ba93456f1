/// Rows of the ten export columns kept column-ordered in one byte arena:
/// about the data's own size plus 40 bytes a row, and no string until a
/// value is asked for. The export table and the directory snapshot both
/// keep their people this way, so a million rows stay cheap on each side.
public struct RowStore: Sendable {
  private var arena: [UInt8] = []
  /// End offset in `arena` of each value, ten per row.
  private var ends: [UInt32] = []
  /// Rows read in place from the snapshot cache's mapping; nil when they
  /// are in `arena` and `ends`. Appending copies them there first.
  private var fixed: (arena: ReadOnlyValues<UInt8>, ends: ReadOnlyValues<UInt32>)?

  /// A store from its two sections (the snapshot cache), checked by the
  /// caller: ten ends a row that never go back and end at the arena's end.
  package init(arena: ReadOnlyValues<UInt8>, ends: ReadOnlyValues<UInt32>) {
    precondition(
      ends.count % ExportColumn.count == 0 && Int(ends.withUnsafeBufferPointer { $0.last } ?? 0) == arena.count)
    fixed = (arena, ends)
  }

  /// The arena's bytes and the values' ends, as the snapshot cache saves them.
  package func withSections<Result>(
    _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt32>) throws -> Result
  ) rethrows -> Result {
    if let fixed {
      return try fixed.arena.withUnsafeBufferPointer { arena in
        try fixed.ends.withUnsafeBufferPointer { try body(arena, $0) }
      }
    }
    return try arena.withUnsafeBufferPointer { arena in try ends.withUnsafeBufferPointer { try body(arena, $0) } }
  }

  package var rawArena: [UInt8] { withSections { arena, _ in Array(arena) } }
  package var rawEnds: [UInt32] { withSections { _, ends in Array(ends) } }

  /// Room costs nothing until written; large room is in huge pages (a
  /// million rows' values are some 140 MB written once, page by page).
  public init(expectedRows: Int = 0, expectedBytes: Int = 0) {
    ends.reserveCapacityInHugePages(expectedRows * ExportColumn.count)
    arena.reserveCapacityInHugePages(expectedBytes)
  }

  public var rowCount: Int { (fixed?.ends.count ?? ends.count) / ExportColumn.count }

  public func value(row: Int, column: ExportColumn) -> String {
    withBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
  }

  public func withBytes<Result>(
    row: Int, column: ExportColumn, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    let index = row * ExportColumn.count + column.rawValue
    return try withSections { arena, ends in
      precondition(index >= 0 && index < ends.count, "row \(row) is not in the store")
      let start = index == 0 ? 0 : Int(ends[index - 1])
      return try body(UnsafeBufferPointer(rebasing: arena[start..<Int(ends[index])]))
    }
  }

  /// Raw access for the hot loops of planning: no reference counting per
  /// value, valid only inside `body`.
  public func withUnsafeRows<Result>(_ body: (UnsafeRows) throws -> Result) rethrows -> Result {
    try withSections { arena, ends in
      try body(UnsafeRows(arena: arena.baseAddress, ends: ends.baseAddress, rowCount: ends.count / ExportColumn.count))
    }
  }

  /// Moves mapped rows into the arrays, before the first append.
  private mutating func ownRows() {
    guard let fixed else { return }
    arena = fixed.arena.array
    ends = fixed.ends.array
    self.fixed = nil
  }

  /// Appends a row of ten values, in column order.
  package mutating func append(_ values: some Sequence<UnsafeBufferPointer<UInt8>>) {
    for value in values { appendValue(value) }
  }

  package mutating func appendValue(_ value: UnsafeBufferPointer<UInt8>) {
    if fixed != nil { ownRows() }
    arena.append(contentsOf: value)
    precondition(arena.count <= UInt32.max, "a row store holds at most 4 GiB of values")
    ends.append(UInt32(arena.count))
  }

  /// Appends the row `row` holds (and empties it): the arena grows once.
  package mutating func append(_ row: RowBuilder) {
    if fixed != nil { ownRows() }
    row.takeRow { bytes, valueEnds in
      let start = arena.count
      precondition(start + bytes.count <= UInt32.max, "a row store holds at most 4 GiB of values")
      arena.append(contentsOf: bytes)
      appendEnds(valueEnds, adding: UInt32(start))
    }
  }

  /// The bytes of all values.
  package var byteCount: Int { fixed?.arena.count ?? arena.count }

  /// Room for this many rows and bytes of values more (`append(rows:of:)`
  /// of many blocks grows nothing then).
  package mutating func reserve(rowsMore rows: Int, bytesMore bytes: Int) {
    if fixed != nil { ownRows() }
    arena.reserveCapacity(arena.count + bytes)
    ends.reserveCapacity(ends.count + rows * ExportColumn.count)
  }

  /// Appends the rows `rows` of another store.
  package mutating func append(rows: Range<Int>, of other: RowStore) {
    if fixed != nil { ownRows() }
    other.withSections { otherArena, otherEnds in
      let values = (rows.lowerBound * ExportColumn.count)..<(rows.upperBound * ExportColumn.count)
      let start = values.lowerBound == 0 ? 0 : Int(otherEnds[values.lowerBound - 1])
      let end = values.isEmpty ? start : Int(otherEnds[values.upperBound - 1])
      precondition(arena.count + end - start <= UInt32.max, "a row store holds at most 4 GiB of values")
      // Each end moves from `start` in the other arena to this one's end.
      let base = UInt32(arena.count)
      let first = UInt32(start)
      arena.append(contentsOf: otherArena[start..<end])
      // (Each end stays within 4 GiB: checked above.)
      appendEnds(UnsafeBufferPointer(rebasing: otherEnds[values]), adding: base &- first)
    }
  }

  /// Appends `source`'s ends, each moved by `delta` (wrapping: the caller
  /// checked that the results fit): copied as they are, then moved in
  /// place, two tight passes. An append an end (its checks), or a mapped
  /// sequence (a call an end), took most of joining the directory's halves
  /// (5 million ends).
  private mutating func appendEnds(_ source: UnsafeBufferPointer<UInt32>, adding delta: UInt32) {
    let first = ends.count
    ends.append(contentsOf: source)
    guard delta != 0 else { return }
    ends.withUnsafeMutableBufferPointer { ends in
      for index in first..<ends.count { ends[index] &+= delta }
    }
  }

  /// Appends another store's rows: in place when there is room, else into
  /// arrays of exactly the size needed (no doubling, no temporary copy).
  package mutating func append(contentsOf other: RowStore) {
    reserve(rowsMore: other.rowCount, bytesMore: other.byteCount)
    append(rows: 0..<other.rowCount, of: other)
  }
}

/// A `RowStore`'s values by pointer (see `withUnsafeRows`).
public struct UnsafeRows {
  @usableFromInline let arena: UnsafePointer<UInt8>?
  @usableFromInline let ends: UnsafePointer<UInt32>?
  public let rowCount: Int

  @inlinable @inline(__always)
  public func bytes(_ row: Int, _ column: ExportColumn) -> UnsafeBufferPointer<UInt8> {
    let index = row * ExportColumn.count + column.rawValue
    let ends = ends!
    let start = index == 0 ? 0 : Int(ends[index - 1])
    return UnsafeBufferPointer(start: arena.map { $0 + start }, count: Int(ends[index]) - start)
  }

  public func string(_ row: Int, _ column: ExportColumn) -> String {
    String(decoding: bytes(row, column), as: UTF8.self)
  }

  /// Asks for the cache lines that say where a row's values are.
  @inlinable @inline(__always)
  package func prefetchEnds(of row: Int) {
    guard let ends else { return }
    let first = ends + row * ExportColumn.count
    prefetch(first)
    prefetch(first + ExportColumn.count - 1)
  }

  /// Asks for the cache lines of a row's values (once its ends are at hand).
  @inlinable @inline(__always)
  package func prefetchValues(of row: Int) {
    let values = bytes(row, ExportColumn(rawValue: 0)!)
    guard let start = values.baseAddress else { return }
    prefetch(start)
    prefetch(start + 64)
  }
}

/// Whether two byte slices hold the same bytes.
@inlinable @inline(__always)
package func bytesEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
  lhs.count == rhs.count && (lhs.isEmpty || memcmpEqual(lhs.baseAddress!, rhs.baseAddress!, lhs.count))
}
