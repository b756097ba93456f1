/// A small streaming JSON writer that keeps keys in the order written, so
/// output is stable for scripts, diffs and tests. Works on UTF-8 bytes end
/// to end: strings are escaped byte by byte into a `ByteBuffer` and integers
/// formatted in place, with no `String` or array made per value, so a plan
/// of a million rows (tens of megabytes of JSON) is written in a fraction of
/// its planning time. Not to be copied: a copy would share the bytes.
public struct JSONWriter {
  private let buffer = ByteBuffer(capacity: 1 << 17)
  /// Whether the innermost open object or array has a member already (a
  /// comma goes before the next one).
  private var hasMember = false
  /// `hasMember` of each enclosing object or array, outermost first.
  private var enclosing: [Bool] = []
  private var pendingKey = false

  public init() {}

  /// A writer of members that follow others (a part of an array whose
  /// first members another writer wrote): a comma goes before its first.
  public init(followingMembers: Bool) {
    hasMember = followingMembers
  }

  /// Appends the members `other` wrote (`init(followingMembers:)`) after
  /// this writer's: handed on to `sink` when given (this writer's own first),
  /// else kept with them.
  public mutating func appendMembers(of other: inout JSONWriter, flushingTo sink: (([UInt8]) -> Void)?) {
    guard other.pendingByteCount > 0 else { return }
    if let sink {
      flush(to: sink)
      other.flush(to: sink)
    } else {
      buffer.append(other.buffer.bytes)
      other.buffer.removeAll()
    }
    hasMember = true
  }

  public var output: String { String(decoding: buffer.bytes, as: UTF8.self) }

  /// Bytes written and not yet flushed.
  public var pendingByteCount: Int { buffer.count }

  /// Hands the bytes written so far to `sink` and forgets them: a large
  /// report streamed in pieces is never held whole in memory.
  /// Handed on in pieces of at most `flushPiece` bytes: a writer that
  /// wrote half a plan's changes holds 20 MB, and one array of them was as
  /// much fresh memory to fault in and copy.
  public mutating func flush(to sink: ([UInt8]) -> Void) {
    let bytes = buffer.bytes
    var start = 0
    while start < bytes.count {
      let end = min(start + Self.flushPiece, bytes.count)
      sink(Array(bytes[start..<end]))
      start = end
    }
    buffer.removeAll()
  }

  static let flushPiece = 1 << 16

  /// A newline after the value (the end of a report).
  public mutating func newline() {
    buffer.append(UInt8(ascii: "\n"))
  }

  /// A value that is JSON already (a report written by another writer).
  public mutating func rawValue(_ json: String) {
    valuePrefix()
    var json = json
    json.withUTF8 { buffer.append($0) }
  }

  public mutating func beginObject() {
    valuePrefix()
    buffer.append(UInt8(ascii: "{"))
    open()
  }

  public mutating func endObject() {
    close()
    buffer.append(UInt8(ascii: "}"))
  }

  public mutating func beginArray() {
    valuePrefix()
    buffer.append(UInt8(ascii: "["))
    open()
  }

  public mutating func endArray() {
    close()
    buffer.append(UInt8(ascii: "]"))
  }

  /// A key written in the code: its bytes need no escaping, and are
  /// copied as they are. A plan's JSON writes some 2 million keys; through
  /// a `String` and the escaping loop each took about 240 instructions.
  public mutating func key(_ name: StaticString) {
    valuePrefix()
    name.withUTF8Buffer { name in
      assert(
        name.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
        "a key written in the code needs no escaping")
      let out = buffer.reserve(name.count + 3)
      out[0] = UInt8(ascii: "\"")
      if let base = name.baseAddress { Self.copyShort(from: base, to: out + 1, count: name.count) }
      out[name.count + 1] = UInt8(ascii: "\"")
      out[name.count + 2] = UInt8(ascii: ":")
      buffer.advance(by: name.count + 3)
    }
    pendingKey = true
  }

  /// A column's header as a key, its bytes (quotes and colon included)
  /// made once.
  public mutating func key(_ column: ExportColumn) {
    valuePrefix()
    Self.columnKeys[column.rawValue].withUnsafeBufferPointer { key in
      let out = buffer.reserve(key.count)
      Self.copyShort(from: key.baseAddress!, to: out, count: key.count)
      buffer.advance(by: key.count)
    }
    pendingKey = true
  }

  private static let columnKeys = ExportColumn.allCases.map { Array("\"\($0.header)\":".utf8) }

  /// A key made at run time (escaped as any string is).
  @_disfavoredOverload
  public mutating func key(_ name: String) {
    valuePrefix()
    appendString(name)
    buffer.append(UInt8(ascii: ":"))
    pendingKey = true
  }

