/// COPY's text format: fields separated by tabs, rows ending with a
/// newline, NULL as `\N`, and backslash, tab, newline and carriage return
/// escaped with a backslash.
enum CopyText {
  /// One row of fields (nil is NULL), encoded.
  static func row(_ fields: [String?]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(fields.reduce(0) { $0 + ($1?.utf8.count ?? 2) + 1 })
    for (index, field) in fields.enumerated() {
      if index > 0 { bytes.append(tab) }
      guard let field else {
        bytes += [backslash, UInt8(ascii: "N")]
        continue
      }
      for byte in field.utf8 {
        switch byte {
        case backslash: bytes += [backslash, backslash]
        case tab: bytes += [backslash, UInt8(ascii: "t")]
        case newline: bytes += [backslash, UInt8(ascii: "n")]
        case carriageReturn: bytes += [backslash, UInt8(ascii: "r")]
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(newline)
    return bytes
  }

  /// Calls `field` with each field of one row as COPY sent it (`\N` as
  /// empty), its escapes undone. Most fields hold no backslash and are
  /// passed in place.
  static func forEachField(
    _ row: UnsafeBufferPointer<UInt8>, _ field: (Int, UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var end = row.count
    if end > 0 && row[end - 1] == newline { end -= 1 }
    var start = 0
    var index = 0
    var scratch: [UInt8] = []
    while start <= end {
      var stop = start
      var escaped = false
      while stop < end && row[stop] != tab {
        if row[stop] == backslash { escaped = true }
        stop += 1
      }
      let raw = UnsafeBufferPointer(rebasing: row[start..<stop])
      if !escaped {
        field(index, raw)
      } else if raw.count == 2 && raw[1] == UInt8(ascii: "N") {
        field(index, UnsafeBufferPointer(start: nil, count: 0))
      } else {
        unescape(raw, into: &scratch)
        scratch.withUnsafeBufferPointer { field(index, $0) }
      }
      index += 1
      start = stop + 1
    }
  }

  private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) {
    bytes.removeAll(keepingCapacity: true)
    var position = 0
    while position < raw.count {
      let byte = raw[position]
      guard byte == backslash, position + 1 < raw.count else {
        bytes.append(byte)
        position += 1
        continue
      }
      let next = raw[position + 1]
      switch next {
      case UInt8(ascii: "t"): bytes.append(tab)
      case UInt8(ascii: "n"): bytes.append(newline)
      case UInt8(ascii: "r"): bytes.append(carriageReturn)
      case UInt8(ascii: "b"): bytes.append(8)
      case UInt8(ascii: "f"): bytes.append(12)
      case UInt8(ascii: "v"): bytes.append(11)
      default: bytes.append(next)
      }
      position += 2
    }
  }

  private static let tab = UInt8(ascii: "\t")
  private static let newline = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let backslash = UInt8(ascii: "\\")
}
