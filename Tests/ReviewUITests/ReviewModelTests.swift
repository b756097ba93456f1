import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The category lists are kept up to date decision by decision; they must
/// always equal lists built from scratch from the live plan.
@Suite struct ReviewModelTests {
  @Test func incrementalListsEqualFreshOnesAfterEveryDecision() throws {
    let fixture = try ReviewFixture(options: PlanOptions(disableMissing: true))
    let model = fixture.app.model
    let decisions: [Decision] = [
      .exclude(line: 4), .editCustomID(line: 7, customID: "2010"), .changeBuildingID(line: 8, buildingID: "S1"),
      .assignID(line: 5, accountID: 5), .include(line: 4), .excludeLines([2, 3, 9], reason: "test"),
      .remapBuildingID(from: "S1", to: "S2"), .setOrganizationExternalID(organizationID: 4, externalID: "S9"),
    ]
    func expectFresh(_ step: String) {
      let fresh = ReviewModel(
        plan: model.livePlan, exportPath: model.exportPath, directoryLocation: model.directoryLocation)
      for category in ReviewCategory.allCases {
        #expect(model.items(category) == fresh.items(category), "\(category.title) after \(step)")
      }
      let rows = ReviewCategory.allCases.reduce(0) { $0 + model.count($1) } - model.disablesOfAbsentAccounts
      #expect(rows == model.livePlan.rowCount, "every row in exactly one category after \(step)")
    }
    for decision in decisions {
      model.apply(decision)
      expectFresh(decision.summary)
    }
    while model.undo() != nil { expectFresh("undo") }
    #expect(model.decisions.isEmpty)
  }

  @Test func absentAccountsAreListedUnderDisablesWithDisableMissing() throws {
    let fixture = try ReviewFixture(
      rows: Array(ReviewFixture.rows.filter { !$0.hasPrefix("Bo,") }), options: PlanOptions(disableMissing: true))
    fixture.press(.character("5"))
    // Bo is absent from the export: his account is disabled as missing.
    #expect(fixture.count(.disables) == 1)
    #expect(fixture.listLines[0].contains("#2 1002       Li, Bo            disable: absent from"))
    fixture.press(.enter)
    #expect(fixture.screen.contains("Account #2 · disable (absent from the export)"))
    fixture.press(.character("x"))
    #expect(fixture.lines[22].contains("An account absent from the export has no row to exclude"))
  }

  @Test func theLoadingScreenShowsPhaseAndProgress() {
    let screen = LoadingScreen.render(
      exportPath: "/data/district.csv", phase: .reading, fractionRead: 0.5, elapsed: 1.25, rows: 24, columns: 80)
    let lines = screen.lines
    #expect(lines.contains { $0.contains("sis-sync review · loading district.csv") })
    #expect(lines.contains { $0.contains("█████████████████████████░░░░░░░░░░░░░░░░░░░░░░░░░ 50%") })
    #expect(lines.contains { $0.contains("reading and checking the export… 1.2 s") })
  }
}
