import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Disable-missing spares a person who is in the export on a row that is not
/// applied (errors, or excluded in review): `PersonMatcher` links the row to
/// the account by custom_id, else email, else name with building and user
/// type, only when the match is unique both ways.
@Suite struct PersonMatcherTests {
  static let accounts = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Cy,,Wu,cy@x.org,1003,S1,Student,,3,Active",
    "Sam,,Lee,sam.a@x.org,1004,S1,Student,,6,Active",
    "Sam,,Lee,sam.b@x.org,1005,S1,Student,,7,Active",
    "Di,,Ng,di@x.org,1006,S1,Teacher,Math,,Active",
  ]
  static let ana = "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"
  static let disableMissing = PlanOptions(disableMissing: true)

  private func disabledIDs(_ plan: Plan) -> Set<String> {
    Set(plan.changes.filter { $0.action == .disable && $0.line == nil }.map(\.customID))
  }

  /// Planning hands the ID changes' rows over with their emails' accounts
  /// looked up already (their custom_ids are no account's): matching with
  /// those is matching with the lookups made again, on one core and in two
  /// halves.
  @Test func knownEmailOwnersMatchAsLookingThemUp() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let snapshot = try fixture.directory.snapshot()
    let pool = Array(0..<snapshot.accountCount)
    let candidates = pool.filter { snapshot.accounts.value(row: $0, column: .customID) != "1001" }
    let matcher = PersonMatcher(
      directory: snapshot, candidates: candidates, names: PersonNameIndex(directory: snapshot, pool: pool),
      organizationIndex: snapshot.organizationIndex(externalID:))
    let rows = [
      ("BO@x.org", "Bo", "Li"), ("ana@x.org", "Ana", "Ruiz"), ("new@x.org", "Cy", "Wu"),
      ("other@x.org", "Sam", "Lee"), ("di@x.org", "Zed", "Zed"), ("none@x.org", "No", "One"),
    ]
    for count in [rows.count, 5000] {
      let people = (0..<count).map { index in
        let (email, first, last) = rows[index % rows.count]
        return PersonKeys(
          customID: "90\(index)", email: email, firstName: first, lastName: last, building: "S1",
          userType: first == "Di" ? "Teacher" : "Student")
      }
      let owners = people.map { snapshot.account(email: $0.email) }
      #expect(owners.contains(nil) && owners.contains { $0 != nil })
      #expect(matcher.match(count: people.count, emailOwners: owners) { people[$0] } == matcher.match(people))
    }
  }

  /// A name index built ahead over a pool of accounts (planning's, shared
  /// by the ID changes and the kept accounts) matches as indexing the
  /// candidates does, also when thousands of rows are looked up in two
  /// halves on both cores.
  @Test func aSharedNameIndexMatchesAsTheMatchersOwnDoes() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let snapshot = try fixture.directory.snapshot()
    let pool = Array(0..<snapshot.accountCount)
    let candidates = pool.filter { snapshot.accounts.value(row: $0, column: .customID) != "1001" }
    let names = PersonNameIndex(directory: snapshot, pool: pool)
    let shared = PersonMatcher(
      directory: snapshot, candidates: candidates, names: names,
      organizationIndex: snapshot.organizationIndex(externalID:))
    let own = PersonMatcher(
      directory: snapshot, candidates: candidates, organizationIndex: snapshot.organizationIndex(externalID:))
    let kinds = [("SAM", "lee"), ("Cy", "WU"), ("Ana", "Ruiz"), ("Di", "Ng"), ("Bo", "Li"), ("No", "One")]
    // Over 4,096 rows: the shared matcher splits them in two halves.
    let people = (0..<5000).map { index in
      let (first, last) = kinds[index % kinds.count]
      return PersonKeys(
        customID: "", email: "", firstName: first, lastName: last, building: index % 7 == 0 ? "S2" : "S1",
        userType: first == "Di" ? "Teacher" : "student")
    }
    let matches = shared.match(people)
    #expect(matches == own.match(people))
    #expect(matches.contains(.ambiguous([snapshot.account(customID: "1004")!, snapshot.account(customID: "1005")!])))
    #expect(!matches.contains { if case .ambiguous(let accounts) = $0 { accounts.isEmpty } else { false } })
    // One row per person: unique matches, found by name.
    let one = [
      PersonKeys(customID: "", email: "", firstName: "cy", lastName: "wu", building: "S1", userType: "Student")
    ]
    #expect(shared.match(one) == [.account(snapshot.account(customID: "1003")!, by: .name)])
  }

  @Test func theMatcherDecidesByTheFirstKeyThatNamesAnAccount() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let snapshot = try fixture.directory.snapshot()
    let index = { (customID: String) in snapshot.account(customID: customID)! }
    // Every account but Ana's is a candidate.
    let matcher = PersonMatcher(
      directory: snapshot, candidates: (1..<6).map { index("100\($0 + 1)") },
      organizationIndex: snapshot.organizationIndex(externalID:))
    func person(_ first: String, _ last: String, email: String = "", customID: String = "", building: String = "S1")
      -> PersonKeys
    {
      PersonKeys(
        customID: customID, email: email, firstName: first, lastName: last, building: building, userType: "Student")
    }
    let matches = matcher.match([
      person("X", "Y", customID: "1003"),  // Cy by custom_id
      person("Sam", "Lee", email: "BO@X.ORG"),  // Bo by email, whatever the name
      person("Ana", "Ruiz", email: "ana@x.org"),  // Ana: not a candidate, and not looked for by name
      person("SAM", "lee"),  // two Sam Lees
      person("Bo", "Li", building: "S2"),  // nobody in S2
    ])
    #expect(
      matches == [
        .account(index("1003"), by: .customID), .account(index("1002"), by: .email), .none,
        .ambiguous([index("1004"), index("1005")]), .none,
      ])
    // A second row for Bo: neither row is linked to him.
    #expect(
      matcher.match([person("Bo", "Li", email: "bo@x.org"), person("Bo", "Li")]) == [
        .ambiguous([index("1002")]), .ambiguous([index("1002")]),
      ])
  }

  @Test func aRowWithAnEmptyCustomIDKeepsTheAccountOfItsEmail() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    // Line 3: Bo, custom_id left empty (an error), Bo's email in upper case.
    let plan = try fixture.plan([Self.ana, "Bo,,Li,BO@x.org,,S1,Student,,4,Active"], options: Self.disableMissing)
    #expect(plan.outcome(line: 3) == .error)
    #expect(disabledIDs(plan) == ["1003", "1004", "1005", "1006"])
    #expect(plan.summary.disable == 4)
    let kept = try #require(plan.findings.first { $0.code == .presentWithErrors })
    #expect(kept.line == 3)
    #expect(kept.severity == .warning)
    let bo = try #require(try fixture.directory.snapshot().account(customID: "1002"))
    let boID = try fixture.directory.snapshot().accountIDs[bo]
    #expect(
      kept.message
        == "account #\(boID) (custom_id 1002) is not disabled: line 3 is that person (same email), but the row has errors"
    )
    // Without disable-missing nothing is disabled, and nothing is said.
    let off = try fixture.plan([Self.ana, "Bo,,Li,BO@x.org,,S1,Student,,4,Active"])
    #expect(!off.findings.contains { $0.code == .presentWithErrors || $0.code == .ambiguousPerson })
  }

  @Test func nameBuildingAndUserTypeMatchWhenTheEmailIsWrongToo() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    // Cy's custom_id mistyped as an unknown one, her email invalid: her name,
    // school and user type still say who she is (case aside).
    let plan = try fixture.plan(
      [Self.ana, "cy,,WU,cy-at-x.org,9999,S1,student,,3,Active"], options: Self.disableMissing)
    #expect(plan.outcome(line: 3) == .error)
    #expect(!disabledIDs(plan).contains("1003"))
    let kept = try #require(plan.findings.first { $0.code == .presentWithErrors })
    #expect(kept.line == 3)
    #expect(kept.message.contains("(custom_id 1003)") && kept.message.contains("same name, building and user type"))
    // Another school or another user type is another person.
    for row in ["Cy,,Wu,cy-at-x.org,9999,S2,Student,,3,Active", "Cy,,Wu,cy-at-x.org,9999,S1,Teacher,,,Active"] {
      let other = try fixture.plan([Self.ana, row], options: Self.disableMissing)
      #expect(disabledIDs(other).contains("1003"), "\(row)")
      #expect(!other.findings.contains { $0.code == .presentWithErrors }, "\(row)")
    }
  }

  @Test func twoAccountsOfTheSameNameAreAmbiguousAndBothKept() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan([Self.ana, "Sam,,Lee,,,S1,Student,,6,Active"], options: Self.disableMissing)
    #expect(!plan.findings.contains { $0.code == .presentWithErrors })
    let finding = try #require(plan.findings.first { $0.code == .ambiguousPerson })
    #expect(finding.line == 3)
    #expect(finding.message.contains("custom_id 1004") && finding.message.contains("custom_id 1005"))
    #expect(finding.message.hasSuffix("none is disabled and none is chosen"))
    // Nothing is guessed: neither is disabled (nor linked to the row).
    #expect(disabledIDs(plan) == ["1002", "1003", "1006"])
  }

  @Test func twoRowsMatchingOneAccountAreAmbiguous() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(
      [
        Self.ana,
        "Bo,,Li,bo@x.org,,S1,Student,,4,Active",  // 3: by email
        "Bo,,Li,bo-at-x.org,,S1,Student,,4,Active",  // 4: by name
      ], options: Self.disableMissing)
    #expect(!plan.findings.contains { $0.code == .presentWithErrors })
    let findings = plan.findings.filter { $0.code == .ambiguousPerson }
    #expect(findings.map(\.line) == [3, 4])
    #expect(findings.map(\.relatedLines) == [[4], [3]])
    #expect(findings[0].message.contains("(custom_id 1002) could be line 3 or line 4"))
    #expect(!disabledIDs(plan).contains("1002"))
  }

  @Test func validRowsAreNotKeptButReKeyed() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    // A valid row with a new custom_id and Cy's name: not a row kept from
    // disable-missing but Cy's ID change (IDChangeTests); Cy is not disabled.
    let plan = try fixture.plan(
      [Self.ana, "Cy,,Wu,cy.new@x.org,7001,S1,Student,,3,Active"], options: Self.disableMissing)
    #expect(plan.change(line: 3)?.action == .idChange)
    #expect(plan.change(line: 3)?.oldCustomID == "1003")
    #expect(disabledIDs(plan) == ["1002", "1004", "1005", "1006"])
    #expect(!plan.findings.contains { $0.code == .presentWithErrors || $0.code == .ambiguousPerson })
  }

  @Test func keptAccountsAreNotCountedByThresholds() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let options = PlanOptions(
      disableMissing: true, thresholds: [Threshold(action: .disable, maxCount: 4, maxShare: nil)])
    let plan = try fixture.plan([Self.ana, "Bo,,Li,bo@x.org,,S1,Student,,4,Active"], options: options)
    #expect(plan.summary.disable == 4)
    #expect(!plan.isHeld)
    let withoutBo = try fixture.plan([Self.ana], options: options)
    #expect(withoutBo.isHeld)
  }

  @Test func anExcludedRowKeepsItsAccountToo() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let plan = try fixture.plan(
      [Self.ana, "Bo,,Li,bo@x.org,,S1,Student,,4,Active"], decisions: [.exclude(line: 3)],
      options: Self.disableMissing)
    #expect(plan.outcome(line: 3) == .excluded)
    #expect(!disabledIDs(plan).contains("1002"))
    let kept = try #require(plan.findings.first { $0.code == .presentWithErrors })
    #expect(kept.message.hasSuffix("but the row is excluded"))
  }

  /// Rows of every kind, some of which prove duplicates only at the end of
  /// the file: planning while reading (in two halves) equals planning from
  /// the table.
  @Test func planningWhileReadingKeepsTheSameAccounts() throws {
    var accounts = Self.accounts
    for index in 0..<60 { accounts.append("P\(index),,Q,p\(index)@x.org,\(5000 + index),S1,Student,,3,Active") }
    let fixture = try SyncFixture(accounts: accounts)
    var rows = [Self.ana]
    for index in 0..<60 where index % 4 != 0 {
      rows.append("P\(index),,Q,p\(index)@x.org,\(5000 + index),S1,Student,,3,Active")
    }
    rows += [
      "Bo,,Li,bo@x.org,,S1,Student,,4,Active",  // error, by email
      "Cy,,Wu,cy.new@x.org,7777,S1,Student,,3,Active",  // a create, then a duplicate of the next
      "Zed,,Zo,zed@x.org,7777,S1,Student,,3,Active",
      "Di,,Ng,di.new@x.org,8888,S1,Teacher,,,Disabled",  // nothing to do, then a duplicate
      "Ed,,Ox,ed@x.org,8888,S1,Teacher,,,Disabled",
      "Sam,,Lee,,,S1,Student,,6,Active",  // ambiguous
      "P4,,Q,p4-at-x.org,,S1,Student,,3,Active",  // by name
      "P8,,Q,p8@x.org,4,S1,Student,,3,Active",  // a new custom_id with P8's email: P8's ID change
    ]
    let (fromTable, streamed) = try fixture.planBothWays(export: try fixture.export(rows), options: Self.disableMissing)
    #expect(streamed.comparableLines == fromTable.comparableLines)
    let keptLines = fromTable.findings.filter { $0.code == .presentWithErrors }.map(\.line)
    #expect(keptLines.count == 4)  // Bo, Cy, Di, P4
    #expect(fromTable.changes.filter { $0.action == .idChange }.map(\.oldCustomID) == ["5008"])
    #expect(fromTable.findings.contains { $0.code == .ambiguousPerson })
    let disabled = disabledIDs(fromTable)
    for kept in ["1002", "1003", "1004", "1005", "1006", "5004", "5008"] {
      #expect(!disabled.contains(kept), "\(kept)")
    }
    #expect(disabled.contains("5000"))
  }

  // MARK: The review screen's plan

  private func live(_ fixture: SyncFixture, _ rows: [String]) throws -> (LivePlan, String) {
    let export = try fixture.export(rows)
    let baseline = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: Self.disableMissing, keepsRows: true),
      directory: fixture.directory)
    let live = LivePlan(
      validation: baseline.validation, directory: baseline.directory, options: Self.disableMissing,
      exportSHA256: baseline.plan.exportSHA256)
    #expect(live.plan().comparableLines == baseline.plan.comparableLines, "no decisions")
    return (live, export)
  }

  @Test func theReviewPlanKeepsTheSameAccountsDecisionByDecision() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let rows = [
      Self.ana,
      "Bo,,Li,bo@x.org,,S1,Student,,5,Active",  // 3: kept by email (and a grade change)
      "Sam,,Lee,,,S1,Student,,6,Active",  // 4: ambiguous
      "Cy,,Wu,cy.new@x.org,7001,S1,Student,,3,Active",  // 5: a valid create
    ]
    let (live, export) = try live(fixture, rows)
    let bo = try #require(live.directory.account(customID: "1002"))
    #expect(!live.missingAccountDisables().contains(bo))
    #expect(live.findings(row: 1).contains { $0.code == .presentWithErrors })
    #expect(live.thresholdHolds() == live.plan().holds)
    let decisions: [Decision] = [
      .exclude(line: 3),  // still kept: the person is in the export
      .exclude(line: 5),  // an excluded valid row: Cy's name, so Cy is kept too
      .include(line: 3),
      .editCustomID(line: 3, customID: "1002"),  // fixed: an update of Bo, who is present
      .editCustomID(line: 4, customID: "1005"),  // Sam B named: Sam A is disabled now
    ]
    for (count, decision) in decisions.enumerated() {
      live.apply(decision)
      let scratch = try PlanPipeline.run(
        PlanPipeline.Input(
          exportPath: export, decisions: ReviewDecisions(Array(decisions.prefix(count + 1))),
          options: Self.disableMissing),
        directory: fixture.directory)
      #expect(live.plan().comparableLines == scratch.plan.comparableLines, "after \(decision.summary)")
      #expect(live.thresholdHolds() == scratch.plan.holds, "after \(decision.summary)")
      #expect(live.missingAccountDisables().count == scratch.plan.changes.filter { $0.line == nil }.count)
    }
    let final = live.plan()
    #expect(final.change(line: 3)?.action == .update)
    #expect(final.change(line: 3)?.customID == "1002")
    #expect(!disabledIDs(final).contains("1002"))
    #expect(!disabledIDs(final).contains("1003"))  // Cy: the excluded row on line 5
    #expect(disabledIDs(final).contains("1004"))
    #expect(!final.findings.contains { $0.code == .ambiguousPerson })
    for _ in decisions { live.undo() }
    let undone = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: export, options: Self.disableMissing), directory: fixture.directory)
    #expect(live.plan().comparableLines == undone.plan.comparableLines)
  }

  /// Thousands of rows with errors and one account's email (a placeholder
  /// used for everyone): each W052 names the first 10 other lines and counts
  /// the rest. Listing them all made findings and time quadratic.
  @Test func manyRowsForOneAccountAreCountedNotListed() throws {
    let fixture = try SyncFixture(accounts: Self.accounts)
    let rows = (0..<3000).map { "P\($0),,Q\($0),bo@x.org,,S1,Student,,4,Active" }
    let plan = try fixture.plan(rows, options: Self.disableMissing)
    let ambiguous = plan.findings.filter { $0.code == .ambiguousPerson }
    #expect(ambiguous.count == 3000)
    #expect(ambiguous.allSatisfy { $0.relatedLines.count == 10 && $0.relatedCount == 2999 })
    #expect(ambiguous[5].relatedLines == Array(2...11).filter { $0 != 7 } + [12])
    #expect(ambiguous[0].message.contains("lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2,989 more"))
    #expect(!disabledIDs(plan).contains("1002"))
  }
}
