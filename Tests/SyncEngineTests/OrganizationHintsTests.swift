import Testing

@testable import ExportReading
@testable import SyncModel

/// The hint of an unknown building ID, from an index of the known IDs: the
/// same hint as comparing the ID with every known one.
@Suite struct OrganizationHintsTests {
  /// Every known ID compared in turn (what `OrganizationHints` replaces).
  static func reference(for id: String, known: Set<String>) -> (text: String?, value: String?) {
    let stripped = id.drop(while: { $0 == "0" })
    let zeros = known.filter { $0 != id && !stripped.isEmpty && $0.drop(while: { $0 == "0" }) == stripped }
    if let first = zeros.min() { return ("did you mean '\(first)'? (leading zeros differ)", first) }
    let near = known.filter { isOneEditAway($0, id) }.sorted()
    if near.count == 1 { return ("did you mean '\(near[0])'? (one character differs)", near[0]) }
    if near.count > 1 { return ("close to " + near.map { "'\($0)'" }.joined(separator: ", "), nil) }
    return ("set this external ID on an organization in the directory, or correct it in the SIS", nil)
  }

  @Test func theIndexGivesTheHintOfComparingEveryKnownID() {
    var state: UInt64 = 0x0A11_CE
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    // Few letters, so that near misses, zeros and shared spellings abound.
    let alphabet: [Character] = ["0", "0", "1", "2", "a", "b", "é", "-"]
    func word() -> String { String((0..<random(6)).map { _ in alphabet[random(alphabet.count)] }) }
    var hinted = 0
    var kinds = Set<String>()
    for _ in 0..<300 {
      let known = Set((0..<random(40)).map { _ in word() })
      let hints = OrganizationHints(known: known)
      for _ in 0..<40 {
        let id = word()
        guard !known.contains(id) else { continue }
        let expected = Self.reference(for: id, known: known)
        let got = hints.suggestion(for: id)
        #expect(got.text == expected.text && got.value == expected.value, "\(id) among \(known.sorted())")
        hinted += 1
        let text = expected.text ?? ""
        kinds.insert(
          text.contains("leading zeros") ? "zeros" : text.contains("one character") ? "one" : String(text.prefix(8)))
      }
    }
    // Leading zeros, one character, several close, and none at all all came up.
    #expect(hinted > 5_000 && kinds.count == 4, "\(kinds)")
  }
}
