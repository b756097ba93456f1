/// Checking and repairing the text encoding of field bytes.
///
/// Old SIS exports are often Windows-1252. Such bytes are never dropped: the
/// field is decoded as Windows-1252 and the caller reports the line and column.
enum TextDecoding {
  /// True when every byte is below 0x80 (checked eight bytes at a time).
  @inline(__always)
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var index = 0
    let count = bytes.count
    let raw = UnsafeRawPointer(base)
    while index + 8 <= count {
      if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
        return false
      }
      index += 8
    }
    while index < count {
      if base[index] & 0x80 != 0 { return false }
      index += 1
    }
    return true
  }

  /// Whether the bytes are well-formed UTF-8 (no overlongs, no surrogates).
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if isASCII(bytes) { return true }
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  /// Decodes Windows-1252 bytes into UTF-8 bytes. The five code points that
  /// Windows-1252 leaves undefined map to the C1 controls of the same value,
  /// as the WHATWG Encoding Standard does, so no byte is ever lost.
  static func windows1252ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 2)
    for byte in bytes {
      let scalar: Unicode.Scalar =
        (0x80...0x9F).contains(byte)
        ? windows1252High[Int(byte - 0x80)] : Unicode.Scalar(byte)
      output.append(contentsOf: UTF8.encode(scalar)!)
    }
    return output
  }

  private static let windows1252High: [Unicode.Scalar] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ].map { Unicode.Scalar(UInt32($0))! }
}
