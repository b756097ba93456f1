import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// A row whose custom_id no account has, whose person is a managed account
/// absent from the export (same email, else same name, building and user
/// type; unique both ways), is that account's ID change: re-keyed, with its
/// history, not a create and a disable.
@Suite struct IDChangeTests {
  /// 50 students (S1), custom_ids 1000…1049, and one teacher (2000).
  static let students = (0..<50).map { "Kid\($0),,Pupil\($0),kid\($0)@x.org,\(1000 + $0),S1,Student,,5,Active" }
  static let teacher = "Di,,Ng,di@x.org,2000,S1,Teacher,Math,,Active"

  /// The SIS re-numbered every student: 1000… became 9000…; the first 25
  /// also moved up a grade. The last ten have new emails too: they are
  /// matched by name, building and user type; the others by email.
  static func renumbered() -> [String] {
    (0..<50).map { index in
      let email = index < 40 ? "kid\(index)@x.org" : "kid\(index).new@x.org"
      return "Kid\(index),,Pupil\(index),\(email),\(9000 + index),S1,Student,,\(index < 25 ? 6 : 5),Active"
    } + [teacher]
  }

  @Test(arguments: StoreKind.allCases) func anSISRenumberIsFiftyIDChangesKeepingHistoryAndRevertable(
    store: StoreKind
  ) throws {
    let fixture = try SyncFixture(accounts: Self.students + [Self.teacher], store: store)
    let before = try fixture.accountLines()
    let idsBefore = try fixture.directory.snapshot().accountIDs
    // An earlier run, so that the history has something to keep.
    var earlier = Self.students + [Self.teacher]
    earlier[0] = earlier[0].replacingOccurrences(of: ",5,Active", with: ",4,Active")
    guard case .applied(let earlierRun) = try fixture.directory.apply(try fixture.plan(earlier)) else {
      Issue.record("the earlier run applied nothing")
      return
    }

    for disableMissing in [false, true] {
      let plan = try fixture.plan(Self.renumbered(), options: PlanOptions(disableMissing: disableMissing))
      #expect(plan.summary.idChange == 50)
      #expect(plan.summary.create == 0)
      #expect(plan.summary.disable == 0)
      #expect(plan.summary.rowsWithErrors == 0)
      #expect(plan.changes.allSatisfy { $0.action == .idChange })
      let first = try #require(plan.change(line: 2))
      #expect(first.oldCustomID == "1000" && first.customID == "9000" && first.matchedBy == .email)
      #expect(first.changedColumns == [.customID, .grade])
      #expect(plan.change(line: 45)?.matchedBy == .name)
      #expect(!plan.findings.contains { $0.code == .emailConflict })
    }

    // Held without acceptance: nothing is written. (50 of 51 accounts: the
    // id_change threshold holds too, and is overridden after review.)
    let plan = try fixture.plan(Self.renumbered(), options: PlanOptions(overrideThresholds: true))
    #expect(plan.holdsIDChanges)
    #expect(throws: ApplyRefusal.idChangesHeld(count: 50)) { try fixture.directory.apply(plan) }
    var accepted = plan
    accepted.options.acceptIDChanges = true
    // A saved plan keeps the ID changes, their evidence and the acceptance.
    let saved = fixture.folder.appendingPathComponent("plan.sisplan").path
    try PlanFile.save(accepted, to: saved)
    let loaded = try PlanFile.load(path: saved)
    #expect(loaded.options.acceptIDChanges)
    #expect(loaded.changes.map(\.matchedBy) == accepted.changes.map(\.matchedBy))
    guard case .applied(let run) = try fixture.directory.apply(loaded) else {
      Issue.record("nothing applied")
      return
    }
    #expect(run.counts["id_change"] == 50)
    // The same accounts (ids), with the new custom_ids.
    let after = try fixture.directory.snapshot()
    #expect(after.accountIDs == idsBefore)
    #expect(after.account(customID: "1000") == nil)
    let renamed = try #require(after.account(customID: "9000"))
    #expect(after.accountIDs[renamed] == idsBefore[0])
    // The person's history: the earlier run, then the ID change.
    let timeline = try fixture.directory.timeline(of: "9000")
    #expect(timeline.entries.map(\.run.id) == [earlierRun.id, run.id])
    #expect(RunReport.describe(timeline.entries[1].changes[0]).contains("custom_id 1000 → 9000"))

    // Revert restores the old IDs (and grades).
    let reverted = try fixture.directory.revert(runID: run.id)
    #expect(reverted.failed.isEmpty && reverted.reverted.count == 50)
    var expected = before
    if let index = expected.firstIndex(where: { $0.contains(",1000,") }) {
      expected[index] = expected[index].replacingOccurrences(of: ",5,Active", with: ",4,Active")
    }
    #expect(try fixture.accountLines() == expected)
  }

