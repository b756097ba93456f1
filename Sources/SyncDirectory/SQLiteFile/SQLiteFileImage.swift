import SyncModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A SQLite database file's pages, read where the file is mapped, in SQLite's
/// documented file format (https://www.sqlite.org/fileformat2.html). Only
/// for reading a whole table fast while a read transaction of SQLite's own
/// keeps the file as it is (see `SQLiteDirectory+AccountPages.swift`):
/// anything this reader does not expect is a `SQLiteFileSurprise`, and the
/// caller reads through SQLite instead.
struct SQLiteFileImage: @unchecked Sendable {
  private let mapping: FileMapping
  /// Bytes of a page, and those of them the b-tree uses (the rest is
  /// reserved space at the end of each page).
  let pageSize: Int
  let usableSize: Int
  let pageCount: Int
  /// Whether the file is in WAL mode: its newest pages may then be in the
  /// `-wal` file, which this reader does not read.
  let isWriteAheadLogged: Bool

  /// Maps the database file at `path`; nil when it may not be mapped
  /// safely (`FileMapping.isSafeToMap`) or cannot be opened.
  init?(path: String) throws(SQLiteFileSurprise) {
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, FileMapping.isSafeToMap(descriptor: descriptor),
      let mapping = FileMapping(descriptor: descriptor, size: Int(info.st_size))
    else { return nil }
    self.mapping = mapping
    let bytes = mapping.bytes
    guard bytes.count >= 100, Array(bytes[0..<16]) == Array("SQLite format 3\0".utf8) else {
      throw SQLiteFileSurprise("not a SQLite 3 database file")
    }
    let storedPageSize = Int(bytes.bigEndianUInt16(at: 16))
    pageSize = storedPageSize == 1 ? 65_536 : storedPageSize
    guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
      throw SQLiteFileSurprise("page size \(pageSize)")
    }
    usableSize = pageSize - Int(bytes[20])
    guard usableSize >= 480 else { throw SQLiteFileSurprise("usable page size \(usableSize)") }
    // Write and read versions: 1 for a rollback journal, 2 for WAL.
    guard [1, 2].contains(bytes[18]), [1, 2].contains(bytes[19]) else {
      throw SQLiteFileSurprise("file format versions \(bytes[18]), \(bytes[19])")
    }
    isWriteAheadLogged = bytes[18] == 2
    guard bytes.bigEndianUInt32(at: 56) == 1 else { throw SQLiteFileSurprise("text encoding is not UTF-8") }
    // The page count in the header holds only if the version number written
    // with it matches the file's change counter (older writers left it).
    let pagesInFile = bytes.count / pageSize
    let headerPageCount = Int(bytes.bigEndianUInt32(at: 28))
    let headerCountHolds = headerPageCount > 0 && bytes.bigEndianUInt32(at: 92) == bytes.bigEndianUInt32(at: 24)
    guard !headerCountHolds || headerPageCount <= pagesInFile else {
      throw SQLiteFileSurprise("\(headerPageCount) pages in the header, \(pagesInFile) in the file")
    }
    pageCount = headerCountHolds ? headerPageCount : pagesInFile
  }

  /// Page `number` (from 1) as a b-tree page: its usable bytes, and where
  /// its header starts (page 1 begins with the file's 100-byte header).
  func page(_ number: UInt32) throws(SQLiteFileSurprise) -> (bytes: UnsafeRawBufferPointer, headerStart: Int) {
    guard number >= 1, Int(number) <= pageCount, let base = mapping.bytes.baseAddress else {
      throw SQLiteFileSurprise("page \(number) of \(pageCount)")
    }
    let start = (Int(number) - 1) * pageSize
    return (UnsafeRawBufferPointer(start: base + start, count: usableSize), number == 1 ? 100 : 0)
  }
}

/// What the direct reader found other than it expects: a file it does not
/// read (another encoding, a record it does not decode) or a damaged one.
/// Never shown to the user: the read is done through SQLite instead, which
/// reports damage in its own words.
struct SQLiteFileSurprise: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension UnsafeRawBufferPointer {
  /// The big-endian integers of SQLite's file format; the caller has
  /// checked the bytes are there.
  @inline(__always) func bigEndianUInt16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
  }

  @inline(__always) func bigEndianUInt32(at offset: Int) -> UInt32 {
    UInt32(bigEndianUInt16(at: offset)) << 16 | UInt32(bigEndianUInt16(at: offset + 2))
  }
}
