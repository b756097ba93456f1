import Foundation
import StoreKinds
import Testing

/// `--disable-missing-after` and the setting `disable_grace` through the
/// binary, with time moved by `SIS_SYNC_TEST_NOW` (issue 15, item 2).
@Suite(.serialized) struct GraceCommandTests {
  static let stores = SyncCommandTests.stores

  static func at(day: Int) -> [String: String] {
    ["SIS_SYNC_TEST_NOW": String(format: "2025-03-%02dT02:00:00Z", day)]
  }

  /// The export without the first two students (their school still covered).
  static func gap(_ setup: SyncCommandTests.Setup) throws -> String {
    let lines = try String(contentsOfFile: setup.export, encoding: .utf8).split(separator: "\n")
    return try setup.scratch.write("gap.csv", ([lines[0]] + lines.dropFirst(3)).joined(separator: "\n") + "\n")
  }

  private func disabled(_ setup: SyncCommandTests.Setup) throws -> Int {
    try setup.directoryState().split(separator: "\n").filter { $0.hasSuffix(",Disabled") }.count
  }

  @Test(arguments: stores) func aOneNightGapDisablesNoOneAndTheGraceThenDisables(store: StoreKind) throws {
    let setup = try SyncCommandTests.Setup(accounts: 5, creates: 0, store: store)
    let gap = try Self.gap(setup)
    let flag = ["--disable-missing-after", "14d"]
    // Plan shows them pending and records nothing.
    let planned = try setup.run(["plan", gap] + flag, environment: Self.at(day: 1))
    #expect(planned.status == 0, "\(planned.stderr)")
    #expect(
      planned.stdout.contains("2 pending disable (absent; grace 14d), 2 first found missing"), "\(planned.stdout)")
    #expect(planned.stdout.contains("(14 days left) (new)"))
    let json = try setup.run(["plan", gap, "--format", "json"] + flag, environment: Self.at(day: 1))
    #expect(json.stdout.contains("\"pending_disables\":[{\"account_id\":1,\"custom_id\":\"100000\""), "\(json.stdout)")
    #expect(json.stdout.contains("\"missing_since\":\"2025-03-01T02:00:00Z\""))
    // The night's apply records them; nobody is disabled.
    let night = try setup.run(["apply", gap, "--yes"] + flag, environment: Self.at(day: 1))
    #expect(night.status == 0, "\(night.stderr)")
    #expect(try disabled(setup) == 0)
    // The same export again that day: nothing to change.
    let again = try setup.run(["apply", gap, "--yes"] + flag, environment: Self.at(day: 1))
    #expect(again.status == 10, "\(again.stdout)")
    // A week later, still missing: seven days left, still nothing to apply.
    let week = try setup.run(["plan", gap] + flag, environment: Self.at(day: 8))
    #expect(week.stdout.contains("(7 days left)"), "\(week.stdout)")
    #expect(week.stdout.contains("Nothing to change"))
    // Fifteen days later: disabled.
    let late = try setup.run(["apply", gap, "--yes"] + flag, environment: Self.at(day: 16))
    #expect(late.status == 0, "\(late.stderr)")
    #expect(try disabled(setup) == 2)
  }

  @Test(arguments: stores) func theStoredSettingAppliesAndPeopleBackAreCleared(store: StoreKind) throws {
    let setup = try SyncCommandTests.Setup(accounts: 5, creates: 0, store: store)
    let gap = try Self.gap(setup)
    #expect(try setup.run(["settings", "set", "disable_grace", "14d"]).status == 0)
    let night = try setup.run(["apply", gap, "--yes", "--disable-missing"], environment: Self.at(day: 1))
    #expect(night.status == 0, "\(night.stderr)")
    #expect(night.stdout.contains("pending"), "\(night.stdout)")
    let back = try setup.run(["plan", setup.export, "--disable-missing"], environment: Self.at(day: 2))
    #expect(back.stdout.contains("2 pending disables cleared"), "\(back.stdout)")
    #expect(
      try setup.run(["apply", setup.export, "--yes", "--disable-missing"], environment: Self.at(day: 2)).status == 0)
    // Missing again later: a fresh grace, not the old date.
    let later = try setup.run(["plan", gap, "--disable-missing"], environment: Self.at(day: 20))
    #expect(later.stdout.contains("(14 days left) (new)"), "\(later.stdout)")
    #expect(try disabled(setup) == 0)
  }

  @Test func aBadDurationIsRefused() throws {
    let setup = try SyncCommandTests.Setup(accounts: 1, creates: 0)
    let result = try setup.run(["plan", setup.export, "--disable-missing-after", "2w"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("is not a duration"), "\(result.stderr)")
  }
}
