import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// `review --pending N`: R rejects the held run under review, with a
/// reason; nothing is applied and the commit is over.
@Suite struct PendingRunReviewTests {
  @Test(arguments: StoreKind.allCases) func rRejectsTheHeldRunUnderReviewWithAReason(store: StoreKind) throws {
    let review = try ReviewFixture(store: store)
    let plan = try PlanPipeline.run(PlanPipeline.Input(exportPath: review.exportPath), directory: review.directory).plan
    let export = try Array(Data(contentsOf: URL(fileURLWithPath: review.exportPath)))
    let held = try review.directory.holdForReview(
      plan, content: PendingRunContent(plan: try PlanFile.encoded(plan), export: export, mapping: nil))
    let before = try review.directory.state

    // On an export's review there is no held run to reject.
    review.press(.character("R"))
    #expect(review.screen.contains("Not a held run: R rejects one opened with sis-sync review --pending N"))

    review.app.model.pendingRun = held.id
    review.services.engine = EngineReviewServices(directory: review.directory, pendingRun: held.id)
    review.press(.character("R"))
    #expect(review.screen.contains("Reject pending run \(held.id)"))
    review.press(.enter)
    #expect(review.screen.contains("Not rejected: a reason is required"))
    review.press(.character("R"))
    review.type("wrong export")
    review.press(.enter)
    #expect(review.services.rejections == ["wrong export"])
    #expect(review.screen.contains("Pending run \(held.id) rejected"), "\(review.screen)")
    let record = try #require(try review.directory.pendingRuns().first)
    #expect(record.status == .rejected && record.reason == "wrong export")
    #expect(try review.directory.state == before)

    review.press(.character(" "), .character("c"))
    #expect(review.screen.contains("The held run is rejected: nothing to commit; quit"), "\(review.screen)")
    #expect(review.services.commits == 0)
  }
}
