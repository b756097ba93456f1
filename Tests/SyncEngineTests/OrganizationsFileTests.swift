import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
/// Real files written outside this project (../shared/testdata), when present.
private let sharedTestdata = repository.deletingLastPathComponent().appendingPathComponent("shared/testdata")
private let hasSharedTestdata = FileManager.default.fileExists(atPath: sharedTestdata.path)

/// Reading organizations files in each form the SIS writes them.
struct OrganizationsFileTests {
  /// A file's path, the form it must be read as, and its schools and districts.
  struct Sample: Sendable, CustomTestStringConvertible {
    var path: String
    var format: OrganizationsFileFormat
    var schools: Int
    var districts: Int
    var testDescription: String { path }
  }

  static let presetSamples = [
    Sample(path: "Fixtures/presets/infinite-campus/orgs.csv", format: .oneRoster, schools: 3, districts: 1),
    Sample(path: "Fixtures/presets/oneroster-1.1/orgs.csv", format: .oneRoster, schools: 3, districts: 1),
    Sample(path: "Fixtures/presets/oneroster-1.1-large/orgs.csv", format: .oneRoster, schools: 8, districts: 1),
    Sample(path: "Fixtures/presets/oneroster-1.1-large/organizations.csv", format: .plain, schools: 8, districts: 1),
    Sample(path: "Fixtures/presets/oneroster-1.2/orgs.csv", format: .oneRoster, schools: 3, districts: 1),
    Sample(path: "Fixtures/presets/sds-v2.1/orgs.csv", format: .oneRoster, schools: 3, districts: 1),
    Sample(path: "Fixtures/presets/sds-v1/School.csv", format: .schoolDataSync, schools: 3, districts: 0),
    Sample(path: "Fixtures/presets/clever/schools.csv", format: .clever, schools: 3, districts: 0),
    Sample(path: "Fixtures/demo/organizations.csv", format: .plain, schools: 6, districts: 1),
  ]

  static let sharedSamples = [
    // A department is where these users are: it is a school-kind organization.
    Sample(path: "moodle-enrol-oneroster/v1p1/orgs.csv", format: .oneRoster, schools: 1, districts: 0),
    Sample(path: "moodle-enrol-oneroster/v1p2/orgs.csv", format: .oneRoster, schools: 1, districts: 0),
    Sample(path: "ms-sds/v2/orgs.csv", format: .oneRoster, schools: 3, districts: 2),
    Sample(path: "ms-sds/v2.1/orgs.csv", format: .oneRoster, schools: 3, districts: 1),
    Sample(path: "ms-sds/v1-100users/School.csv", format: .schoolDataSync, schools: 2, districts: 0),
    Sample(path: "oat-oneroster-import/v1p0/orgs.csv", format: .oneRoster, schools: 2, districts: 0),
    Sample(path: "oat-oneroster-import/v1p1/orgs.csv", format: .oneRoster, schools: 2, districts: 0),
  ]

  @Test(arguments: presetSamples)
  func readsEachShippedFile(_ sample: Sample) throws {
    try check(sample, path: repository.appendingPathComponent(sample.path).path)
  }

  @Test(.enabled(if: hasSharedTestdata), arguments: sharedSamples)
  func readsEachRealSampleFile(_ sample: Sample) throws {
    try check(sample, path: sharedTestdata.appendingPathComponent(sample.path).path)
  }

  private func check(_ sample: Sample, path: String) throws {
    let file = try OrganizationsFile.read(path: path)
    #expect(file.format == sample.format)
    #expect(file.entries.filter { $0.kind == .school }.count == sample.schools)
    #expect(file.entries.filter { $0.kind == .district }.count == sample.districts)
    #expect(file.entries.allSatisfy { !$0.name.isEmpty })
    if sample.format != .plain { #expect(file.entries.allSatisfy { $0.externalID != nil }) }
    // Into a new directory: a file without a district gets one.
    let imported = ImportedOrganizations(file)
    #expect((imported.addedDistrict != nil) == (sample.districts == 0 && sample.format != .plain))
    #expect(
      imported.organizations.count == sample.schools + max(sample.districts, imported.addedDistrict == nil ? 0 : 1))
  }

