import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// The review screen plans under the directory's settings; one changed
/// behind it makes its commit stale, and the reload plans under the new
/// settings with the command line's flags still over them.
@Suite struct ReviewSettingsTests {
  @Test(arguments: StoreKind.allCases) func aSettingChangedBehindTheScreenIsSeenByTheReload(store: StoreKind) throws {
    let flags = [Threshold.parse("reactivate=none")!]
    let review = try ReviewFixture(
      options: DirectorySettings().planOptions(thresholds: flags), size: (30, 100), store: store)
    #expect(review.app.model.livePlan.plan().isHeld == false)

    // Another admin limits creates to one: the screen's two are too many.
    let run = try #require(try review.directory.changeSetting("threshold.create", to: "1"))
    review.press(.character("c"), .character("y"))
    guard case .stalePlan(_, let changes) = review.app.state.modal else {
      Issue.record("the commit was not refused as stale: \(review.screen)")
      return
    }
    #expect(changes == ["setting threshold.create (run \(run.id): changed)"])
    #expect(try review.directory.runs().count == 2)

    review.press(.character("r"))
    let plan = review.app.model.livePlan.plan()
    #expect(plan.isHeld)
    #expect(plan.holds.map(\.threshold.action) == [.create])
    #expect(plan.options.thresholdOrigins[.create] == .stored)
    // The flag given when the screen opened still holds for this run.
    #expect(plan.options.thresholdOrigins[.reactivate] == .flag)
    #expect(plan.options.thresholds.contains(Threshold(action: .reactivate, maxCount: nil, maxShare: nil)))
  }
}
