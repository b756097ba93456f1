import Foundation
import ReviewUI
import SyncEngine
import Testing

/// `t` on a row: the person's timeline (as `sis-sync person` lists it), read
/// from the real directory through the services.
@Suite struct TimelineKeyTests {
  @Test func tShowsTheRunsThatChangedTheSelectedPerson() throws {
    let fixture = try ReviewFixture()
    // A run in between: Ana's grade 5 → 6, Bo disabled (the export's plan).
    try fixture.applyBehindTheScreen()
    fixture.press(.character(":"))
    fixture.type("2")
    fixture.press(.enter)
    #expect(fixture.app.state.selectedItem == .row(0))
    fixture.press(.character("t"))
    guard case .result(let title, let lines, false) = fixture.app.state.modal else {
      Issue.record("no timeline dialog: \(String(describing: fixture.app.state.modal))")
      return
    }
    #expect(title.hasPrefix("Ana Ruiz (account #"))
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.first?.hasPrefix("run ") == true)
    #expect(lines.first?.contains("apply") == true)
    #expect(lines.last?.contains("grade 5 → 6") == true)
    #expect(fixture.screen.contains("grade 5 → 6"))
    fixture.press(.escape)
    #expect(fixture.app.state.modal == nil)
  }

  @Test func aNewPersonHasNoTimeline() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character(":"))
    fixture.type("4")
    fixture.press(.enter)
    fixture.press(.character("t"))
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.app.state.message?.text.contains("no account yet") == true)
  }

  @Test func anUnchangedPersonSaysNoRunChangedIt() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character(":"))
    fixture.type("3")
    fixture.press(.enter)
    fixture.press(.character("t"))
    guard case .result(let title, let lines, false) = fixture.app.state.modal else {
      Issue.record("no timeline dialog: \(String(describing: fixture.app.state.modal))")
      return
    }
    #expect(title.hasPrefix("Bo Li (account #"))
    #expect(lines == ["No run changed this account."])
  }
}
