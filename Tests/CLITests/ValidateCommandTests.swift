import Foundation
import Testing

@Suite struct ValidateCommandTests {
  @Test func cleanExportExitsZero() throws {
    let scratch = try ScratchFolder()
    let path = try scratch.write("ok.csv", exportHeader + "\nAna,,Ruiz,ana@x.org,1,S1,Student,,5,Active\n")
    let result = try SisSyncProcess.run(["validate", path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("1 row, 0 with errors, 1 valid"))
    #expect(result.stdout.contains("I008"))
  }

  @Test func rowErrorsExitOneAndJSONFollowsTheContract() throws {
    let scratch = try ScratchFolder()
    let path = try scratch.write(
      "bad.csv",
      exportHeader + "\nAna,,Ruiz,ana@x.org,1,S1,Student,,5,Active\nBo,,Li,not-an-email,2,S1,Teacher,,,Active\n")
    let result = try SisSyncProcess.run(["validate", path, "--format", "json"])
    #expect(result.status == 1)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["rows"] as? Int == 2)
    let summary = try #require(json["summary"] as? [String: Any])
    #expect(summary["errors"] as? Int == 1)
    #expect(summary["warnings"] as? Int == 0)
    #expect(summary["rows_with_errors"] as? Int == 1)
    let findings = try #require(json["findings"] as? [[String: Any]])
    let email = try #require(findings.first { $0["code"] as? String == "E021" })
    #expect(email["severity"] as? String == "error")
    #expect(email["line"] as? Int == 3)
    #expect(email["column"] as? String == "email")
    #expect(email["value"] as? String == "not-an-email")
    #expect((email["message"] as? String)?.isEmpty == false)
    let skipped = try #require(findings.first { $0["code"] as? String == "I008" })
    #expect(skipped["line"] is NSNull)
  }

  /// With a directory (the option or $SIS_SYNC_DIRECTORY) the checks that
  /// need it run too: an unknown building, an email another account has;
  /// without one they are skipped and I008 says so.
  @Test func withADirectoryTheDirectoryChecksRun() throws {
    let setup = try SyncCommandTests.Setup(accounts: 2, creates: 0)
    let export = try setup.scratch.write(
      "checked.csv",
      [
        exportHeader, "Ana,,Ruiz,a1@x.org,300001,S1,Student,,5,Active",  // A1's email
        "Bo,,Li,bo@x.org,300002,S9,Student,,5,Active",  // no such building
        "Cy,,Ng,cy@x.org,300003,S1,Student,,5,Active",
      ].joined(separator: "\n") + "\n")
    func codes(_ output: SisSyncProcess.Output) throws -> [String] {
      let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
      return try #require(json["findings"] as? [[String: Any]]).compactMap { $0["code"] as? String }
    }
    let checked = try SisSyncProcess.run(["validate", export, "--directory", setup.directory, "--format", "json"])
    #expect(checked.status == 1, "\(checked.stderr)")
    #expect(try codes(checked).sorted() == ["E040", "E041"])
    #expect(checked.stdout.contains("\"rows_with_errors\":2"))
    let fromEnvironment = try SisSyncProcess.run(
      ["validate", export, "--format", "json"], environment: ["SIS_SYNC_DIRECTORY": setup.directory])
    #expect(try codes(fromEnvironment).sorted() == ["E040", "E041"])
    let unchecked = try SisSyncProcess.run(
      ["validate", export, "--format", "json"], environment: ["SIS_SYNC_DIRECTORY": ""])
    #expect(unchecked.status == 0)
    #expect(try codes(unchecked) == ["I008"])
  }

  @Test func unusableExportExitsTwo() throws {
    let scratch = try ScratchFolder()
    let empty = try scratch.write("empty.csv", "")
    let result = try SisSyncProcess.run(["validate", empty])
    #expect(result.status == 2)
    #expect(result.stdout.contains("E001"))
    let missing = try SisSyncProcess.run(["validate", scratch.url.appendingPathComponent("nope.csv").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.csv"))
    #expect(missing.stderr.contains("No such file"))
  }

  @Test func invalidMappingExitsThreeWithLineAndColumn() throws {
    let scratch = try ScratchFolder()
    let export = try scratch.write("e.csv", exportHeader + "\n")
    let mapping = try scratch.write("m.map", "[grade]\nvalue 0 = Kinder\n")
    let result = try SisSyncProcess.run(["validate", export, "--mapping", mapping])
    #expect(result.status == 3)
    #expect(result.stderr.contains("m.map:2:11: 'Kinder' is not a valid grade"))
  }

  @Test func csvReportGuardsAgainstSpreadsheetFormulas() throws {
    let scratch = try ScratchFolder()
    let path = try scratch.write(
      "f.csv", exportHeader + "\n=HYPERLINK(\"x\"),,Ruiz,ana@x.org,1,S1,Wizard,,,Active\n")
    let report = scratch.url.appendingPathComponent("report.csv").path
    let result = try SisSyncProcess.run(["validate", path, "--format", "csv", "--output", report])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let text = try String(contentsOfFile: report, encoding: .utf8)
    #expect(text.hasPrefix("line,column,field,code,severity,value,message,suggestion,source_column\r\n"))
    #expect(text.contains("2,user_type,7,E022,error,Wizard,"))
    let attributes = try FileManager.default.attributesOfItem(atPath: report)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test func usageErrorsExit64() throws {
    let result = try SisSyncProcess.run(["validate"])
    #expect(result.status == 64)
    let badFormat = try SisSyncProcess.run(["validate", "x.csv", "--format", "xml"])
    #expect(badFormat.status == 64)
  }

  @Test func explainPrintsTheLongTextAndRejectsUnknownCodes() throws {
    let known = try SisSyncProcess.run(["explain", "e030"])
    #expect(known.status == 0)
    #expect(known.stdout.hasPrefix("E030 duplicate-custom-id (error)"))
    #expect(known.stdout.contains("How to fix it at the source:"))
    let byName = try SisSyncProcess.run(["explain", "missing-header"])
    #expect(byName.stdout.hasPrefix("E003"))
    let unknown = try SisSyncProcess.run(["explain", "E999"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("no finding code 'E999'"))
    let list = try SisSyncProcess.run(["explain"])
    #expect(list.stdout.split(separator: "\n").count > 20)
  }
}
