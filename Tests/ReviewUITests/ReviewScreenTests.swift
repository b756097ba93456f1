import Foundation
import ReviewUI
import SyncEngine
import Testing
import TextScreen

/// The review screen driven by keys without a terminal: each test presses
/// keys and reads the rendered lines.
@Suite struct ReviewScreenTests {
  @Test func panesHeaderAndHintsAt80x24() throws {
    let fixture = try ReviewFixture()
    let lines = fixture.lines
    #expect(lines.count == 24)
    #expect(lines[0] == " export.csv → directory.sqlite · 9 rows · 3 errors · +2 ~1 -1 ^1 =1")
    #expect(lines[1].hasPrefix(" Categories           │ Errors · 3 rows · 1/3"))
    let categories = lines[2...12].map { String($0.prefix(21)) }
    #expect(
      categories == [
        " 1 Errors           3", " 2 Creates          2", " 3 Updates          1", " 4 ID changes       0",
        " 5 Disables         1", " 6 Pending disables 0", " 7 Reactivations    1", " 8 ID fixes         1",
        " 9 Held back        0", " 0 Unchanged        0", " 0 Excluded         0",
      ])
    // The first error is selected and its details are shown with the finding.
    #expect(fixture.listLines[0].hasPrefix("     6 2003       One, Dup          E030"))
    #expect(lines[12].hasSuffix("Line 6 · error: not applied"))
    #expect(lines[23].hasPrefix(" ? help  q quit  c commit  Tab pane  / search"))
  }

  @Test func detailsShowFieldDiffsAndFindingsWithTheirFix() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("3"), .enter)  // Updates: Ana's grade 5 → 6
    #expect(fixture.screen.contains("grade        5 → 6"))
    #expect(fixture.lines[11].contains("Details"))
    fixture.press(.character("1"), .down, .down, .enter)  // the unknown building on line 8
    // At 80×24 the first finding and its fix show without scrolling.
    let details = fixture.lines[12...]
    #expect(details.contains { $0.contains("E040 error (school_district_external_id)") })
    #expect(details.contains { $0.contains("fix:") })
    for _ in 0..<12 { fixture.press(.down) }  // scroll the details pane: the why comes last
    #expect(fixture.screen.contains("why E040:"))
  }

  @Test func navigationKeysMoveTheSelectionAndPanes() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("j"))
    #expect(fixture.lines[1].contains("Errors · 3 rows · 2/3"))
    fixture.press(.character("G"))
    #expect(fixture.lines[1].contains("3/3"))
    fixture.press(.down)  // stays on the last row
    #expect(fixture.lines[1].contains("3/3"))
    fixture.press(.character("g"))
    #expect(fixture.lines[1].contains("1/3"))
    fixture.press(.character("2"))
    #expect(fixture.lines[1].contains("Creates · 2 rows · 1/2"))
    // Tab goes to details, then to categories, where ↓ picks the next category.
    fixture.press(.tab)
    #expect(fixture.app.state.focus == .details)
    fixture.press(.tab, .down)
    #expect(fixture.app.state.focus == .categories)
    #expect(fixture.lines[1].contains("Updates · 1 row"))
    fixture.press(.backTab)
    #expect(fixture.app.state.focus == .details)
    // Each category keeps its own position.
    fixture.press(.character("1"), .character("G"), .character("2"), .character("1"))
    #expect(fixture.lines[1].contains("Errors · 3 rows · 3/3"))
  }

  /// Eleven categories, ten digits: each has its number (Excluded is the
  /// second 0), and pressing it shows that category.
  @Test func everyCategoryHasANumberKey() throws {
    let fixture = try ReviewFixture()
    for category in ReviewCategory.allCases.reversed() {
      fixture.press(.character(category.digit))
      if fixture.app.state.category != category { fixture.press(.character(category.digit)) }
      #expect(fixture.app.state.category == category, "\(category.title)")
      #expect(fixture.lines[1].contains("\(category.title) ·"), "\(fixture.lines[1])")
    }
    #expect(Set(ReviewCategory.allCases.map(\.digit)) == Set("1234567890"))
  }

  @Test func excludeIncludeAndUndoUpdateTheCountsAtOnce() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("x"))
    #expect(fixture.count(.creates) == 1)
    #expect(fixture.count(.excluded) == 1)
    #expect(fixture.lines[3].hasPrefix(" 2 Creates          1"))
    #expect(fixture.lines[22] == " Exclude line 4 (u undoes)")
    // Excluded shares 0 with Unchanged: a second 0 goes on to it.
    fixture.press(.character("0"), .character("0"), .character("x"))  // include it again from Excluded
    #expect(fixture.count(.excluded) == 0)
    #expect(fixture.count(.creates) == 2)
    fixture.press(.character("u"))  // undo the include
    #expect(fixture.count(.excluded) == 1)
    #expect(fixture.lines[22] == " Undone: include line 4")
    fixture.press(.character("u"), .character("u"))
    #expect(fixture.count(.excluded) == 0)
    #expect(fixture.lines[22] == " Nothing to undo")
  }

  @Test func filterThenExcludeEveryMatchingRow() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("1"), .character("f"))
    fixture.type("code:E030")
    fixture.press(.enter)
    #expect(fixture.lines[1].contains("Errors · 2 rows (filtered from 3)"))
    fixture.press(.character("X"))
    #expect(fixture.screen.contains("Exclude 2 rows (Errors matching 'code:E030')?"))
    fixture.press(.character("y"))
    #expect(fixture.count(.errors) == 1)
    #expect(fixture.count(.excluded) == 2)
    fixture.press(.character("F"))
    #expect(fixture.lines[1].contains("Errors · 1 row"))
    // By school: the two creates are in S2, and so is the reactivation.
    fixture.press(.character("2"), .character("f"))
    fixture.type("school:S2 wang")
    fixture.press(.enter)
    #expect(fixture.lines[1].contains("Creates · 1 row (filtered from 2)"))
    #expect(fixture.listLines[0].contains("王, 小明"))
  }

  @Test func editingACustomIDMovesTheRowOutOfErrors() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("1"), .down, .character("e"))  // line 7, duplicate custom_id 2003
    #expect(fixture.screen.contains("custom_id of line 7"))
    #expect(fixture.screen.contains("> 2003█"))
    fixture.press(.control("u"))
    fixture.type("2010")
    fixture.press(.enter)
    // Both lines of the duplicate are fine now: two more creates.
    #expect(fixture.count(.errors) == 1)
    #expect(fixture.count(.creates) == 4)
    #expect(fixture.lines[22] == " Line 7: custom_id → 2010 (u undoes)")
    // Esc leaves a prompt without deciding anything.
    fixture.press(.character("e"), .escape)
    #expect(fixture.app.model.decisions.count == 1)
  }

  @Test func buildingIDForOneRowOrForAllRowsWithIt() throws {
    var rows = ReviewFixture.rows
    rows.append("Far,,Too,far2@x.org,2005,S9,Student,,2,Active")  // line 11, also S9
    let fixture = try ReviewFixture(rows: rows)
    #expect(fixture.count(.errors) == 4)
    fixture.press(.character("1"), .character("G"), .character("b"))
    fixture.press(.control("u"))
    fixture.type("S1")
    fixture.press(.enter)
    #expect(fixture.screen.contains("2 rows carry building ID 'S9'."))
    fixture.press(.character("a"))
    #expect(fixture.app.model.decisions == [.remapBuildingID(from: "S9", to: "S1")])
    #expect(fixture.count(.errors) == 2)
    fixture.press(.character("u"), .character("1"), .character("G"), .character("b"), .control("u"))
    fixture.type("S2")
    fixture.press(.enter, .character("r"))
    #expect(fixture.app.model.decisions == [.changeBuildingID(line: 11, buildingID: "S2")])
    #expect(fixture.count(.errors) == 3)
  }

  @Test func acceptingASuggestedFix() throws {
    // 4512 in the export, 004512 in the directory: the email conflict
    // suggests the zeros back.
    let fixture = try ReviewFixture(
      rows: ["Zed,,Zero,zed@x.org,4512,S1,Student,,1,Active"],
      accounts: ReviewFixture.accounts + ["Zed,,Zero,zed@x.org,004512,S1,Student,,1,Active"])
    #expect(fixture.count(.errors) == 1)
    fixture.press(.character("a"))
    #expect(fixture.app.model.decisions == [.editCustomID(line: 2, customID: "004512")])
    #expect(fixture.count(.errors) == 0)
    #expect(fixture.count(.unchanged) == 1)
    // A row without a suggestion says so.
    fixture.press(.character("0"), .character("a"))
    #expect(fixture.lines[22] == " This row has no suggested fix to accept")
  }

  @Test func assigningAnIDToAnUnmanagedAccount() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("2"), .character("A"))
    #expect(fixture.screen.contains("Give custom_id 2001 to"))
    fixture.type("4")  // Cy: managed, refused
    fixture.press(.enter)
    #expect(fixture.lines[22].contains("already has custom_id 1003"))
    fixture.press(.character("A"))
    fixture.type("5")  // Una: unmanaged
    fixture.press(.enter)
    #expect(fixture.app.model.decisions == [.assignID(line: 4, accountID: 5)])
    #expect(fixture.count(.idFixes) == 2)
    #expect(fixture.count(.creates) == 1)
  }

  @Test func givingAnOrganizationTheRowsBuildingID() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("1"), .character("G"), .character("o"))  // line 8, building S9
    #expect(fixture.screen.contains("Which organization is 'S9'?"))
    #expect(fixture.screen.contains("4 Oak Hill"))
    fixture.type("4")
    fixture.press(.enter)
    #expect(fixture.app.model.decisions == [.setOrganizationExternalID(organizationID: 4, externalID: "S9")])
    #expect(fixture.count(.errors) == 2)
    #expect(fixture.count(.creates) == 3)
  }

  @Test func searchFindsRowsAndRepeats() throws {
    let fixture = try ReviewFixture(
      rows: ReviewFixture.rows + ["Dora,,Oneida,dora@x.org,3001,S1,Student,,1,Active"])
    fixture.press(.character("2"), .character("/"))
    fixture.type("one")
    fixture.press(.enter)
    // "New" does not match; "Oneida" (line 11) does, as the third create.
    #expect(fixture.lines[1].contains("Creates · 3 rows · 3/3"))
    // n goes on to the other categories: Dup One is in Errors.
    fixture.press(.character("n"))
    #expect(fixture.lines[22] == " 'one' found in Errors")
    fixture.press(.character("/"))
    fixture.type("nobody")
    fixture.press(.enter)
    #expect(fixture.lines[22] == " No row matches 'nobody' in any category")
  }

  @Test func helpScreenComesFromTheBindingTable() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("?"))
    let screen = fixture.screen
    #expect(screen.contains("┌─ Keys "))
    for row in KeyBindings.helpRows.prefix(12) { #expect(screen.contains(row.help)) }
    var pages = ""
    for _ in 0..<2 {  // at 80×24 the Decisions keys start on the third page
      fixture.press(.pageDown)
      pages += fixture.screen
    }
    #expect(pages.contains("exclude or include the row"))
    fixture.press(.character("x"))  // closes help, decides nothing
    #expect(fixture.app.state.modal == nil)
    #expect(fixture.app.model.decisions.isEmpty)
  }

  @Test func unknownKeysSayWhereToLook() throws {
    let fixture = try ReviewFixture()
    fixture.press(.character("z"))
    #expect(fixture.lines[22] == " 'z' does nothing here; ? lists the keys")
  }

  @Test func aTerminalBelow80x24GetsAClearMessageAndReflowsBack() throws {
    let fixture = try ReviewFixture()
    fixture.app.resize(rows: 20, columns: 60)
    let small = fixture.lines
    #expect(small.contains { $0.contains("sis-sync review needs at least 80×24.") })
    #expect(small.contains { $0.contains("This terminal is 60×20") })
    fixture.app.resize(rows: 40, columns: 120)
    let large = fixture.lines
    #expect(large.count == 40)
    #expect(large[0].contains("9 rows"))
    // Wider: the rows pane has room for the building ID column.
    #expect(fixture.listLines[0].contains(" S1 "))
  }

  @Test func namesInAnyScriptStayAligned() throws {
    let fixture = try ReviewFixture(rows: [
      "Ava,,Ruiz,a1@x.org,7001,S1,Student,,1,Active",  // (Ana Ruiz would be account 1001's ID change)
      "小明,,王,a2@x.org,7002,S1,Student,,1,Active",
      "Zoë,,Nguyễn,a3@x.org,7003,S1,Student,,1,Active",
      "Jose\u{301},,Pen\u{303}a,a4@x.org,7004,S1,Student,,1,Active",  // combining marks
      "민준,,김,a5@x.org,7005,S1,Student,,1,Active",
    ])
    fixture.press(.character("2"))
    let screen = fixture.app.render()
    // "new student" starts at the same terminal column on every row.
    var starts: [Int] = []
    for row in 2...6 {
      var column = 0
      while column < screen.columns - 3 {
        if screen[row, column].text == "n" && screen[row, column + 1].text == "e" && screen[row, column + 2].text == "w"
        {
          break
        }
        column += 1
      }
      starts.append(column)
    }
    #expect(Set(starts).count == 1)
    #expect(starts[0] < screen.columns - 3)
  }
}
