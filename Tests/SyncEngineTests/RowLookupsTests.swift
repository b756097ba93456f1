import Foundation
import Testing

@testable import ExportReading
@testable import SyncDirectory
@testable import SyncModel

/// Validation looks up each row's building ID and hashes its custom_id;
/// the planner needs both. When the planner's map holds exactly the IDs
/// validation checks against, validation looks the building up there and
/// hands on what it found, with the custom_id's hash; otherwise the planner
/// is told nothing was looked up, and looks for itself.
@Suite struct RowLookupsTests {
  final class RecordingPlanner: RowPlanner {
    let organizationKeys: SmallKeyMap?
    var found: [Int: Int?] = [:]
    var hashes: [Int: UInt32?] = [:]
    init(keys: [String: Int]) { organizationKeys = SmallKeyMap(keys) }
    func process(
      line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool,
      lent: UnsafeRawBufferPointer, lookups: RowLookups
    ) {
      found[line] = lookups.organization
      hashes[line] = lookups.customIDHash
    }
    func shiftLines(by delta: Int) {}
  }

  private func recorded(known: Set<String>, keys: [String: Int]) throws -> RecordingPlanner {
    let header =
      "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
    let rows = [
      "Ana,,Lee,a1@x.org,1,S1,Student,,5,Active",  // line 2: known
      "Bo,,Li,b2@x.org,A2,S2,Student,,5,Active",  // line 3: known
      "Cy,,Ng,c3@x.org,3,S9,Student,,5,Active",  // line 4: unknown
      "Di,,Oh,d4@x.org,4,,Student,,5,Active",  // line 5: no building, not looked up
      "Ed,,Po,e5@x.org,5,S1,Student,,5",  // line 6: short row, not checked
    ]
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).csv").path
    try Data(([header] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let (_, planners, _) = try ExportValidator.validate(
      file: try RegularFile(path: path),
      options: ValidationOptions(directory: KnownOrganizations(organizationExternalIDs: known)),
      planner: { RecordingPlanner(keys: keys) })
    return try #require(planners.first)
  }

  private func hash(_ id: String) -> UInt32 {
    Array(id.utf8).withUnsafeBufferPointer { KeyHash.hash($0, foldingCase: false) }
  }

  @Test func theSameIDsAreLookedUpOnceAndHandedOn() throws {
    let planner = try recorded(known: ["S1", "S2"], keys: ["S1": 7, "S2": 9])
    #expect(planner.found == [2: 7, 3: 9, 4: -1, 5: nil, 6: nil])
    #expect(planner.hashes == [2: hash("1"), 3: hash("A2"), 4: hash("3"), 5: hash("4"), 6: nil])
  }

  @Test func otherIDsAreNotShared() throws {
    // Validation knows an ID the planner does not (or the planner one
    // validation does not): no building is handed on.
    for (known, keys) in [(["S1", "S2", "S3"], ["S1": 7, "S2": 9]), (["S1", "S2"], ["S1": 7, "S3": 9])] {
      let planner = try recorded(known: Set(known), keys: keys)
      #expect(planner.found == [2: nil, 3: nil, 4: nil, 5: nil, 6: nil])
    }
  }

  /// The hash handed on is the one the directory's custom_id index looks
  /// up by (case kept).
  @Test func theDirectoryHashesCustomIDsAsValidationDoes() throws {
    let fixture = try SyncFixture(accounts: ["Ana,,Lee,a1@x.org,AbC12,S1,Student,,5,Active"])
    let snapshot = try fixture.directory.snapshot()
    for id in ["AbC12", "abc12", "4512", "x"] {
      #expect(Array(id.utf8).withUnsafeBufferPointer { snapshot.customIDHash($0) } == hash(id))
    }
  }
}