  /// A string value from its UTF-8 (valid UTF-8: escaped as `string`
  /// escapes it), without making a `String` of it first.
  public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
    valuePrefix()
    appendQuoted(utf8)
  }

  public mutating func string(_ value: String?) {
    valuePrefix()
    if let value { appendString(value) } else { appendLiteral("null") }
  }

  public mutating func number(_ value: Int?) {
    valuePrefix()
    if let value { appendDecimal(value) } else { appendLiteral("null") }
  }

  public mutating func bool(_ value: Bool) {
    valuePrefix()
    appendLiteral(value ? "true" : "false")
  }

  public mutating func field(_ name: StaticString, _ value: String?) {
    key(name)
    string(value)
  }

  public mutating func field(_ name: StaticString, _ value: Int?) {
    key(name)
    number(value)
  }

  public mutating func field(_ name: StaticString, _ value: Bool) {
    key(name)
    bool(value)
  }

  @_disfavoredOverload
  public mutating func field(_ name: String, _ value: String?) {
    key(name)
    string(value)
  }

  @_disfavoredOverload
  public mutating func field(_ name: String, _ value: Int?) {
    key(name)
    number(value)
  }

  @_disfavoredOverload
  public mutating func field(_ name: String, _ value: Bool) {
    key(name)
    bool(value)
  }

  // MARK: Structure

  private mutating func open() {
    enclosing.append(hasMember)
    hasMember = false
  }

  private mutating func close() {
    hasMember = enclosing.removeLast()
  }

  /// The comma before a value, unless it follows its key.
  private mutating func valuePrefix() {
    if pendingKey {
      pendingKey = false
      return
    }
    if hasMember { buffer.append(UInt8(ascii: ",")) }
    hasMember = true
  }

  // MARK: Values

  private func appendLiteral(_ literal: StaticString) {
    literal.withUTF8Buffer { buffer.append($0) }
  }

  /// The decimal digits of `value`, written in place (`String(value)` would
  /// allocate a string per number).
  private func appendDecimal(_ value: Int) {
    // "-" and the 19 digits of Int.min's magnitude.
    let out = buffer.reserve(20)
    var written = 0
    if value < 0 {
      out[0] = UInt8(ascii: "-")
      written = 1
    }
    var magnitude = value.magnitude
    var digits = 1
    var scale: UInt = 10
    while digits < 20, magnitude >= scale {
      digits += 1
      if scale > UInt.max / 10 { break }
      scale *= 10
    }
    var position = written + digits
    written = position
    repeat {
      position -= 1
      out[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
      magnitude /= 10
    } while magnitude > 0
    buffer.advance(by: written)
  }

  /// Escapes quotes, backslashes, control characters (C0, DEL and C1),
  /// U+2028/U+2029 (which break JavaScript parsers) and the bidi controls
  /// U+202A–U+202E, U+2066–U+2069 (so a terminal showing the JSON is not
  /// reordered): still the exact value, never the raw character. Everything
  /// else is copied as is.
  private func appendString(_ value: String) {
    if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) {
      return done
    }
    var copy = value
    copy.withUTF8 { appendQuoted($0) }
  }

  /// Copies a few bytes eight at a time: a key's copy through `memmove`
  /// (a call through the PLT for a dozen bytes) was a third of writing it.
  @inline(__always)
  private static func copyShort(
    from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int
  ) {
    let from = UnsafeRawPointer(source)
    let to = UnsafeMutableRawPointer(target)
    var index = 0
    while index + 8 <= count {
      let word = from.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      to.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
      index += 8
    }
    while index < count {
      target[index] = source[index]
      index += 1
    }
  }

  private func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
    // An escape is at most 6 bytes (`\u0085`) for at least 1 byte of input.
    let out = buffer.reserve(utf8.count * 6 + 2)
    out[0] = UInt8(ascii: "\"")
    var written = 1
    var index = 0
    while index < utf8.count {
      let byte = utf8[index]
      // Only these bytes can start something to escape.
      if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xE2,
        let (escape, width) = Self.escape(in: utf8, at: index)
      {
        written += Self.write(escape, to: out + written)
        index += width
      } else {
        out[written] = byte
        written += 1
        index += 1
      }
    }
    out[written] = UInt8(ascii: "\"")
    buffer.advance(by: written + 1)
  }

  /// How the character at `index` is escaped (a short escape's letter, or
  /// the scalar for `\uXXXX`) and its width in bytes; nil when it is not.
  private static func escape(in utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (Escape, Int)? {
    switch utf8[index] {
    case UInt8(ascii: "\""): return (.short(UInt8(ascii: "\"")), 1)
    case UInt8(ascii: "\\"): return (.short(UInt8(ascii: "\\")), 1)
    case UInt8(ascii: "\n"): return (.short(UInt8(ascii: "n")), 1)
    case UInt8(ascii: "\r"): return (.short(UInt8(ascii: "r")), 1)
    case UInt8(ascii: "\t"): return (.short(UInt8(ascii: "t")), 1)
    case 0xE2
    where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
      return (.unicode(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029), 3)
    default:
      // C0, DEL, C1 and bidi controls, as VisibleText finds them.
      let (scalar, width) = VisibleText.escapedScalar(in: utf8, at: index)
      return scalar.map { (.unicode($0.value), width) }
    }
  }

  private enum Escape {
    /// `\"`, `\\`, `\n`, `\r`, `\t`.
    case short(UInt8)
    /// `\u` and four lowercase hex digits.
    case unicode(UInt32)
  }

  /// Writes an escape at `out`; returns its length.
  private static func write(_ escape: Escape, to out: UnsafeMutablePointer<UInt8>) -> Int {
    out[0] = UInt8(ascii: "\\")
    switch escape {
    case .short(let letter):
      out[1] = letter
      return 2
    case .unicode(let value):
      out[1] = UInt8(ascii: "u")
      for position in 0..<4 {
        let digit = UInt8(truncatingIfNeeded: (value >> UInt32(12 - 4 * position)) & 0xF)
        out[2 + position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
      }
      return 6
    }
  }
}
