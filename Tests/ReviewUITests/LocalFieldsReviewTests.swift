import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// Local fields in review (issue 15, item 5): the rows pane names a field
/// kept (local), the details pane shows the directory's value kept and the
/// export's, for an update and for an account otherwise unchanged.
@Suite struct LocalFieldsReviewTests {
  /// Ana's row changes her grade and her email; Bo's only his email. The
  /// email is local for every account.
  static func review() throws -> ReviewFixture {
    var rows = ReviewFixture.rows
    rows[0] = "Ana,,Ruiz,ana.ruiz@sis.org,1001,S1,Student,,6,Active"
    rows[1] = "Bo,,Li,bo.li@sis.org,1002,S1,Student,,4,Active"
    var options = PlanOptions()
    options.localFields = PlanLocalFields(everyAccount: [.email])
    return try ReviewFixture(rows: rows, options: options, size: (30, 100))
  }

  @Test func anUpdateShowsTheEmailKeptLocal() throws {
    let review = try Self.review()
    #expect(review.count(.updates) == 1)
    review.press(.character(ReviewCategory.updates.digit))
    #expect(review.screen.contains("grade; email kept (local)"), "\(review.screen)")
    #expect(
      review.screen.contains("email        ana@x.org kept (local); export has ana.ruiz@sis.org"), "\(review.screen)")
    #expect(review.screen.contains("grade        5 → 6"), "\(review.screen)")
  }

  @Test func anAccountChangedOnlyInLocalFieldsIsUnchangedAndSaysSo() throws {
    let review = try Self.review()
    review.press(.character(ReviewCategory.unchanged.digit))
    #expect(review.screen.contains("Li, Bo                 S1 Linc… email kept (local)"), "\(review.screen)")
    #expect(review.screen.contains("Line 3 · unchanged"), "\(review.screen)")
    #expect(review.screen.contains("bo@x.org kept (local); export has bo.li@sis.org"), "\(review.screen)")
    let plan = review.app.model.livePlan.plan()
    #expect(plan.keptLocal.map(\.customID) == ["1002"])
    #expect(plan.changes.contains { $0.customID == "1002" } == false)
  }
}
