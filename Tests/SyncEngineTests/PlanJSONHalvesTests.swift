import Foundation
import Testing

@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// A plan's many changes are written to JSON in two halves at once, the
/// second by a writer of its own on another core: the bytes must be those
/// of one writer, whether kept or streamed in pieces.
@Suite struct PlanJSONHalvesTests {
  @Test func changesWrittenInHalvesAreTheBytesOfOneWriter() throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts)
    // 301 changes: the first two rows update, the rest are new people.
    let rows =
      Array(ApplyTests.rows.prefix(2))
      + (0..<299).map { "New\($0),,Kid,new\($0)@x.org,\(5000 + $0),S1,Student,,3,Active" }
    let plan = try fixture.plan(rows)
    #expect(plan.changes.count == 301)

    func written(inHalvesFrom threshold: Int, sink: (([UInt8]) -> Void)?) -> String {
      var json = JSONWriter()
      json.beginArray()
      PlanReport.writeChanges(plan, into: &json, flushingTo: sink, inHalvesFrom: threshold)
      json.endArray()
      return json.output
    }
    let one = written(inHalvesFrom: .max, sink: nil)
    #expect(written(inHalvesFrom: 0, sink: nil) == one)
    // Streamed: the pieces handed on, then what is left.
    var pieces: [[UInt8]] = []
    let rest = written(inHalvesFrom: 0) { pieces.append($0) }
    #expect(!pieces.isEmpty)
    #expect(String(decoding: pieces.joined(), as: UTF8.self) + rest == one)
    let parsed = try JSONSerialization.jsonObject(with: Data(one.utf8)) as? [[String: Any]]
    #expect(parsed?.count == 301)
    #expect(parsed?.last?["custom_id"] as? String == "5298")
  }
}
