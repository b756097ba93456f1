import SyncModel

/// Checking and repairing the text encoding of field bytes.
///
/// Old SIS exports are often Windows-1252. Such bytes are never dropped: the
/// field is decoded as Windows-1252 and the caller reports the line and column.
package enum TextDecoding {
  /// True when every byte is below 0x80 (checked eight bytes at a time).
  @inline(__always)
  package static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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

  /// What a value holds, found eight bytes at a time: bytes of 0x80 and
  /// up (non-ASCII text), and C0 control characters or DEL.
  struct ByteClasses {
    var hasNonASCII = false
    var hasControl = false
  }

  @inline(__always)
  static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteClasses {
    guard let base = bytes.baseAddress else { return ByteClasses() }
    let raw = UnsafeRawPointer(base)
    let high: UInt64 = 0x8080_8080_8080_8080
    let ones: UInt64 = 0x0101_0101_0101_0101
    var nonASCII: UInt64 = 0
    var control: UInt64 = 0
    @inline(__always) func note(_ word: UInt64) {
      nonASCII |= word
      // A byte below 0x20, or equal to 0x7F, sets its high bit here (for
      // bytes below 0x80; non-ASCII words are re-checked byte by byte).
      let delete = word ^ (0x7F * ones)
      control |= ((word &- 0x20 * ones) | (delete &- ones)) & ~word
    }
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
      note(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      index += 8
    }
    if index < count {
      // The last one to seven bytes as one more word (a name is often
      // shorter than eight): the word that ends the value, or, for a
      // shorter value, its bytes packed with plain padding.
      note(
        count >= 8 ? raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) : packedShortValue(raw, count: count)
      )
    }
    var result = ByteClasses(hasNonASCII: nonASCII & high != 0, hasControl: control & high != 0)
    if result.hasNonASCII && result.hasControl {
      // The word trick can misfire beside non-ASCII bytes: check exactly.
      result.hasControl = bytes.contains { $0 < 0x20 || $0 == 0x7F }
    }
    return result
  }

  /// The 1–7 bytes at `raw` in one word, with overlapping loads (a byte may
  /// appear twice) and the rest "a" (0x61: neither a control character nor
  /// non-ASCII, and no borrow starts at it).
  @inline(__always)
  private static func packedShortValue(_ raw: UnsafeRawPointer, count: Int) -> UInt64 {
    if count >= 4 {
      return UInt64(raw.loadUnaligned(as: UInt32.self))
        | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
    }
    let padding: UInt64 = 0x6161_6161_6161_6161
    if count >= 2 {
      return UInt64(raw.loadUnaligned(as: UInt16.self))
        | UInt64(raw.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self)) << 16 | padding << 32
    }
    return UInt64(raw.load(as: UInt8.self)) | padding << 8
  }

  /// Whether the bytes are well-formed UTF-8 (no overlongs, no surrogates,
  /// nothing above U+10FFFF): the sequences of the Unicode Standard's table
  /// 3-7, checked byte by byte past a run of ASCII (the standard library's
  /// decoder, a scalar at a time through an iterator, cost a 100k-row
  /// validate 3.8 M instructions more).
  package static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if isASCII(bytes) { return true }
    let count = bytes.count
    var index = 0
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      // The sequence's length and its second byte's range, by lead byte:
      // E0 and F0 start no overlong, ED no surrogate, F4 nothing past
      // U+10FFFF; 80–C1 and F5–FF start nothing.
      let (length, low, high): (Int, UInt8, UInt8)
      switch lead {
      case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
      case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
      case 0xED: (length, low, high) = (3, 0x80, 0x9F)
      case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
      case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
      case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
      case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
      default: return false
      }
      guard index + length <= count, (low...high).contains(bytes[index + 1]) else { return false }
      for next in index + 2..<index + length where bytes[next] & 0xC0 != 0x80 { return false }
      index += length
    }
    return true
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
