import Foundation
import ReviewUI
import SyncEngine
import Testing

/// The rollover in the review screen (issue 16, item 3): no category of
/// its own — the header says how many changes it expects, a row's details
/// name its group, the commit dialog lists the groups, and the holds leave
/// the expected changes out.
@Suite struct RolloverReviewTests {
  /// Ana moves up from grade 5 to 6 at Lincoln: one grade up. Updates are
  /// limited to none, so without the profile her update holds the plan.
  static func options(profile: Bool) -> PlanOptions {
    var options = PlanOptions(thresholds: [Threshold(action: .update, maxCount: 0, maxShare: nil)])
    if profile { options.rollover = RolloverProfile(reason: .flag) }
    return options
  }

  @Test func theExpectedChangesAreShownAndNotCounted() throws {
    let held = try ReviewFixture(options: Self.options(profile: false), size: (40, 160))
    #expect(held.lines[0].contains("HELD by the update threshold"), "\(held.screen)")
    #expect(!held.lines[0].contains("ROLLOVER"))

    let fixture = try ReviewFixture(options: Self.options(profile: true), size: (40, 160))
    #expect(!fixture.lines[0].contains("HELD"), "\(fixture.lines[0])")
    #expect(fixture.lines[0].contains("ROLLOVER 1 expected"), "\(fixture.lines[0])")
    fixture.press(.character("3"))
    #expect(
      fixture.screen.contains("expected by the rollover: moves up one grade (not counted by the thresholds)"),
      "\(fixture.screen)")
    fixture.press(.character("c"))
    #expect(fixture.screen.contains("Expected by the rollover (not counted by the thresholds):"), "\(fixture.screen)")
    #expect(fixture.screen.contains("1 student moves up one grade"))
    #expect(fixture.screen.contains("0 graduates disabled"))
    #expect(!fixture.screen.contains("HELD by a threshold"))
  }

  /// A group is one decision: `rollover:grade_up` narrows the rows to it,
  /// and `X` excludes the whole group (the other changes stay).
  @Test func aGroupIsFilteredAndExcludedAsOneDecision() throws {
    let fixture = try ReviewFixture(options: Self.options(profile: true), size: (40, 160))
    fixture.press(.character("f"))
    fixture.type("rollover:grade_up")
    fixture.press(.enter)
    fixture.press(.character("3"))
    #expect(fixture.lines[1].contains("Updates · 1 row"), "\(fixture.lines[1])")
    fixture.press(.character("2"))  // creates are no group's
    #expect(fixture.lines[1].contains("Creates · 0 rows"), "\(fixture.lines[1])")
    fixture.press(.character("3"), .character("X"))
    #expect(fixture.screen.contains("Exclude 1 row (Updates matching 'rollover:grade_up')?"), "\(fixture.screen)")
    fixture.press(.character("y"))
    #expect(fixture.count(.updates) == 0)
    #expect(fixture.count(.excluded) == 1)
    #expect(fixture.count(.creates) == 2)
    // A group the profile does not have matches nothing.
    fixture.press(.character("F"), .character("f"))
    fixture.type("rollover:graduates")
    fixture.press(.enter)
    fixture.press(.character("2"))
    #expect(fixture.lines[1].contains("Creates · 0 rows"), "\(fixture.lines[1])")
  }
}