  /// An ID change found by email is a row planning had as an error (an
  /// email conflict, no change): its change takes its place among the
  /// others in file order, and each row points at its own change, whether
  /// the rows were planned while read or from the table.
  @Test(arguments: [false, true]) func idChangesOfEmailConflictsTakeTheirPlaceInFileOrder(keepsRows: Bool) throws {
    let fixture = try SyncFixture(accounts: Self.students + [Self.teacher])
    // By threes: a student re-numbered (the same email: an ID change by
    // email), a student with a new grade (an update), a new student.
    let rows =
      (0..<30).map { index in
        switch index % 3 {
        case 0: "Kid\(index),,Pupil\(index),kid\(index)@x.org,\(9000 + index),S1,Student,,5,Active"
        case 1: "Kid\(index),,Pupil\(index),kid\(index)@x.org,\(1000 + index),S1,Student,,7,Active"
        default: "New\(index),,Kid\(index),new\(index)@x.org,\(8000 + index),S1,Student,,3,Active"
        }
      } + [Self.teacher]
    let plan = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: try fixture.export(rows), keepsRows: keepsRows), directory: fixture.directory
    ).plan
    #expect(plan.summary.idChange == 10 && plan.summary.update == 10 && plan.summary.create == 10)
    let actions: [ChangeAction] = [.idChange, .update, .create]
    #expect(plan.changes.map(\.action) == (0..<30).map { actions[$0 % 3] })
    #expect(plan.changes.map(\.line) == (0..<30).map { $0 + 2 })
    for row in 0..<30 {
      #expect(plan.rowChanges[row] == Int32(row))
      #expect(plan.rowOutcomes[row] == RowOutcome(actions[row % 3]))
    }
    #expect(plan.rowChanges[30] == -1 && plan.rowOutcomes[30] == .unchanged)
    #expect(plan.changes[0].oldCustomID == "1000" && plan.changes[0].customID == "9000")
    #expect(!plan.findings.contains { $0.code == .emailConflict })
  }

  @Test func anAccountReKeyedInAProtectedSchoolIsNeitherHeldBackNorDisabled() throws {
    // A protected school keeps its missing accounts from disable-missing;
    // a renumbered student is not missing: re-keyed, present. (The missing
    // accounts are scanned while the ID changes are planned: the scan must
    // drop the accounts they re-key, held back ones included.)
    let fixture = try SyncFixture(accounts: Self.students + [Self.teacher])
    try #require(try fixture.directory.protect(.organization("S1"), reason: "pilot", until: nil) != nil)
    // The directory's protections come with its settings.
    let options = try fixture.directory.settings().settings.planOptions(disableMissing: true)
    let plan = try fixture.plan(Self.renumbered(), options: options)
    #expect(plan.summary.idChange == 50)
    #expect(plan.summary.disable == 0 && plan.summary.heldBack == 0)
    #expect(plan.heldBack.count == 0)
    // Without the renumbered rows, the same students are held back.
    let missing = try fixture.plan([Self.teacher], options: options)
    #expect(missing.heldBack.count == 50)
    #expect(missing.summary.disable == 0)
  }

  @Test func anAmbiguousMatchIsNeverGuessed() throws {
    let fixture = try SyncFixture(accounts: [
      "Sam,,Lee,sam.a@x.org,1004,S1,Student,,6,Active",
      "Sam,,Lee,sam.b@x.org,1005,S1,Student,,7,Active",
      "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
      Self.teacher,
    ])
    let snapshot = try fixture.directory.snapshot()
    let plan = try fixture.plan([
      "Sam,,Lee,sam.new@x.org,7004,S1,Student,,6,Active",  // 2: either Sam Lee
      "Bo,,Li,bo.1@x.org,7002,S1,Student,,4,Active",  // 3: Bo by name…
      "Bo,,Li,bo.2@x.org,7003,S1,Student,,4,Active",  // 4: …as is this row
      Self.teacher,
    ])
    #expect(plan.summary.idChange == 0)
    #expect(plan.summary.create == 3)
    let findings = plan.findings.filter { $0.code == .ambiguousIDChange }
    #expect(findings.map(\.line) == [2, 3, 4])
    #expect(findings.allSatisfy { $0.severity == .warning })
    let sam = findings[0].message
    for customID in ["1004", "1005"] {
      let account = snapshot.accountIDs[snapshot.account(customID: customID)!]
      #expect(sam.contains("#\(account) (custom_id \(customID))"))
    }
    #expect(
      findings[1].message.contains("(custom_id 1002) could have the new ID of line 3 (custom_id 7002) or of line 4"))
    #expect(findings[1].relatedLines == [4])
  }

  /// Thousands of rows of one name against as many absent accounts of it:
  /// each row could be any of them, none is guessed, and each finding
  /// names the first few other rows and counts the rest (the rows' others
  /// are worked out once for the name, not gathered row by row).
  @Test func thousandsOfOneNameAreAmbiguousAndCountedOnce() throws {
    let count = 3_000
    let fixture = try SyncFixture(
      accounts: (0..<count).map { "Sam,,Lee,old\($0)@x.org,A\($0),S1,Student,,6,Active" } + [Self.teacher])
    let plan = try fixture.plan(
      (0..<count).map { "Sam,,Lee,new\($0)@x.org,B\($0),S1,Student,,6,Active" } + [Self.teacher])
    #expect(plan.summary.idChange == 0 && plan.summary.create == count)
    let findings = plan.findings.filter { $0.code == .ambiguousIDChange }
    #expect(findings.count == count)
    #expect(findings.allSatisfy { $0.relatedCount == count - 1 && $0.relatedLines.count == LineList.cap })
    #expect(findings[0].relatedLines == Array(3...12))
    #expect(findings[1].relatedLines == [2] + Array(4...12))
    #expect(findings[0].message.contains("and \(count - 5) more (as could lines 3, 4,"))
  }

  @Test func aRowNamingAnAccountOrAnAccountPresentIsNoIDChange() throws {
    let fixture = try SyncFixture(accounts: ["Bo,,Li,bo@x.org,1002,S1,Student,,4,Active", Self.teacher])
    // Bo is present under his own ID: a new row with his name is a new person.
    let plan = try fixture.plan([
      "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active", "Bo,,Li,bo.2@x.org,7002,S1,Student,,4,Active", Self.teacher,
    ])
    #expect(plan.summary.idChange == 0 && plan.change(line: 3)?.action == .create)
    // Another school, another user type: another person.
    for row in ["Bo,,Li,bo.2@x.org,7002,S2,Student,,4,Active", "Bo,,Li,bo.2@x.org,7002,S1,Teacher,Math,,Active"] {
      let other = try fixture.plan([row, Self.teacher])
      #expect(other.summary.idChange == 0, "\(row)")
    }
  }

  @Test func spreadsheetDamageAndAReusedEmailAreNoIDChange() throws {
    let fixture = try SyncFixture(accounts: ["Zed,,Zero,zed@x.org,004512,S1,Student,,1,Active", Self.teacher])
    // Lost leading zeros: the conflict suggests them back.
    let zeros = try fixture.plan(["Zed,,Zero,zed@x.org,4512,S1,Student,,1,Active", Self.teacher])
    #expect(zeros.summary.idChange == 0)
    #expect(zeros.findings.first { $0.code == .emailConflict }?.suggestedValue == "004512")
    // Scientific notation (W029), and the email given to someone else.
    for row in ["Zed,,Zero,zed@x.org,4.512E+03,S1,Student,,1,Active", "Amy,,Ash,zed@x.org,7777,S1,Student,,1,Active"] {
      let plan = try fixture.plan([row, Self.teacher])
      #expect(plan.summary.idChange == 0, "\(row)")
      #expect(plan.findings.contains { $0.code == .emailConflict }, "\(row)")
    }
    // One name in common is enough (a married name, a nickname).
    let renamed = try fixture.plan(["Zed,,Ash,zed@x.org,7777,S1,Student,,1,Active", Self.teacher])
    #expect(renamed.summary.idChange == 1)
  }

  @Test func theIDChangeThresholdHoldsAsTheDisableOneDoes() throws {
    let fixture = try SyncFixture(accounts: Self.students + [Self.teacher])
    let limited =
      Threshold.defaults.filter { $0.action != .idChange } + [
        Threshold(action: .idChange, maxCount: 10, maxShare: nil)
      ]
    let plan = try fixture.plan(Self.renumbered(), options: PlanOptions(thresholds: limited))
    #expect(plan.holds.map(\.threshold.action) == [.idChange])
    #expect(plan.isHeld)
    // The default: 250 and 10% of the 51 managed accounts in scope.
    #expect(try fixture.plan(Self.renumbered()).holds.map(\.threshold.action) == [.idChange])
    #expect(Threshold.parse("id-change=5,2%") == Threshold(action: .idChange, maxCount: 5, maxShare: 0.02))
  }

  @Test func verificationLetsOnlyAnIDChangeChangeTheCustomID() throws {
    let fixture = try SyncFixture(accounts: ["Bo,,Li,bo@x.org,1002,S1,Student,,4,Active", Self.teacher])
    var plan = try fixture.plan(["Bo,,Li,bo@x.org,7002,S1,Student,,4,Active", Self.teacher])
    plan.options.acceptIDChanges = true
    #expect(plan.changes.map(\.action) == [.idChange])
    // An update that re-keys is refused; so is an ID change whose old ID is
    // not the account's.
    var asUpdate = plan
    asUpdate.changes[0].action = .update
    #expect(throws: ApplyRefusal.self) { try fixture.directory.apply(asUpdate) }
    var wrongOld = plan
    wrongOld.changes[0].before?[.customID] = "1003"
    do {
      _ = try fixture.directory.apply(wrongOld)
      Issue.record("applied an ID change from another custom_id")
    } catch let refusal as ApplyRefusal {
      #expect("\(refusal)".contains("custom_id differ from the plan's before-values"))
    }
    guard case .applied = try fixture.directory.apply(plan) else {
      Issue.record("the ID change was not applied")
      return
    }
    #expect(try fixture.directory.snapshot().account(customID: "7002") != nil)
  }
}
