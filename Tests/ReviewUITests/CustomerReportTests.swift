import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The report `w` writes for the customer (issue 12, item 2): one entry per
/// person in the SIS's column names, checked against golden files for an
/// SDS v1 Student.csv read through the sds-v1-students preset.
@Suite struct CustomerReportTests {
  static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Goldens/reports")

  static let rows = [
    "SIS ID,School SIS ID,First Name,Last Name,Username,Password,State ID,Secondary Email,Student Number,"
      + "Middle Name,Grade,Status,Birthdate,Graduation Year",
    "1001,S1,Ana,Ruiz,ana@x.org,,,,,,6,Active,,",  // 2 update
    "040332,S1,Chloe,Brown,chloe.brown@x.org,,,,,,5,Gone,,",  // 3 E023 status
    "2010,S9,Dan,Far,dan@x.org,,,,,,4,Active,,",  // 4 E040 building
    "2011,S1,Eve,Mail,eve.mail@@x.org,,,,,,4,Active,,",  // 5 E021 email
    "2012,S1,Finn,Grade,finn@x.org,,,,,,Z,Active,,",  // 6 E024 grade
    "2013,S2,Gus,Twin,gus@x.org,,,,,,3,Active,,",  // 7 E030 with line 8
    "2013,S2,Hal,Twin,hal@x.org,,,,,,3,Active,,",  // 8 E030 with line 7
  ]

  static func fixture() throws -> ReviewFixture {
    let preset = try #require(MappingPreset.named("sds-v1-students"))
    return try ReviewFixture(rows: rows, mapping: preset.mapping, exportName: "Student.csv")
  }

  /// Writes the report through the review screen's key and returns its two
  /// files, the scratch folder written as `FOLDER`.
  static func write(_ fixture: ReviewFixture, key: Character, name: String) throws -> (text: String, csv: String) {
    let base = fixture.folder.appendingPathComponent(name).path
    fixture.press(.character(key), .control("u"))
    fixture.type(base)
    fixture.press(.enter)
    #expect(fixture.app.state.message?.text == "Report written: \(base).txt, \(base).csv")
    let folder = fixture.folder.path
    return (
      try String(contentsOfFile: base + ".txt", encoding: .utf8).replacingOccurrences(of: folder, with: "FOLDER"),
      try String(contentsOfFile: base + ".csv", encoding: .utf8).replacingOccurrences(of: folder, with: "FOLDER")
    )
  }

  static func expectGolden(_ actual: String, _ name: String) throws {
    let url = goldens.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["SIS_SYNC_RECORD_GOLDENS"] == "1" {
      try Data(actual.utf8).write(to: url)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "differs from Tests/Goldens/reports/\(name); re-record with SIS_SYNC_RECORD_GOLDENS=1")
  }

  @Test func theCustomerReportHasOneEntryPerPersonInTheSISWords() throws {
    let fixture = try Self.fixture()
    let report = try Self.write(fixture, key: "w", name: "customer")
    try Self.expectGolden(report.text, "sds-v1-customer-report.txt")
    try Self.expectGolden(report.csv, "sds-v1-customer-report.csv")
    // The SIS's column, its value, what to set it to, in plain words.
    #expect(
      report.text.contains(
        "In your SIS, open Chloe Brown (040332) and change Status from \"Gone\" to Active or Disabled. [E023]"))
    #expect(report.text.contains("change School SIS ID from \"S9\""))
    #expect(report.text.contains("Username"))
    // Chloe is one entry, not one line per finding code.
    #expect(report.text.components(separatedBy: "\nChloe Brown (040332), line 3\n").count == 2)
  }

  @Test func capitalWWritesTheReportRedactedAsRedactDoes() throws {
    let fixture = try Self.fixture()
    let report = try Self.write(fixture, key: "W", name: "customer-redacted")
    for personal in ["Chloe", "Brown", "eve.mail", "Finn"] {
      #expect(!report.text.contains(personal), "\(personal) in the text")
      #expect(!report.csv.contains(personal), "\(personal) in the CSV")
    }
    #expect(report.text.contains("C… B… (040332), line 3"))
    #expect(report.text.contains("e…@@x.org") || report.text.contains("e…@x.org"))
    #expect(report.text.contains("Names and emails are masked"))
  }

  @Test func findingsNameTheSISColumnBesideOurs() throws {
    let fixture = try Self.fixture()
    let validation = fixture.app.model.livePlan.validation
    let finding = try #require(fixture.app.model.livePlan.plan().findings.first { $0.code == .invalidStatus })
    #expect(validation.sourceColumn(of: finding) == "Status")
    #expect(validation.columnName(of: finding) == "status (SIS: Status)")
    var json = JSONWriter()
    var only = validation
    only.findings = [finding]
    ValidationReport.writeFindings(only, into: &json)
    #expect(json.output.contains("\"source_column\":\"Status\""))
    #expect(ValidationReport.text(only).contains("line 3, status (SIS: Status): "))
  }
}

/// The commit's outcome names the directory the screen was opened on, so
/// its hint works when pasted (issue 12, item 6).
@Suite struct CommitHintTests {
  @Test func theCommitHintNamesTheDirectoryOption() throws {
    let fixture = try ReviewFixture()
    fixture.app.model.directoryOption = "/srv/district files/directory.sqlite"
    fixture.press(.character("c"), .character("y"))
    guard case .result(_, let lines, false) = fixture.app.state.modal else {
      Issue.record("no commit result: \(String(describing: fixture.app.state.modal))")
      return
    }
    #expect(
      lines.contains(
        "See it with: sis-sync show 2 --directory '/srv/district files/directory.sqlite'; "
          + "undo it with: sis-sync revert 2 --directory '/srv/district files/directory.sqlite'"))
  }
}
