import Testing

@testable import SyncModel

/// The vocabulary match as it was written before the packed-word version:
/// the reference the faster one must agree with on every input.
private func referenceMatch(_ values: [String], _ value: UnsafeBufferPointer<UInt8>) -> VocabularyMatch {
  var caseInsensitive: Int?
  for (index, candidate) in values.map({ Array($0.utf8) }).enumerated() where candidate.count == value.count {
    if candidate.elementsEqual(value) { return .exact(index) }
    if caseInsensitive == nil && candidate.map(asciiLowercase).elementsEqual(value.map(asciiLowercase)) {
      caseInsensitive = index
    }
  }
  return caseInsensitive.map { .caseInsensitive($0) } ?? .none
}

@Suite struct VocabularyMatchEquivalenceTests {
  /// Each canonical value, its case variants, near misses (a byte changed,
  /// added or dropped, non-letters that fold like letters) and random
  /// strings up to 20 bytes get the same answer from both versions.
  @Test func agreesWithTheReference() {
    var state: UInt64 = 0xC0FFEE
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let alphabet = Array("aAdDkKpPrReEsStTuUnN0123456789 @[`{^_-".utf8) + [0xC3, 0xA9, 0x00, 0x7F]
    for values in [Vocabulary.userTypes, Vocabulary.statuses, Vocabulary.grades] {
      let set = VocabularySet(values)
      var inputs: [[UInt8]] = values.map { Array($0.utf8) }
      inputs += values.map { Array($0.uppercased().utf8) } + values.map { Array($0.lowercased().utf8) }
      for _ in 0..<20_000 {
        var bytes = Array(values[random(values.count)].utf8)
        switch random(4) {
        case 0: bytes[random(bytes.count)] = alphabet[random(alphabet.count)]
        case 1: bytes.insert(alphabet[random(alphabet.count)], at: random(bytes.count + 1))
        case 2: bytes.remove(at: random(bytes.count))
        default: bytes = (0..<random(21)).map { _ in alphabet[random(alphabet.count)] }
        }
        if random(2) == 0 { bytes = bytes.map { $0 &- 0x61 < 26 && random(2) == 0 ? $0 - 0x20 : $0 } }
        inputs.append(bytes)
      }
      for input in inputs {
        input.withUnsafeBufferPointer { value in
          #expect(set.match(value) == referenceMatch(values, value), "\(input)")
        }
      }
    }
  }

  @Test func acceptsCanonicalAndCaseVariantsOnly() {
    let set = VocabularySet(Vocabulary.userTypes)
    func match(_ text: String) -> VocabularyMatch { Array(text.utf8).withUnsafeBufferPointer { set.match($0) } }
    #expect(match("Student") == .exact(3))
    #expect(match("sTUDENT") == .caseInsensitive(3))
    #expect(match("Studen") == .none)
    #expect(match("Student ") == .none)
    #expect(match("Administrator-Administrator") == .none)
  }
}
