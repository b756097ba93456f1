import Testing

@testable import ExportReading
@testable import SyncPlanning

/// The other rows an ambiguous row's finding names, worked out per list of
/// candidates: the same lines and counts as gathering, for each row, the
/// rows of each of its candidates.
@Suite struct AmbiguousRowLinesTests {
  /// Each row's others through each of its candidates (what
  /// `AmbiguousRowLines` replaces): every line, sorted.
  static func reference(_ matches: [PersonMatch], lines: [Int]) -> [[Int]] {
    var linesOfAccount: [Int: [Int]] = [:]
    for (match, line) in zip(matches, lines) {
      if case .ambiguous(let accounts) = match {
        for account in accounts { linesOfAccount[account, default: []].append(line) }
      }
    }
    return zip(matches, lines).map { match, line in
      guard case .ambiguous(let accounts) = match else { return [] }
      return Set(accounts.flatMap { linesOfAccount[$0] ?? [] }).subtracting([line]).sorted()
    }
  }

  @Test func theSameOthersAsGatheringThemRowByRow() {
    var state: UInt64 = 0xA3B1
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var checked = 0
    for _ in 0..<200 {
      // Name lists shared by their rows (one storage each), copies of them
      // with their own storage, and single accounts (an email or custom_id).
      let names = (0..<(1 + random(4))).map { _ in (0..<(2 + random(4))).map { _ in random(12) } }
      var matches: [PersonMatch] = []
      for _ in 0..<random(60) {
        switch random(5) {
        case 0: matches.append(.none)
        case 1: matches.append(.account(random(12), by: .email))
        case 2: matches.append(.ambiguous([random(12)]))
        case 3: matches.append(.ambiguous(Array(names[random(names.count)][...])))
        default: matches.append(.ambiguous(names[random(names.count)]))
        }
      }
      // Rows in file order: lines ascending, some skipped.
      var lines: [Int] = []
      for _ in matches { lines.append((lines.last ?? 1) + 1 + random(3)) }
      let expected = Self.reference(matches, lines: lines)
      let others = AmbiguousRowLines(matches: matches, lines: lines)
      for row in matches.indices {
        let got = others.others(ofRow: row, line: lines[row])
        #expect(got.first == Array(expected[row].prefix(LineList.cap)) && got.total == expected[row].count)
        checked += expected[row].count > LineList.cap ? 1 : 0
      }
    }
    #expect(checked > 100)
  }
}