  @Test func externalIDsComeFromTheSISColumns() throws {
    let oneRoster = try read(
      "orgs.csv",
      "sourcedId,status,name,type,identifier\nd1,active,Springfield District,district,0617\n"
        + "s1,active,Lincoln Elementary,school,0617001\n")
    #expect(oneRoster.entries.map(\.externalID) == ["d1", "s1"])
    #expect(oneRoster.entries.map(\.kind) == [.district, .school])
    let sds = try read("School.csv", "SIS ID,Name,School Number\n10001,Contoso High School,1\n")
    #expect(
      sds.entries == [OrganizationEntry(externalID: "10001", name: "Contoso High School", kind: .school, line: 2)])
    let clever = try read("schools.csv", "School_id,School_name,Principal_email\n0851,Lakeshore,p@x.org\n")
    #expect(clever.entries.map(\.externalID) == ["0851"])
  }

  @Test func headersAreRecognisedWithoutRegardToCaseAndOrder() throws {
    let file = try read("orgs.csv", "TYPE,Name,sourcedid\nschool,Lincoln,s1\n")
    #expect(file.format == .oneRoster)
    #expect(file.entries.map(\.externalID) == ["s1"])
  }

  @Test func rowsToBeDeletedAreLeftOutAndSaid() throws {
    let file = try read("orgs.csv", "sourcedId,status,name,type\ns1,active,Lincoln,school\ns2,tobedeleted,Old,school\n")
    #expect(file.entries.map(\.externalID) == ["s1"])
    #expect(file.notes.count == 1)
    #expect(file.notes[0].contains(":3:") && file.notes[0].contains("tobedeleted"))
  }

  @Test func anUnknownHeaderSetNamesTheFormatsAndTheClosest() throws {
    let error = try #require(throws: OrganizationsFileError.self) {
      _ = try read("orgs.csv", "sourcedId,name,orgType\ns1,Lincoln,school\n")
    }
    let message = error.description
    #expect(message.contains("orgs.csv:1:1:"))
    #expect(message.contains("OneRoster orgs.csv") && message.contains("SDS v1 School.csv"))
    #expect(message.contains("Clever schools.csv") && message.contains("external_id,name,kind"))
    #expect(message.contains("lacks type"))
  }

  @Test func badRowsAreNamedByLineAndColumn() throws {
    let error = try #require(throws: OrganizationsFileError.self) {
      _ = try read(
        "orgs.csv",
        "sourcedId,name,type\ns1,Lincoln,school\ns2,,school\n,Roosevelt,school\ns4,Adams,campus\ns1,Again,school\n"
          + "s6,Short\n")
    }
    #expect(error.problems.count == 5)
    #expect(error.problems[0].hasSuffix("orgs.csv:3:2: the name is empty"))
    #expect(error.problems[1].hasSuffix("orgs.csv:4:1: sourcedId is empty"))
    #expect(error.problems[2].contains("orgs.csv:5:3: type must be one of"))
    #expect(error.problems[2].contains("'campus'"))
    #expect(error.problems[3].hasSuffix("orgs.csv:6:1: 's1' is already used on line 2"))
    #expect(error.problems[4].hasSuffix("orgs.csv:7:1: expected 3 fields as in the header, found 2"))
  }

  @Test func theKindOfThePlainFormIsChecked() throws {
    let error = try #require(throws: OrganizationsFileError.self) {
      _ = try read("organizations.csv", "external_id,name,kind\nS1,Lincoln,campus\n")
    }
    #expect(error.problems == [error.problems[0]])
    #expect(error.problems[0].hasSuffix("organizations.csv:2:3: kind must be district or school, not 'campus'"))
  }

  @Test func bytesThatAreNotUTF8AreNamed() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: scratch) }
    try Data(Array("SIS ID,Name\n1,Ecole ".utf8) + [0xC9] + Array("lan\n".utf8)).write(to: scratch)
    let error = try #require(throws: OrganizationsFileError.self) { _ = try OrganizationsFile.read(path: scratch.path) }
    #expect(error.problems.count == 1)
    #expect(error.problems[0].contains(":2:2: the value is not UTF-8 text"))
  }

  @Test func aRepeatedHeaderIsRefused() throws {
    let error = try #require(throws: OrganizationsFileError.self) {
      _ = try read("orgs.csv", "sourcedId,name,type,name\ns1,Lincoln,school,\n")
    }
    #expect(error.problems[0].contains("orgs.csv:1:4: the header name appears 2 times"))
  }

  @Test func anEmptyFileIsSaid() throws {
    let error = try #require(throws: OrganizationsFileError.self) { _ = try read("orgs.csv", "") }
    #expect(error.problems[0].hasSuffix("orgs.csv:1:1: the file is empty"))
  }

  private func read(_ name: String, _ text: String) throws -> OrganizationsFile {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orgs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return try OrganizationsFile.read(path: path)
  }
}
