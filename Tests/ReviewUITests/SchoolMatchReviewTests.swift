import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

extension ReviewFixture {
  /// Gives the review the SIS's organizations file, as `review --organizations` does.
  func useOrganizationsFile(_ lines: [String], name: String = "School.csv") throws {
    app.model.organizationsFile = try OrganizationsFile.read(path: Self.write(folder, name, lines))
  }
}

/// `O`: the export's unknown building IDs matched to organizations by name.
@Suite struct SchoolMatchReviewTests {
  @Test func anUnknownBuildingIDIsOfferedToTheOrganizationWhoseNameItHas() throws {
    let fixture = try ReviewFixture()
    #expect(fixture.count(.errors) == 3)
    // Line 8 names S9, which no organization has; the SIS calls S9 "Oak
    // Hill School", and Oak Hill has no external ID.
    try fixture.useOrganizationsFile(["SIS ID,Name", "S1,Lincoln", "S9,Oak Hill School", "S7,Elsewhere High"])
    fixture.press(.character("O"))
    #expect(fixture.screen.contains("Match schools"))
    #expect(fixture.screen.contains("Oak Hill ← S9 (Oak Hill School, 100%)"))
    #expect(!fixture.screen.contains("Elsewhere"))
    fixture.press(.character("y"))
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.app.model.decisions == [.setOrganizationExternalID(organizationID: 4, externalID: "S9")])
    #expect(fixture.lines[22].contains("1 organizations get their building IDs"))
    // The live plan took it: line 8 is a create now, and the commit says so.
    #expect(fixture.count(.errors) == 2)
    #expect(fixture.app.model.livePlan.plan().organizationChanges.map(\.after) == ["S9"])
    fixture.press(.character("u"))
    #expect(fixture.count(.errors) == 3)
  }

  @Test func declinedDecidesNothing() throws {
    let fixture = try ReviewFixture()
    try fixture.useOrganizationsFile(["SIS ID,Name", "S9,Oak Hill"])
    fixture.press(.character("O"), .character("n"))
    #expect(fixture.app.model.decisions.isEmpty)
    #expect(fixture.app.state.modal == nil)
  }

  @Test func withoutAFileTheKeySaysHowToGiveOne() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("O"))
    #expect(fixture.lines[22].contains("No organizations file: open the review with --organizations"))
    #expect(fixture.app.state.modal == nil)
  }

  @Test func nothingResemblingIsSaid() throws {
    let fixture = try ReviewFixture()
    try fixture.useOrganizationsFile(["SIS ID,Name", "S9,Westfield Elementary"])
    fixture.press(.character("O"))
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.lines[22].contains("No organization without an external ID resembles"))
  }
}
