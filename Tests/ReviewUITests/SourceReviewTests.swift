import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// With --source, the row detail says which source manages the row's
/// account, and a row naming what another source owns is an error the
/// review screen lists like any other (issue 15, item 4).
@Suite struct SourceReviewTests {
  static func options(source: String) throws -> PlanOptions {
    var options = PlanOptions()
    let declared = try #require(SourceDeclarations(parsing: "sis=Student;hr=Teacher,Staff"))
    options.sources = PlanSources(declared: declared, source: source)
    return options
  }

  @Test(arguments: StoreKind.allCases) func theRowDetailNamesTheSource(store: StoreKind) throws {
    let review = try ReviewFixture(options: try Self.options(source: "sis"), size: (30, 100), store: store)
    // Ana's update is the SIS's own: the detail says so.
    review.press(.character("3"))
    #expect(review.screen.contains("source       sis"), "\(review.screen)")
    // Ed's row (a teacher: HR's) would give his unmanaged account an ID: E066, not applied.
    let plan = review.app.model.livePlan
    let row = try #require(plan.row(atLine: 10))
    #expect(plan.outcome(row: row) == .error)
    #expect(plan.findings(row: row).map(\.code.id) == ["E066"])
    #expect(plan.plan().options.sources.source == "sis")
  }

  @Test func anotherSourcesAccountIsNamedInTheDetail() throws {
    let review = try ReviewFixture(options: try Self.options(source: "hr"), size: (50, 100))
    // Ana is a student: the SIS's. HR's export naming her changes nothing.
    #expect(review.count(.updates) == 0)
    let plan = review.app.model.livePlan
    let row = try #require(plan.row(atLine: 2))
    #expect(
      plan.findings(row: row).first?.message == "the account with custom_id 1001 is managed by source sis, not hr")
    review.press(.character("1"))
    #expect(review.screen.contains("E065 error"), "\(review.screen)")
    #expect(review.screen.contains("source       sis (another source: not changed by hr)"), "\(review.screen)")
  }
}
