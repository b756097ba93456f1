import Foundation
import SampleFiles
import StoreKinds
import Testing

/// The year-end rollover through the binary (issue 16, items 3 and 4): a
/// generated district of 6,000 students, K–12 in elementary, middle and
/// high schools, and its rollover export planned with --disable-missing.
@Suite(.serialized) struct RolloverCommandTests {
  struct District {
    let scratch: ScratchFolder
    let directory: String
    let files: (organizations: String, schools: String, accounts: String, export: String)
    let generated: RolloverDistrict

    init(store: StoreKind) throws {
      scratch = try ScratchFolder()
      generated = RolloverDistrict()
      files = try generated.write(to: scratch.url)
      directory =
        try store == .postgresql
        ? StoreKind.newPostgreSQLDirectoryURL() : scratch.url.appendingPathComponent("directory.sqlite").path
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", files.organizations, "--accounts",
        files.accounts,
      ])
      #expect(imported.status == 0, "\(imported.stderr)")
    }

    func run(_ arguments: [String], now: String? = nil) throws -> SisSyncProcess.Output {
      try SisSyncProcess.run(
        arguments + ["--directory", directory], environment: now.map { ["SIS_SYNC_TEST_NOW": $0] } ?? [:])
    }
  }

  static let inWindow = "2026-08-10T02:00:00Z"
  static let afterWindow = "2026-09-10T02:00:00Z"

  @Test(arguments: SyncCommandTests.stores) func heldWithoutTheProfilePassedWithIt(store: StoreKind) throws {
    let district = try District(store: store)
    let generated = district.generated
    let export = district.files.export
    let held = try district.run(["plan", export, "--disable-missing"])
    #expect(held.status == 11, "\(held.stderr)")
    #expect(held.stdout.contains("HELD"))

    let passed = try district.run([
      "plan", export, "--disable-missing", "--profile", "rollover", "--school-grades", district.files.schools,
    ])
    #expect(passed.status == 0, "\(passed.stdout)\n\(passed.stderr)")
    #expect(passed.stdout.contains("Rollover (--profile rollover): expected, and not counted by the thresholds:"))
    #expect(passed.stdout.contains("  4,613 students move up one grade"))
    #expect(passed.stdout.contains("  \(generated.expectedSchoolMoves) students move up to a new school"))
    #expect(passed.stdout.contains("  \(generated.expectedGraduates) graduates disabled"))
    #expect(passed.stdout.contains("Grade ranges: E1 K-5, E2 K-5, E3 K-5, H1 9-12, M1 6-8, M2 6-8"))
    let json = try district.run([
      "plan", export, "--disable-missing", "--profile", "rollover", "--school-grades", district.files.schools,
      "--format", "json",
    ])
    #expect(json.stdout.contains(#""held":false"#))
    #expect(json.stdout.contains(#""rollover":{"reason":"flag","groups":[{"group":"grade_up","count":4613"#))
    #expect(json.stdout.contains(#""unexplained":{"create":40,"update":0,"disable":3,"#))

    // A grade off the ladder in the file: named by file, line and column.
    let bad = try district.scratch.write("bad.csv", "SIS ID,Name,Grade Low,Grade High\nE1,A,K,Five\n")
    let refused = try district.run(["plan", export, "--profile", "rollover", "--school-grades", bad])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("\(bad):2:4: 'Five' is not a grade (PreK, K, 1 to 12)"))
  }

  /// Grade ranges and the window as settings: the next run sees them; the
  /// window turns the profile on by itself, --profile none off.
  @Test(arguments: SyncCommandTests.stores) func settingsChangedAreSeenByTheNextRun(store: StoreKind) throws {
    let district = try District(store: store)
    let export = district.files.export
    for school in RolloverDistrict.schools {
      let set = try district.run(["settings", "set", "grades." + school.id, school.range])
      #expect(set.status == 0, "\(set.stderr)")
    }
    #expect(try district.run(["settings", "set", "grades.E1", "K-13"]).status == 64)
    let window = try district.run(["settings", "set", "rollover.window", "2026-08-01..2026-08-31"])
    #expect(window.status == 0, "\(window.stderr)")
    let listed = try district.run(["settings"])
    #expect(listed.stdout.contains("grades.M2             6-8  (stored)\n"))
    #expect(listed.stdout.contains("rollover.window       2026-08-01..2026-08-31  (stored)"))

    let inside = try district.run(["plan", export, "--disable-missing"], now: Self.inWindow)
    #expect(inside.status == 0, "\(inside.stdout)")
    #expect(inside.stdout.contains("Rollover (setting rollover.window, 2026-08-01..2026-08-31)"))
    #expect(inside.stdout.contains("  \(district.generated.expectedSchoolMoves) students move up to a new school"))
    #expect(try district.run(["plan", export, "--disable-missing"], now: Self.afterWindow).status == 11)
    #expect(
      try district.run(["plan", export, "--disable-missing", "--profile", "none"], now: Self.inWindow).status == 11)

    // A school's own threshold: M1's leavers are judged apart.
    #expect(try district.run(["settings", "set", "threshold.disable.M1", "1"]).status == 0)
    let school = try district.run(["plan", export, "--disable-missing"], now: Self.inWindow)
    #expect(school.status == 11)
    #expect(school.stdout.contains("at school M1: 2 disable of "))
    #expect(school.stdout.contains("(the directory's setting threshold.disable.M1)"))
    #expect(try district.run(["settings", "unset", "threshold.disable.M1"]).status == 0)

    // The scheduled run inside the window applies.
    let applied = try district.run(["apply", export, "--disable-missing", "--yes"], now: Self.inWindow)
    #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
    #expect(
      applied.stdout.contains(
        "Expected by the rollover: 4,613 students move up one grade; "
          + "\(district.generated.expectedSchoolMoves) students move up to a new school; "
          + "\(district.generated.expectedGraduates) graduates disabled."))
    #expect(try district.run(["history"]).stdout.contains("set grades.H1 9-12"))
  }
}
