/// A small streaming JSON writer that keeps keys in the order written, so
/// output is stable for scripts, diffs and tests.
public struct JSONWriter {
  public private(set) var output = ""
  private var needsComma = [false]

  public init() {}

  public mutating func beginObject() {
    valuePrefix()
    output += "{"
    needsComma.append(false)
  }
  public mutating func endObject() {
    needsComma.removeLast()
    output += "}"
  }
  public mutating func beginArray() {
    valuePrefix()
    output += "["
    needsComma.append(false)
  }
  public mutating func endArray() {
    needsComma.removeLast()
    output += "]"
  }

  public mutating func key(_ name: String) {
    valuePrefix()
    appendString(name)
    output += ":"
    needsComma[needsComma.count - 1] = false
    pendingKey = true
  }

  public mutating func string(_ value: String?) {
    valuePrefix()
    if let value { appendString(value) } else { output += "null" }
  }

  public mutating func number(_ value: Int?) {
    valuePrefix()
    output += value.map(String.init) ?? "null"
  }

  public mutating func bool(_ value: Bool) {
    valuePrefix()
    output += value ? "true" : "false"
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

  private var pendingKey = false

  private mutating func valuePrefix() {
    if pendingKey {
      pendingKey = false
      needsComma[needsComma.count - 1] = true
      return
    }
    if needsComma[needsComma.count - 1] { output += "," }
    needsComma[needsComma.count - 1] = true
  }

  private mutating func appendString(_ value: String) {
    output += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default:
        output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}
