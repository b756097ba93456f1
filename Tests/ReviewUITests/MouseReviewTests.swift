import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The mouse as the loop takes it (plain events, no terminal): a click
/// selects a category or a row, the wheel scrolls what it is over.
@Suite struct MouseReviewTests {
  private func click(_ fixture: ReviewFixture, row: Int, column: Int) {
    fixture.press(.mouse(MouseEvent(.click, row: row, column: column)))
  }

  @Test func aClickSelectsACategory() throws {
    let fixture = try ReviewFixture()
    // Categories start on screen row 2 (row 1 is the pane's title).
    click(fixture, row: 2 + ReviewCategory.reactivations.rawValue, column: 5)
    #expect(fixture.app.state.category == .reactivations)
    #expect(fixture.app.state.selectedItem == .row(7))
  }

  @Test func aClickSelectsARowAndTheDetails() throws {
    let fixture = try ReviewFixture()
    #expect(fixture.app.state.category == .errors)
    click(fixture, row: 4, column: 40)  // the third listed row: line 8
    #expect(fixture.app.state.selectedItem == .row(6))
    #expect(fixture.app.state.focus == .rows)
    // Below the list's rows: nothing selected anew.
    click(fixture, row: 9, column: 40)
    #expect(fixture.app.state.selectedItem == .row(6))
    click(fixture, row: 15, column: 40)
    #expect(fixture.app.state.focus == .details)
    // A click on the header or the hints does nothing.
    let before = fixture.app.state
    click(fixture, row: 0, column: 10)
    click(fixture, row: 23, column: 10)
    #expect(fixture.app.state == before)
  }

  @Test func theWheelScrollsWhatItIsOver() throws {
    let rows = (1...40).map { "P\($0),,Q,p\($0)@x.org,70\($0),S1,Student,,3,Active" }
    let fixture = try ReviewFixture(rows: rows)
    #expect(fixture.app.state.category == .creates)
    fixture.press(.mouse(MouseEvent(.wheelDown, row: 5, column: 40)))
    fixture.press(.mouse(MouseEvent(.wheelDown, row: 5, column: 40)))
    #expect(fixture.app.state.cursor == 6)
    fixture.press(.mouse(MouseEvent(.wheelUp, row: 5, column: 40)))
    #expect(fixture.app.state.cursor == 3)
    fixture.press(.mouse(MouseEvent(.wheelDown, row: 15, column: 40)))
    #expect(fixture.app.state.detailScroll == 3)
    fixture.press(.mouse(MouseEvent(.wheelDown, row: 5, column: 3)))
    #expect(fixture.app.state.category == .updates)
  }

  @Test func aClickDoesNotAnswerADialog() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("c"))
    let before = fixture.app.state
    click(fixture, row: 12, column: 40)
    #expect(fixture.app.state == before)
    #expect(fixture.services.commits == 0)
  }
}
