import Foundation
import SampleFiles
import Testing

/// Issue 11's acceptance: every OneRoster and SDS file, real (`../shared/
/// testdata`, other projects' published samples, read in place) or ours
/// (`Fixtures/presets`), plans with `--mapping auto` — or, where a value is
/// truly absent from the file, a mapping of at most three lines — against a
/// directory made by `directory import` from the file's own orgs/School
/// file: no file-level error, every data row accounted for, and the counts
/// of each category as recorded here.
@Suite struct RealFileAcceptanceTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let export: String
    let organizations: String
    /// A mapping file's lines, when `auto` cannot know a value (an email
    /// domain); nil for `--mapping auto`.
    var mapping: [String]?
    /// rows (read), skipped by the mapping, create, rows with errors,
    /// skipped (nothing to do).
    let counts: [Int]
    /// Finding codes and how many of each.
    let codes: [String: Int]

    var testDescription: String { export }
  }

  static let sdsV1Email = ["extends = sds-v1-students", "[email]", "template = {Username}@classrmtest31.org"]
  static let sdsV1TeacherEmail = ["extends = sds-v1-teachers", "[email]", "template = {Username}@classrmtest31.org"]
  /// The OAT samples have usernames but no email at all.
  static let generatedEmail = ["extends = oneroster-1.1", "[email]", "generate = {username}@oat.example.org"]

  static let realFiles: [Case] = [
    Case(
      export: "moodle-enrol-oneroster/v1p1/users.csv", organizations: "moodle-enrol-oneroster/v1p1/orgs.csv",
      counts: [5, 1, 5, 0, 0], codes: ["I028": 1, "I045": 1]),
    Case(
      export: "moodle-enrol-oneroster/v1p2/users.csv", organizations: "moodle-enrol-oneroster/v1p2/orgs.csv",
      counts: [6, 0, 6, 0, 0], codes: ["I028": 1]),
    Case(
      export: "oat-oneroster-import/v1p0/users.csv", organizations: "oat-oneroster-import/v1p0/orgs.csv",
      mapping: generatedEmail, counts: [2, 0, 2, 0, 0], codes: ["W054": 2]),
    Case(
      export: "oat-oneroster-import/v1p1/users.csv", organizations: "oat-oneroster-import/v1p1/orgs.csv",
      mapping: generatedEmail, counts: [2, 0, 2, 0, 0], codes: ["W054": 2]),
    // Roles 'faculty' and 'Professor', grade 'PS1': real values no preset
    // can know; they are row errors, named.
    Case(
      export: "ms-sds/v2/users.csv", organizations: "ms-sds/v2/orgs.csv",
      counts: [28, 1, 17, 11, 0], codes: ["E022": 3, "E024": 8, "I028": 1, "I045": 1]),
    Case(
      export: "ms-sds/v2.1/users.csv", organizations: "ms-sds/v2.1/orgs.csv",
      counts: [8, 0, 4, 4, 0], codes: ["E020": 4, "E022": 1, "E024": 1, "W048": 2, "I028": 1]),
    Case(
      export: "ms-sds/v1-100users/Student.csv", organizations: "ms-sds/v1-100users/School.csv",
      mapping: sdsV1Email, counts: [86, 0, 86, 0, 0], codes: [:]),
    Case(
      export: "ms-sds/v1-100users/Teacher.csv", organizations: "ms-sds/v1-100users/School.csv",
      mapping: sdsV1TeacherEmail, counts: [12, 0, 12, 0, 0], codes: [:]),
    // The UK variant has no School.csv; its DfE numbers are v1's School SIS IDs.
    Case(
      export: "ms-sds/uk-100users/Student.csv", organizations: "ms-sds/v1-100users/School.csv",
      mapping: sdsV1Email, counts: [86, 0, 86, 0, 0], codes: [:]),
  ]

  static let fixtureFiles: [Case] = [
    Case(
      export: "oneroster-1.1/users.csv", organizations: "oneroster-1.1/orgs.csv", counts: [27, 5, 23, 1, 3],
      codes: ["E024": 1, "I028": 1, "I043": 1, "I045": 5, "I046": 2]),
    Case(
      export: "oneroster-1.1-large/users.csv", organizations: "oneroster-1.1-large/orgs.csv",
      counts: [3880, 120, 3756, 56, 68],
      codes: ["E021": 24, "E030": 32, "I028": 1, "I043": 1, "I045": 5, "I046": 2]),
    Case(
      export: "oneroster-1.1-vendor-a/users.csv", organizations: "oneroster-1.1-vendor-a/orgs.csv",
      counts: [7, 1, 5, 0, 2], codes: ["I028": 1, "I043": 1, "I045": 1, "I046": 1]),
    Case(
      export: "oneroster-1.1-vendor-b/users.csv", organizations: "oneroster-1.1-vendor-b/orgs.csv",
      counts: [3, 1, 3, 0, 0], codes: ["I045": 1]),
    Case(
      export: "oneroster-1.2/users.csv", organizations: "oneroster-1.2/orgs.csv", counts: [19, 3, 17, 0, 2],
      codes: ["I043": 1, "I045": 3, "I046": 1]),
    Case(
      export: "infinite-campus/users.csv", organizations: "infinite-campus/orgs.csv", counts: [18, 3, 16, 2, 0],
      codes: ["E031": 2, "I045": 2, "I046": 1]),
    Case(
      export: "sds-v1/Student.csv", organizations: "sds-v1/School.csv", counts: [18, 0, 16, 0, 2],
      codes: ["I043": 1]),
    Case(
      export: "sds-v1/Teacher.csv", organizations: "sds-v1/School.csv", counts: [15, 1, 14, 0, 1],
      codes: ["I043": 1, "I058": 1]),
    Case(
      export: "sds-v2.1/users.csv", organizations: "sds-v2.1/orgs.csv", counts: [20, 0, 19, 1, 0],
      codes: ["E020": 2, "W048": 1]),
    Case(
      export: "clever/students.csv", organizations: "clever/schools.csv", counts: [22, 0, 20, 2, 0],
      codes: ["E020": 1, "E024": 1]),
    Case(
      export: "clever/teachers.csv", organizations: "clever/schools.csv", counts: [15, 0, 15, 0, 0], codes: [:]),
    Case(
      export: "powerschool/students.csv", organizations: "powerschool/organizations.csv",
      counts: [21, 0, 17, 2, 2], codes: ["E020": 1, "E040": 1, "I043": 1]),
    Case(
      export: "powerschool/staff.csv", organizations: "powerschool/organizations.csv", counts: [16, 1, 15, 0, 1],
      codes: ["I043": 1, "I058": 1]),
  ]

  @Test(
    .enabled(if: SampleFiles.realWorld != nil, "../shared/testdata is not on this machine"), arguments: realFiles)
  func realFilePlansWithEveryRowAccountedFor(_ sample: Case) throws {
    let folder = try #require(SampleFiles.realWorld)
    try check(sample, in: folder)
  }

  @Test(arguments: fixtureFiles)
  func fixtureFilePlansWithEveryRowAccountedFor(_ sample: Case) throws {
    try check(sample, in: SampleFiles.presets)
  }

  /// Every OneRoster/SDS users, Student and Teacher file of the real
  /// samples has a case above: a new sample cannot be left out.
  @Test(.enabled(if: SampleFiles.realWorld != nil, "../shared/testdata is not on this machine"))
  func everyRealOneRosterAndSDSFileHasACase() throws {
    let folder = try #require(SampleFiles.realWorld)
    let files = try #require(FileManager.default.subpaths(atPath: folder.path)).filter {
      ($0.hasPrefix("ms-sds/") || $0.contains("oneroster"))
        && ["users.csv", "Student.csv", "Teacher.csv"].contains(($0 as NSString).lastPathComponent)
    }
    #expect(Set(files) == Set(Self.realFiles.map(\.export)))
  }

  private func check(_ sample: Case, in folder: URL) throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("directory.sqlite").path
    let accounts = try scratch.write("accounts.csv", exportHeader + "\n")
    let organizations = folder.appendingPathComponent(sample.organizations).path
    let imported = try SisSyncProcess.run([
      "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accounts,
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
    var mapping = "auto"
    if let lines = sample.mapping {
      #expect(lines.count <= 3)
      mapping = try scratch.write("district.map", lines.joined(separator: "\n") + "\n")
    }
    let export = folder.appendingPathComponent(sample.export).path
    let planned = try SisSyncProcess.run([
      "plan", export, "--directory", directory, "--mapping", mapping, "--format", "json",
    ])
    let plan = try #require(
      try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any], "\(planned.stderr)")
    #expect(plan["usable"] as? Bool == true)
    let findings = plan["findings"] as? [[String: Any]] ?? []
    // A file-level error names no row (line null) or the header (line 1).
    let fileLevel = findings.filter {
      $0["severity"] as? String == "error" && [nil, 1].contains($0["line"] as? Int)
    }
    #expect(fileLevel.isEmpty, "\(fileLevel.map { $0["message"] ?? "" })")
    var codes: [String: Int] = [:]
    for finding in findings { codes[finding["code"] as? String ?? "?", default: 0] += 1 }
    #expect(codes == sample.codes)

    let summary = try #require(plan["summary"] as? [String: Int])
    let rows = try #require(plan["rows"] as? Int)
    let leftOut = try #require(plan["skipped_by_mapping"] as? Int)
    let counts = [rows, leftOut, summary["create"] ?? -1, summary["rows_with_errors"] ?? -1, summary["skipped"] ?? -1]
    #expect(counts == sample.counts)
    // Every row read has one outcome, and with the rows the mapping left
    // out they are every data row of the file.
    let outcomes = ["create", "update", "disable", "reactivate", "unchanged", "assign_id", "skipped", "excluded"]
      .reduce(summary["rows_with_errors"] ?? 0) { $0 + (summary[$1] ?? 0) }
    #expect(outcomes == rows)
    let records = try dataRecordCount(export)
    #expect(rows + leftOut == records)
  }

  /// Records after the header, not counting blank lines (none of these
  /// files has a line break inside a quoted field).
  private func dataRecordCount(_ path: String) throws -> Int {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    return lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.contains(where: { $0 != "," }) }
      .count - 1
  }
}
