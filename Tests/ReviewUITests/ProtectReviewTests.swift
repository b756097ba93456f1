import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// `K` protects the selected row's account in the directory (one run), the
/// plan is rebuilt, and what protection held back is listed in Held back.
@Suite struct ProtectReviewTests {
  @Test(arguments: StoreKind.allCases) func kProtectsTheAccountAndItsChangeMovesToHeldBack(store: StoreKind) throws {
    let review = try ReviewFixture(size: (30, 100), store: store)
    #expect(review.count(.updates) == 1)
    #expect(review.count(.heldBack) == 0)
    review.press(.character("3"), .character("K"))
    #expect(review.screen.contains("Protect account #"))
    // A reason is required.
    review.press(.enter)
    #expect(review.screen.contains("Not protected: a reason is required"))
    #expect(try review.directory.read { try $0.protections() }.isEmpty)
    review.press(.character("K"))
    review.type("court order")
    review.press(.enter)
    #expect(review.services.protections.map(\.reason) == ["court order"])
    #expect(review.services.reloads == 1)
    #expect(review.count(.updates) == 0)
    #expect(review.count(.heldBack) == 1)
    #expect(review.screen.contains("Account protected as run 2"), "\(review.screen)")
    review.press(.character("9"))
    #expect(review.screen.contains("would update — protected: …"), "\(review.screen)")
    #expect(review.screen.contains("  would update — protected: court order"), "\(review.screen)")
    let plan = review.app.model.livePlan.plan()
    #expect(plan.heldBack.map(\.would.customID) == ["1001"])
    #expect(plan.changes.contains { $0.customID == "1001" } == false)
    // The protect is a run in history; the commit applies the rest.
    #expect(try review.directory.runs().first?.exportPath?.hasPrefix("sis-sync protect: protect account #") == true)
  }

  @Test func kOnANewPersonSaysThereIsNoAccount() throws {
    let review = try ReviewFixture()
    review.press(.character("2"), .character("K"))
    #expect(review.lines[22] == " A new person: no account yet to protect")
  }
}
