/// A small streaming JSON writer that keeps keys in the order written, so
/// output is stable for scripts, diffs and tests. Works on UTF-8 bytes:
/// reports with tens of thousands of findings are written in milliseconds.
public struct JSONWriter {
  private var bytes: [UInt8] = []
  private var needsComma = [false]
  private var pendingKey = false

  public init() {}

  public var output: String { String(decoding: bytes, as: UTF8.self) }

  /// Bytes written and not yet flushed.
  public var pendingByteCount: Int { bytes.count }

  /// Hands the bytes written so far to `sink` and forgets them: a large
  /// report streamed in pieces is never held whole in memory.
  public mutating func flush(to sink: ([UInt8]) -> Void) {
    guard !bytes.isEmpty else { return }
    sink(bytes)
    bytes.removeAll(keepingCapacity: true)
  }

  /// A newline after the value (the end of a report).
  public mutating func newline() {
    bytes.append(UInt8(ascii: "\n"))
  }

  /// A value that is JSON already (a report written by another writer).
  public mutating func rawValue(_ json: String) {
    valuePrefix()
    bytes += Array(json.utf8)
  }

  public mutating func beginObject() {
    valuePrefix()
    bytes.append(UInt8(ascii: "{"))
    needsComma.append(false)
  }

  public mutating func endObject() {
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "}"))
  }

  public mutating func beginArray() {
    valuePrefix()
    bytes.append(UInt8(ascii: "["))
    needsComma.append(false)
  }

  public mutating func endArray() {
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "]"))
  }

  public mutating func key(_ name: String) {
    valuePrefix()
    appendString(name)
    bytes.append(UInt8(ascii: ":"))
    pendingKey = true
  }

  public mutating func string(_ value: String?) {
    valuePrefix()
    if let value { appendString(value) } else { bytes += "null".utf8 }
  }

  public mutating func number(_ value: Int?) {
    valuePrefix()
    bytes += (value.map(String.init) ?? "null").utf8
  }

  public mutating func bool(_ value: Bool) {
    valuePrefix()
    bytes += (value ? "true" : "false").utf8
  }

  public mutating func field(_ name: String, _ value: String?) {
    key(name)
    string(value)
  }

  public mutating func field(_ name: String, _ value: Int?) {
    key(name)
    number(value)
  }

  public mutating func field(_ name: String, _ value: Bool) {
    key(name)
    bool(value)
  }

  private mutating func valuePrefix() {
    if pendingKey {
      pendingKey = false
      needsComma[needsComma.count - 1] = true
      return
    }
    if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
    needsComma[needsComma.count - 1] = true
  }

  /// Escapes quotes, backslashes, control characters (C0, DEL and C1),
  /// U+2028/U+2029 (which break JavaScript parsers) and the bidi controls
  /// U+202A–U+202E, U+2066–U+2069 (so a terminal showing the JSON is not
  /// reordered): still the exact value, never the raw character. Everything
  /// else is copied as is.
  private mutating func appendString(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      // Most values need no escaping: copy them whole.
      if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) {
        bytes.append(contentsOf: utf8)
        return
      }
      var runStart = 0
      var index = 0
      func flush(_ end: Int) {
        if end > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end])) }
      }
      while index < utf8.count {
        let byte = utf8[index]
        var escape: [UInt8]?
        var width = 1
        switch byte {
        case UInt8(ascii: "\""): escape = Array("\\\"".utf8)
        case UInt8(ascii: "\\"): escape = Array("\\\\".utf8)
        case UInt8(ascii: "\n"): escape = Array("\\n".utf8)
        case UInt8(ascii: "\r"): escape = Array("\\r".utf8)
        case UInt8(ascii: "\t"): escape = Array("\\t".utf8)
        case 0xE2
        where index + 2 < utf8.count && utf8[index + 1] == 0x80
          && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
          escape = Array(unicodeEscape(utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029).utf8)
          width = 3
        default:
          // C0, DEL, C1 and bidi controls, as VisibleText finds them.
          let (scalar, length) = VisibleText.escapedScalar(in: utf8, at: index)
          if let scalar {
            escape = Array(unicodeEscape(scalar.value).utf8)
            width = length
          }
        }
        if let escape {
          flush(index)
          bytes += escape
          index += width
          runStart = index
        } else {
          index += 1
        }
      }
      flush(utf8.count)
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private func unicodeEscape(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }
}
