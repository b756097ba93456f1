import Foundation
import Testing

@testable import SyncModel

/// Runs, pending disables and locks record times as `RunClock.string`
/// writes them, by hand rather than through `ISO8601DateFormatter` (whose
/// first use costs milliseconds): the text must be the formatter's, to the
/// character, or stored times would change form.
@Suite struct RunClockTests {
  private static let edges: [TimeInterval] = [
    0, -1, -0.5, 0.999, 59.999, 86_399.9, 86_400, 951_782_400,  // 2000-02-29
    951_868_799, 1_767_225_599, 1_767_225_600, 1_796_284_235.75,  // 2026-12-03T06:10:35.75
    4_107_542_399, -2_208_988_800,  // 2099-12-31T23:59:59, 1900-01-01
    -62_135_596_800, -12_212_553_601, -12_212_553_600,  // year 1, the Julian calendar's last day, 1583
    253_402_300_799, 253_402_300_800,  // the last second of 9999, and past it
    0.9999, 59.9996, -0.0001, -0.5,  // fractions rounded to the millisecond first
  ]

  @Test(arguments: edges)
  func edgesAreWrittenAsTheFormatterWritesThem(seconds: TimeInterval) {
    let date = Date(timeIntervalSince1970: seconds)
    #expect(RunClock.string(date) == RunClock.formatted(date))
  }

  @Test func timesAcrossTwoCenturiesAreWrittenAsTheFormatterWritesThem() {
    let dates = (0..<20_000).map { _ in Date(timeIntervalSince1970: .random(in: -2_208_988_800..<4_107_542_400)) }
    let differing = dates.filter { RunClock.string($0) != RunClock.formatted($0) }
    #expect(differing.isEmpty, "\(differing.prefix(3).map { ($0.timeIntervalSince1970, RunClock.string($0)) })")
  }

  @Test func writtenTimesParseBackToTheSecond() {
    let date = Date(timeIntervalSince1970: 1_796_284_235.75)
    #expect(RunClock.parse(RunClock.string(date)) == Date(timeIntervalSince1970: 1_796_284_235))
  }
}
