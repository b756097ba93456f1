import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel

/// Validation checks each row's building ID against the directory and the
/// planner needs its organization: when the planner's map holds exactly
/// the IDs validation checks against, validation looks the ID up there
/// once and hands the planner what it found; otherwise the planner is told
/// nothing was looked up, and looks for itself.
@Suite struct SharedOrganizationLookupTests {
  final class OrganizationPlanner: RowPlanner {
    let organizationKeys: SmallKeyMap?
    var found: [Int: Int?] = [:]
    init(keys: [String: Int]) { organizationKeys = SmallKeyMap(keys) }
    func process(
      line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool,
      lent: UnsafeRawBufferPointer, organization: Int?
    ) {
      found[line] = organization
    }
    func shiftLines(by delta: Int) {}
  }

  private func found(known: Set<String>, keys: [String: Int]) throws -> [Int: Int?] {
    let header =
      "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
    let rows = [
      "Ana,,Lee,a1@x.org,1,S1,Student,,5,Active",  // line 2: known
      "Bo,,Li,b2@x.org,2,S2,Student,,5,Active",  // line 3: known
      "Cy,,Ng,c3@x.org,3,S9,Student,,5,Active",  // line 4: unknown
      "Di,,Oh,d4@x.org,4,,Student,,5,Active",  // line 5: empty, not looked up
      "Ed,,Po,e5@x.org,5,S1,Student,,5",  // line 6: short row, not checked
    ]
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).csv").path
    try Data(([header] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let (_, planners, _) = try ExportValidator.validate(
      file: try RegularFile(path: path),
      options: ValidationOptions(directory: KnownOrganizations(organizationExternalIDs: known)),
      planner: { OrganizationPlanner(keys: keys) })
    return try #require(planners.first).found
  }

  @Test func theSameIDsAreLookedUpOnceAndHandedOn() throws {
    let found = try found(known: ["S1", "S2"], keys: ["S1": 7, "S2": 9])
    #expect(found == [2: 7, 3: 9, 4: -1, 5: nil, 6: nil])
  }

  @Test func otherIDsAreNotShared() throws {
    // Validation knows an ID the planner does not (or the planner one
    // validation does not): nothing is handed on.
    for (known, keys) in [(["S1", "S2", "S3"], ["S1": 7, "S2": 9]), (["S1", "S2"], ["S1": 7, "S3": 9])] {
      let found = try found(known: Set(known), keys: keys)
      #expect(found == [2: nil, 3: nil, 4: nil, 5: nil, 6: nil])
    }
  }
}
