#if arch(x86_64)
  import CEmailScan
#endif

/// The common email, checked eight bytes at a time (sixteen on x86-64,
/// `CEmailScan`): at most 64 bytes of
/// ASCII letters, digits, dots and one `@`. Such an address is valid when
/// its dots and `@` sit right (none first or last, no two side by side, a
/// dot in the domain); the rules of `ValueRules.isValidEmail` say nothing
/// more about it. Anything else (hyphens, `+`, longer addresses) is left
/// to the byte loop.
enum EmailWords {
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let high: UInt64 = 0x8080_8080_8080_8080

  /// True or false for a common email, nil when the byte loop must decide.
  @inline(__always)
  static func verdict(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
    let count = bytes.count
    guard let base = bytes.baseAddress, count > 0, count <= 64 else { return nil }
    // One bit a byte: dots, `@`s, and the bytes allowed here at all.
    var dots: UInt64 = 0
    var ats: UInt64 = 0
    var allowed: UInt64 = 0
    #if arch(x86_64)
      if count >= 16 {
        sis_email_classes(base, count, &dots, &ats, &allowed)
      } else {
        (dots, ats, allowed) = classes(base, count: count)
      }
    #else
      (dots, ats, allowed) = classes(base, count: count)
    #endif
    let all: UInt64 = count == 64 ? ~0 : (1 &<< UInt64(count)) &- 1
    guard allowed == all else { return nil }
    // Exactly one `@`, with a local part before it and a domain after it;
    // no dot first, last, beside another or beside the `@`; a dot in the
    // domain.
    guard ats.nonzeroBitCount == 1 else { return false }
    let at = ats.trailingZeroBitCount
    guard at > 0, at < count - 1 else { return false }
    let last: UInt64 = 1 &<< UInt64(count - 1)
    let domain = all & ~((ats &<< 1) &- 1)
    return dots & 1 == 0 && dots & last == 0 && dots & (dots &>> 1) == 0 && dots & (ats &>> 1 | ats &<< 1) == 0
      && dots & domain != 0
  }

  /// The dots, `@`s and allowed bytes of `base[0..<count]` (at most 64),
  /// one bit a byte, eight bytes at a time (`sis_email_classes` in
  /// CEmailScan.h does sixteen on x86-64).
  @inline(__always)
  static func classes(_ base: UnsafePointer<UInt8>, count: Int) -> (dots: UInt64, ats: UInt64, allowed: UInt64) {
    // Up to 64 bytes in eight zeroed words (zero is in no class: the bytes
    // past the end never pass for letters or dots).
    var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    var dots: UInt64 = 0
    var ats: UInt64 = 0
    var allowed: UInt64 = 0
    withUnsafeMutableBytes(of: &words) { storage in
      storage.copyMemory(from: UnsafeRawBufferPointer(start: base, count: count))
      var offset = 0
      var shift: UInt64 = 0
      while offset < count {
        let word = storage.load(fromByteOffset: offset, as: UInt64.self)
        let dot = equalBytes(word, UInt64(UInt8(ascii: ".")) &* ones)
        let at = equalBytes(word, UInt64(UInt8(ascii: "@")) &* ones)
        // For ASCII bytes (no carry crosses a byte below 0x80): the high
        // bit of `x + (0x80 - low)` says x >= low, that of
        // `x + (0x7F - high)` says x > high.
        let folded = word | (0x20 &* ones)
        let letter = (folded &+ (0x80 - 0x61) &* ones) & ~(folded &+ (0x7F - 0x7A) &* ones)
        let digit = (word &+ (0x80 - 0x30) &* ones) & ~(word &+ (0x7F - 0x39) &* ones)
        let ascii = ~word
        dots |= bitPerByte(dot) &<< shift
        ats |= bitPerByte(at) &<< shift
        allowed |= bitPerByte((dot | at | ((letter | digit) & ascii)) & high) &<< shift
        offset += 8
        shift += 8
      }
    }
    return (dots, ats, allowed)
  }

  /// High bit set in exactly the bytes of `word` equal to the byte
  /// repeated in `pattern`.
  @inline(__always)
  private static func equalBytes(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let x = word ^ pattern
    return ~(((x & low7) &+ low7) | x | low7) & high
  }

  /// The high bits of a word's bytes gathered into its low eight bits
  /// (byte i's into bit i).
  @inline(__always)
  private static func bitPerByte(_ highBits: UInt64) -> UInt64 {
    ((highBits &>> 7) &* 0x0102_0408_1020_4080) &>> 56
  }
}
