import Foundation
import ReviewUI
import SyncEngine
import Testing

/// The review screen's "Pending disables" (issue 15, item 2): accounts
/// absent from the export that wait out the grace, with the days left.
@Suite struct PendingDisableReviewTests {
  @Test func pendingAccountsAreListedWithTheirDaysLeft() throws {
    var options = PlanOptions(disableMissing: true)
    options.disableGrace = try #require(GraceDuration("14d"))
    options.now = Date(timeIntervalSince1970: 1_740_880_800)  // 2025-03-02T02:00:00Z
    // Ana (1001, Lincoln) is not in the export: pending, not disabled.
    let fixture = try ReviewFixture(rows: Array(ReviewFixture.rows.dropFirst()), options: options)
    #expect(fixture.count(.pendingDisables) == 1)
    #expect(fixture.app.model.disablesOfAbsentAccounts == 0)
    #expect(fixture.lines[7].hasPrefix(" 6 Pending disables 1"))
    fixture.press(.character("6"))
    #expect(fixture.lines[1].contains("Pending disables · 1 row"), "\(fixture.screen)")
    #expect(fixture.listLines[0].hasSuffix("disable in 14 days"), "\(fixture.screen)")
    #expect(fixture.screen.contains("pending disable (absent from the export)"))
    #expect(fixture.screen.contains("first missing at 2025-03-02T02:00:00Z (this run)"))
    #expect(fixture.screen.contains("days left: 14 (disabled after 2025-03-16T02:00:00Z)"))
    // Committing records it: the plan carries it as new.
    #expect(fixture.app.model.livePlan.plan().newPendingDisables.map(\.customID) == ["1001"])
  }
}
