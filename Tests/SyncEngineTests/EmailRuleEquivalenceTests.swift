import Testing

@testable import ExportReading

/// The email rule as it was written before the table-driven version: the
/// reference the faster one must agree with on every input.
private enum ReferenceEmailRule {
  static func isValidEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
    let localLength = at
    guard localLength > 0, localLength <= 64 else { return false }
    var previous: UInt8 = UInt8(ascii: ".")
    for index in 0..<at {
      let byte = bytes[index]
      guard ValueRules.localPartLow.isSet(byte, high: ValueRules.localPartHigh) else { return false }
      if byte == UInt8(ascii: ".") && previous == UInt8(ascii: ".") { return false }
      previous = byte
    }
    if previous == UInt8(ascii: ".") { return false }
    // Domain: at least two labels of letters, digits and inner hyphens.
    var labels = 0
    var labelLength = 0
    var lastByte: UInt8 = 0
    var index = at + 1
    guard index < bytes.count else { return false }
    while index <= bytes.count {
      let byte = index < bytes.count ? bytes[index] : UInt8(ascii: ".")
      if byte == UInt8(ascii: ".") {
        guard labelLength > 0, labelLength <= 63, lastByte != UInt8(ascii: "-") else { return false }
        labels += 1
        labelLength = 0
      } else {
        guard isAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
        if labelLength == 0 && byte == UInt8(ascii: "-") { return false }
        labelLength += 1
      }
      lastByte = byte
      index += 1
    }
    return labels >= 2
  }
}

extension UInt64 {
  /// Whether `byte` is in the 128-bit set made of `self` (0–63) and `high` (64–127).
  fileprivate func isSet(_ byte: UInt8, high: UInt64) -> Bool {
    if byte < 64 { return (self >> UInt64(byte)) & 1 == 1 }
    if byte < 128 { return (high >> UInt64(byte - 64)) & 1 == 1 }
    return false
  }
}

@Suite struct EmailRuleEquivalenceTests {
  /// Random strings of the bytes the rule cares about (letters, digits,
  /// dots, hyphens, `@`, the local part's symbols, spaces, UTF-8) get the
  /// same answer from both versions, valid and invalid alike.
  @Test func agreesWithTheReferenceRule() {
    var state: UInt64 = 0x5EED
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let pieces: [[UInt8]] = [
      Array("a".utf8), Array("Z".utf8), Array("7".utf8), Array(".".utf8), Array("-".utf8), Array("@".utf8),
      Array("+".utf8), Array("_".utf8), Array(" ".utf8), Array("é".utf8), Array("k12".utf8), Array("example".utf8),
      Array(".org".utf8), Array("~".utf8), Array("(".utf8),
    ]
    var valid = 0
    for _ in 0..<20_000 {
      func part() -> [UInt8] { (0...random(3)).flatMap { _ in pieces[random(pieces.count)] } }
      // Half shaped like an address (mostly valid), half anything.
      var email = random(2) == 0 ? Array("ab".utf8) + part() + [0x40] + part() + Array(".org".utf8) : part() + part()
      if random(3) == 0 { email = Array("x.y".utf8) + email }
      email.withUnsafeBufferPointer { bytes in
        let expected = ReferenceEmailRule.isValidEmail(bytes)
        #expect(ValueRules.isValidEmail(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        if expected { valid += 1 }
      }
    }
    // Long labels and parts: the length limits.
    for (local, label) in [(64, 63), (65, 63), (64, 64), (1, 1)] {
      let email = Array((String(repeating: "a", count: local) + "@" + String(repeating: "b", count: label) + ".c").utf8)
      email.withUnsafeBufferPointer { #expect(ValueRules.isValidEmail($0) == ReferenceEmailRule.isValidEmail($0)) }
    }
    #expect(valid > 100)
  }

  /// Addresses of letters, digits, dots and `@` only, up to and past 64
  /// bytes (those `EmailWords` checks eight bytes at a time): the same
  /// answer as the byte loop and the reference, wherever the dots and `@`
  /// fall, and whatever bytes follow the address in memory.
  @Test func wordAtATimeAgreesWithTheByteLoop() {
    var state: UInt64 = 0xE3A1
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let alphabet = Array("aZ7.@".utf8)
    var valid = 0
    var invalid = 0
    for round in 0..<30_000 {
      let length = 1 + random(70)
      var email = (0..<length).map { _ in random(4) == 0 ? alphabet[3 + random(2)] : alphabet[random(3)] }
      if round % 2 == 0 {
        // Mostly well shaped: one `@`, a dot in the domain.
        email = email.map { $0 == 0x40 ? UInt8(ascii: "b") : $0 }
        email[random(max(length - 2, 1))] = 0x40
        email += Array(".org".utf8)
      }
      // Junk after the address must not count (a field is followed by more
      // of its record).
      let padded = email + Array("@.@.".utf8)
      padded.withUnsafeBufferPointer { whole in
        let bytes = UnsafeBufferPointer(rebasing: whole[0..<email.count])
        let expected = ReferenceEmailRule.isValidEmail(bytes)
        #expect(ValueRules.isValidEmail(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        #expect(ValueRules.isValidEmailByteByByte(bytes) == expected)
        if expected { valid += 1 } else { invalid += 1 }
      }
    }
    #expect(valid > 1_000 && invalid > 1_000)
  }

  /// Bytes on each side of every class's bounds (`/0 9:`, `@A Z[`, `` `a z{ ``,
  /// DEL, 0x80, 0xE9) in addresses of 1–70 bytes: `EmailWords` (sixteen
  /// bytes at a time on x86-64, eight elsewhere) classifies each as the
  /// reference does, wherever it falls in the address.
  @Test func everyClassBoundAgreesWithTheReference() {
    var state: UInt64 = 0x5EED
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let bounds: [UInt8] = [
      0x2F, 0x30, 0x39, 0x3A, 0x3F, 0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x7F, 0x80, 0xE9,
    ]
    var valid = 0
    var differentByOne = 0
    for _ in 0..<40_000 {
      // A valid address, then one byte swapped for a bound (or none).
      let local = 1 + random(30)
      let domain = 1 + random(30)
      var email = (0..<local).map { _ in UInt8(ascii: "a") + UInt8(random(26)) } + [0x40]
      email += (0..<domain).map { _ in UInt8(ascii: "0") + UInt8(random(10)) } + Array(".org".utf8)
      if random(4) != 0 {
        email[random(email.count)] = bounds[random(bounds.count)]
        differentByOne += 1
      }
      let padded = email + Array("@.@.".utf8)
      padded.withUnsafeBufferPointer { whole in
        let bytes = UnsafeBufferPointer(rebasing: whole[0..<email.count])
        let expected = ReferenceEmailRule.isValidEmail(bytes)
        #expect(ValueRules.isValidEmail(bytes) == expected, "\(Array(bytes))")
        if expected { valid += 1 }
      }
    }
    #expect(valid > 1_000 && differentByOne > 20_000)
  }
}
