#if arch(x86_64)
  import CLineScan
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The fast path of `CSVReader` for the common record: one whole line in
/// the current chunk with no quote and no control character (a carriage
/// return only just before its line feed). Such a record's fields are the bytes between
/// its commas, used where they lie (no copy), found sixteen bytes at a time
/// (eight on processors without SSE2).
/// Anything else (quotes, a tab or a lone CR, a line cut by the chunk's
/// end, a line past the limits) is left to the reader's byte-by-byte path,
/// which reads every record the same (only slower).
enum PlainLineScanner {
  struct Line {
    /// Offset of the line feed that ends the line (past its fields).
    let lineFeed: Int
    /// Fields found (their ends are in the caller's buffer).
    let fieldCount: Int
    /// Every byte is ASCII (none is a control character or DEL, or the
    /// line would not be plain): its values need no encoding or
    /// control-character checks.
    let isPlainText: Bool
  }

  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  private static let high: UInt64 = 0x8080_8080_8080_8080

  /// High bit set in exactly the bytes of `word` equal to `byte`'s copies
  /// in `pattern` (no false positives: no borrow crosses bytes).
  @inline(__always)
  private static func equalBytes(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
    let x = word ^ pattern
    return ~(((x & low7) &+ low7) | x | low7)
  }

  /// Scans the line starting at `start` in `base[start..<end]`. Writes the
  /// end of each field, relative to `start`, into `fieldEnds` (room for
  /// `maxFields`). Nil when the line is not a plain one (see above), has
  /// more than `maxFields` fields or more than `maxBytes` bytes. (A lone
  /// CR is a control character: one test finds both.)
  @inline(__always)
  static func scan(
    _ base: UnsafeRawPointer, from start: Int, to end: Int, fieldEnds: UnsafeMutablePointer<Int>, maxFields: Int,
    maxBytes: Int
  ) -> Line? {
    guard let found = memchr(base + start, Int32(Byte.lineFeed), end - start) else { return nil }
    let lineFeed = base.distance(to: UnsafeRawPointer(found))
    var contentEnd = lineFeed
    if contentEnd > start && base.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == Byte.carriageReturn {
      contentEnd -= 1
    }
    let length = contentEnd - start
    guard length <= maxBytes else { return nil }
    let line = base + start
    #if arch(x86_64)
      var nonASCII: Int32 = 0
      let fieldCount = sis_scan_plain_line(
        line.assumingMemoryBound(to: UInt8.self), length, fieldEnds, maxFields, &nonASCII)
      guard fieldCount > 0 else { return nil }
      return Line(lineFeed: lineFeed, fieldCount: fieldCount, isPlainText: nonASCII == 0)
    #else
      guard let fields = scanWords(line, length: length, fieldEnds: fieldEnds, maxFields: maxFields) else {
        return nil
      }
      return Line(lineFeed: lineFeed, fieldCount: fields.count, isPlainText: !fields.nonASCII)
    #endif
  }

  /// `sis_scan_plain_line` (CLineScan.h, sixteen bytes at a time on
  /// x86-64) eight bytes at a time, for other processors.
  @inline(__always)
  static func scanWords(
    _ line: UnsafeRawPointer, length: Int, fieldEnds: UnsafeMutablePointer<Int>, maxFields: Int
  ) -> (count: Int, nonASCII: Bool)? {
    let commas = Byte.comma.wordPattern
    let quotes = Byte.quote.wordPattern
    var fieldCount = 0
    var special: UInt64 = 0
    var nonASCII: UInt64 = 0
    var control: UInt64 = 0
    var index = 0
    while index + 8 <= length {
      let word = line.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      special |= equalBytes(word, quotes)
      nonASCII |= word
      // As TextDecoding.classify: a byte below 0x20 or equal to 0x7F sets
      // its high bit. A borrow only starts at such a byte: it can add a
      // false alarm beside a real one, never raise one on its own.
      control |= ((word &- 0x20 &* ones) | ((word ^ (0x7F &* ones)) &- ones)) & ~word
      var found = equalBytes(word, commas) & high
      while found != 0 {
        guard fieldCount < maxFields else { return nil }
        fieldEnds[fieldCount] = index + found.trailingZeroBitCount >> 3
        fieldCount += 1
        found &= found &- 1
      }
      index += 8
    }
    guard (special | control) & high == 0 else { return nil }
    var plain = nonASCII & high == 0
    while index < length {
      let byte = line.load(fromByteOffset: index, as: UInt8.self)
      if byte == Byte.quote || byte < 0x20 || byte == 0x7F { return nil }
      if byte >= 0x80 { plain = false }
      if byte == Byte.comma {
        guard fieldCount < maxFields else { return nil }
        fieldEnds[fieldCount] = index
        fieldCount += 1
      }
      index += 1
    }
    guard fieldCount < maxFields else { return nil }
    fieldEnds[fieldCount] = length
    return (fieldCount + 1, !plain)
  }
}

extension UInt8 {
  /// The byte repeated in all eight bytes of a word.
  @inline(__always)
  fileprivate var wordPattern: UInt64 { UInt64(self) &* 0x0101_0101_0101_0101 }
}
