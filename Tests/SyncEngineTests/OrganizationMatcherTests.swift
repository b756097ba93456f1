import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

/// Proposing each directory organization's external ID from the SIS's file.
struct OrganizationMatcherTests {
  private func organization(
    _ id: Int64, _ name: String, _ externalID: String? = nil, _ kind: OrganizationKind = .school
  )
    -> Organization
  {
    Organization(id: id, externalID: externalID, name: name, kind: kind)
  }

  private func entry(_ line: Int, _ externalID: String, _ name: String, _ kind: OrganizationEntry.Kind = .school)
    -> OrganizationEntry
  {
    OrganizationEntry(externalID: externalID, name: name, kind: kind, line: line)
  }

  @Test func theSameIDIsKeptWhateverTheName() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Lincoln", "S1")], file: [entry(2, "S1", "Abraham Lincoln Elementary")])
    #expect(matching.proposals.map(\.reason) == [.sameID])
    #expect(matching.proposals[0].confidence == 100)
    #expect(matching.changes.isEmpty)
  }

  @Test func namesMatchDespiteCaseAccentsPunctuationAndCommonWords() {
    let directory = [
      organization(1, "LINCOLN ELEM."), organization(2, "Ecole Saint-Exupéry"), organization(3, "Roosevelt M.S."),
      organization(4, "Adams HS"),
    ]
    let file = [
      entry(2, "0101", "Adams High School"), entry(3, "0102", "Roosevelt Middle School"),
      entry(4, "0103", "École Saint Exupery"), entry(5, "0104", "Lincoln Elementary School"),
    ]
    let matching = OrganizationMatcher.match(directory: directory, file: file)
    #expect(
      matching.proposals.map { "\($0.organization.name)=\($0.externalID)" } == [
        "LINCOLN ELEM.=0104", "Ecole Saint-Exupéry=0103", "Roosevelt M.S.=0102", "Adams HS=0101",
      ])
    #expect(matching.proposals.allSatisfy { $0.confidence == 100 && $0.reason == .name })
    #expect(matching.unmatchedOrganizations.isEmpty && matching.unmatchedEntries.isEmpty)
  }

  @Test func aTypoStillMatchesWithLessConfidence() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Jefferson Elementary")], file: [entry(2, "0042", "Jeffersen Elementary School")])
    let proposal = try? #require(matching.proposals.first)
    #expect(proposal?.externalID == "0042")
    #expect((80..<100).contains(proposal?.confidence ?? 0))
  }

  @Test func aDifferentLevelIsADifferentSchool() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Northwind Middle School"), organization(2, "Northwind High")],
      file: [entry(2, "2003", "Northwind High School"), entry(3, "2002", "Northwind Middle School")])
    #expect(matching.proposals.map(\.externalID) == ["2002", "2003"])
    #expect(
      SchoolNameSimilarity.score("Northwind Middle", "Northwind High") < OrganizationMatcher.defaultMinimumConfidence)
  }

  @Test func noFileOrganizationIsGivenTwice() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Lincoln Elementary"), organization(2, "Lincoln Elementary School")],
      file: [entry(2, "0042", "Lincoln Elementary")])
    #expect(matching.proposals.count == 1)
    #expect(matching.proposals[0].organization.id == 1)
    #expect(matching.unmatchedOrganizations.map(\.id) == [2])
  }

  @Test func anIDAnotherOrganizationHasIsNeverProposed() {
    // Roosevelt has 0042 already; Lincoln resembles the file's 0042 row
    // by name but must not get it.
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Lincoln Elementary"), organization(2, "Roosevelt", "0042")],
      file: [entry(2, "0042", "Lincoln Elementary"), entry(3, "0043", "Washington Middle")])
    #expect(matching.changes.isEmpty)
    #expect(matching.proposals.map(\.reason) == [.sameID])
    #expect(matching.proposals[0].organization.id == 2)
    #expect(matching.unmatchedOrganizations.map(\.id) == [1])
    #expect(matching.unmatchedEntries.map(\.externalID) == ["0043"])
  }

  @Test func aSchoolIsNeverGivenADistrictsID() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Springfield")],
      file: [entry(2, "D1", "Springfield", .district)])
    #expect(matching.proposals.isEmpty)
  }

  @Test func theOnlyDistrictOnEachSideIsProposedWhateverItsName() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "District", nil, .district), organization(2, "Lincoln")],
      file: [entry(2, "lv-d00", "Lakeview Valley Unified School District", .district), entry(3, "s1", "Lincoln")])
    #expect(matching.proposals.map(\.externalID) == ["lv-d00", "s1"])
    #expect(matching.proposals[0].reason == .onlyDistrict)
  }

  @Test func aWeakResemblanceIsNotProposed() {
    let matching = OrganizationMatcher.match(
      directory: [organization(1, "Lincoln Elementary")], file: [entry(2, "9", "Lakeshore Elementary")])
    #expect(matching.proposals.isEmpty)
    #expect(matching.unmatchedOrganizations.count == 1 && matching.unmatchedEntries.count == 1)
    let loose = OrganizationMatcher.match(
      directory: [organization(1, "Lincoln Elementary")], file: [entry(2, "9", "Lakeshore Elementary")],
      minimumConfidence: 0)
    #expect(loose.proposals.count == 1)
  }

  @Test func approvedProposalsApplyAsOneRunThatReverts() throws {
    let fixture = try SyncFixture(
      organizations: [",Springfield District,district", ",Lincoln Elem,school", "S2,Roosevelt,school"],
      accounts: ["Ann,,Lee,ann@x.org,1001,Lincoln Elem,Student,,3,Active"])
    let orgs = try SyncFixture.write(
      fixture.folder, "orgs.csv",
      ["sourcedId,name,type", "d1,Springfield USD,district", "0042,Lincoln Elementary,school", "S2,Roosevelt,school"])
    let file = try OrganizationsFile.read(path: orgs)
    let snapshot = try fixture.directory.snapshot()
    let matching = OrganizationMatcher.match(directory: snapshot.organizations, file: file.entries)
    #expect(matching.changes.map(\.externalID) == ["d1", "0042"])
    let plan = OrganizationMatchPlan.plan(
      approving: matching.changes, file: file, fileSHA256: try sha256Hex(ofFile: orgs), directory: snapshot)
    guard case .applied(let run) = try fixture.directory.apply(plan) else {
      Issue.record("not applied")
      return
    }
    #expect(run.counts[RecordedChange.organizationAction] == 2)
    #expect(run.exportPath == orgs)
    let after = try fixture.directory.snapshot()
    #expect(after.organizations.map(\.externalID) == ["d1", "0042", "S2"])
    // The account's school is its organization's: now the new ID.
    #expect(after.values(ofAccount: 0)[.schoolExternalID] == "0042")
    _ = try fixture.directory.revert(runID: run.id)
    #expect(try fixture.directory.snapshot().organizations.map(\.externalID) == [nil, nil, "S2"])
  }

  @Test func aPlanAppliedTwiceIsAlreadyAppliedAndAnotherFromTheOldStateIsRefused() throws {
    let fixture = try SyncFixture(organizations: [",Lincoln Elem,school"], accounts: [])
    let orgs = try SyncFixture.write(fixture.folder, "School.csv", ["SIS ID,Name", "0042,Lincoln Elementary"])
    let file = try OrganizationsFile.read(path: orgs)
    let snapshot = try fixture.directory.snapshot()
    let matching = OrganizationMatcher.match(directory: snapshot.organizations, file: file.entries)
    let plan = OrganizationMatchPlan.plan(
      approving: matching.changes, file: file, fileSHA256: "x", directory: snapshot)
    _ = try fixture.directory.apply(plan)
    let runs = try fixture.directory.runs().count
    // The same plan again is "already applied", nothing written …
    #expect(throws: PlanAlreadyApplied.self) { _ = try fixture.directory.apply(plan) }
    // … and a plan made from the same, now old, state for another file is stale.
    let other = OrganizationMatchPlan.plan(
      approving: matching.changes, file: file, fileSHA256: "another file", directory: snapshot)
    #expect(throws: ApplyRefusal.self) { _ = try fixture.directory.apply(other) }
    #expect(try fixture.directory.runs().count == runs)
  }
}
