import Testing

@testable import ExportReading

@Suite struct DuplicateFinderTests {
  private static func finders(_ halves: [[String]], foldsCase: Bool) -> [DuplicateFinder] {
    halves.map { keys in
      var finder = DuplicateFinder(foldsCase: foldsCase)
      for (row, key) in keys.enumerated() {
        Array(key.utf8).withUnsafeBufferPointer { finder.add($0, row: row) }
      }
      return finder
    }
  }

  /// Groups span both halves in file order, ordered by first occurrence;
  /// emails compare without case.
  @Test func groupsAcrossHalvesInFileOrder() {
    let halves = [["b@x.org", "a@x.org", "c@x.org", "B@X.org"], ["A@x.ORG", "d@x.org", "b@x.org"]]
    let groups = DuplicateFinder.duplicateGroups(Self.finders(halves, foldsCase: true))
    typealias At = DuplicateFinder.Occurrence
    #expect(
      groups == [
        [At(part: 0, entry: 0), At(part: 0, entry: 3), At(part: 1, entry: 2)],
        [At(part: 0, entry: 1), At(part: 1, entry: 0)],
      ])
    #expect(DuplicateFinder.duplicateGroups(Self.finders(halves, foldsCase: false)).count == 1)
  }

  /// Halves sorted where they were read (`sortEntries`) give the same
  /// groups as halves sorted at the end, on random keys with many repeats.
  @Test func sortingEachHalfEarlyChangesNothing() {
    var state: UInt64 = 0xD0B1E
    func random(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for foldsCase in [false, true] {
      let halves = (0..<2).map { _ in (0..<3_000).map { _ in (random(2) == 0 ? "K" : "k") + "\(random(2_000))" } }
      let late = DuplicateFinder.duplicateGroups(Self.finders(halves, foldsCase: foldsCase))
      let early = Self.finders(halves, foldsCase: foldsCase)
      for finder in early { finder.sortEntries() }
      #expect(DuplicateFinder.duplicateGroups(early) == late)
      #expect(
        DuplicateFinder.duplicateGroups([early[0]])
          == DuplicateFinder.duplicateGroups([Self.finders(halves, foldsCase: foldsCase)[0]]))
      #expect(!late.isEmpty)
    }
  }
}
