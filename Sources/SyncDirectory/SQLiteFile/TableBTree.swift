/// One table's b-tree in a `SQLiteFileImage`: its leaf pages in rowid order
/// and the rows on each (rowid and record). Every offset, length and page
/// number read from the file is checked before it is followed: a damaged
/// file is a `SQLiteFileSurprise`, never a read outside the mapping.
struct TableBTree: @unchecked Sendable {
  let file: SQLiteFileImage
  let root: UInt32

  private static let interiorPage: UInt8 = 0x05
  private static let leafPage: UInt8 = 0x0D

  /// The leaf pages, left to right (so in rowid order).
  func leafPages() throws(SQLiteFileSurprise) -> [UInt32] {
    var leaves: [UInt32] = []
    var pending: [UInt32] = [root]
    var visited = 0
    while let number = pending.popLast() {
      visited += 1
      // A page visited twice is a loop in the tree (a damaged file).
      guard visited <= file.pageCount else { throw SQLiteFileSurprise("the b-tree of page \(root) has a loop") }
      let (page, header) = try file.page(number)
      guard header + 12 <= page.count else { throw SQLiteFileSurprise("page \(number) is too small") }
      switch page[header] {
      case Self.leafPage:
        leaves.append(number)
      case Self.interiorPage:
        let cells = try CellPointers(page, header: header, headerSize: 12, number: number)
        // Children are visited last pushed first: the right-most child,
        // then each cell's left child from the last to the first.
        pending.append(page.bigEndianUInt32(at: header + 8))
        for index in (0..<cells.count).reversed() {
          let cell = try cells.offset(index)
          guard cell + 4 <= page.count else { throw SQLiteFileSurprise("a cell of page \(number) is cut") }
          pending.append(page.bigEndianUInt32(at: cell))
        }
        // A sound tree never has more pages waiting than the file has.
        guard pending.count <= file.pageCount else {
          throw SQLiteFileSurprise("the b-tree of page \(root) has more children than pages")
        }
      default:
        throw SQLiteFileSurprise("page \(number) is not a table b-tree page (type \(page[header]))")
      }
    }
    return leaves
  }

  /// Calls `body` with each row of leaf page `number`, in rowid order: its
  /// rowid and its record's bytes (gathered into `spill` when the record
  /// goes on into overflow pages; valid only during the call).
  func forEachRow(
    ofLeaf number: UInt32, spill: inout [UInt8],
    _ body: (_ rowid: Int64, _ record: UnsafeRawBufferPointer) throws(SQLiteFileSurprise) -> Void
  ) throws(SQLiteFileSurprise) {
    let (page, header) = try file.page(number)
    guard header + 8 <= page.count, page[header] == Self.leafPage else {
      throw SQLiteFileSurprise("page \(number) is not a table leaf")
    }
    let end = page.count
    let cells = try CellPointers(page, header: header, headerSize: 8, number: number)
    for index in 0..<cells.count {
      var offset = try cells.offset(index)
      let payloadSize = try SQLiteVarint.read(page, at: &offset, end: end)
      // SQLite's own limit on a value is a billion bytes.
      guard payloadSize <= UInt64(Int32.max) else { throw SQLiteFileSurprise("a cell of page \(number) is too long") }
      let rowid = Int64(bitPattern: try SQLiteVarint.read(page, at: &offset, end: end))
      let local = localPayloadSize(payloadSize)
      guard local <= end - offset else { throw SQLiteFileSurprise("a cell of page \(number) is cut") }
      if local == payloadSize {
        try body(rowid, UnsafeRawBufferPointer(rebasing: page[offset..<offset + local]))
      } else {
        guard offset + local + 4 <= end else { throw SQLiteFileSurprise("a cell of page \(number) is cut") }
        try gatherOverflow(
          UnsafeRawBufferPointer(rebasing: page[offset..<offset + local]), total: Int(payloadSize),
          firstPage: page.bigEndianUInt32(at: offset + local), into: &spill)
        // (`withUnsafeBytes` rethrows untyped errors: carried out in a Result.)
        try spill.withUnsafeBytes { bytes in Result { () throws(SQLiteFileSurprise) in try body(rowid, bytes) } }.get()
      }
    }
  }

  /// How much of a payload of `size` bytes a table leaf keeps on its own
  /// page (the file format's rule; the rest goes to overflow pages).
  private func localPayloadSize(_ size: UInt64) -> Int {
    let usable = file.usableSize
    let most = usable - 35
    guard size > UInt64(most) else { return Int(size) }
    let least = (usable - 12) * 32 / 255 - 23
    let local = least + Int((size - UInt64(least)) % UInt64(usable - 4))
    return local <= most ? local : least
  }

  /// A payload's local part followed by its overflow pages' parts, in `into`.
  private func gatherOverflow(
    _ local: UnsafeRawBufferPointer, total: Int, firstPage: UInt32, into bytes: inout [UInt8]
  ) throws(SQLiteFileSurprise) {
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: local)
    var next = firstPage
    var pagesFollowed = 0
    while bytes.count < total {
      pagesFollowed += 1
      guard pagesFollowed <= file.pageCount else { throw SQLiteFileSurprise("an overflow chain has a loop") }
      let (page, _) = try file.page(next)
      let part = min(total - bytes.count, page.count - 4)
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: page[4..<4 + part]))
      next = page.bigEndianUInt32(at: 0)
    }
  }
}

/// A page's cell pointer array: where each cell starts, checked to lie in
/// the page's content area as it is read (once a cell).
private struct CellPointers {
  let page: UnsafeRawBufferPointer
  let count: Int
  private let start: Int
  private let number: UInt32

  init(_ page: UnsafeRawBufferPointer, header: Int, headerSize: Int, number: UInt32) throws(SQLiteFileSurprise) {
    self.page = page
    self.number = number
    count = Int(page.bigEndianUInt16(at: header + 3))
    start = header + headerSize
    guard start + 2 * count <= page.count else {
      throw SQLiteFileSurprise("the cell pointers of page \(number) run past it")
    }
  }

  @inline(__always)
  func offset(_ index: Int) throws(SQLiteFileSurprise) -> Int {
    let offset = Int(page.bigEndianUInt16(at: start + 2 * index))
    guard offset >= start + 2 * count, offset < page.count else {
      throw SQLiteFileSurprise("a cell of page \(number) is outside its content area")
    }
    return offset
  }
}

/// SQLite's variable-length integers: big-endian, 7 bits a byte while the
/// high bit is set, and all 8 bits of a ninth byte.
enum SQLiteVarint {
  @inline(__always)
  static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, end: Int) throws(SQLiteFileSurprise)
    -> UInt64
  {
    guard offset < end else { throw SQLiteFileSurprise("a number runs past its cell") }
    let first = bytes[offset]
    offset += 1
    if first < 0x80 { return UInt64(first) }
    var value = UInt64(first & 0x7F)
    for _ in 1..<8 {
      guard offset < end else { throw SQLiteFileSurprise("a number runs past its cell") }
      let byte = bytes[offset]
      offset += 1
      value = value << 7 | UInt64(byte & 0x7F)
      if byte < 0x80 { return value }
    }
    guard offset < end else { throw SQLiteFileSurprise("a number runs past its cell") }
    value = value << 8 | UInt64(bytes[offset])
    offset += 1
    return value
  }
}
