import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning

/// A scheduled run held by a threshold is kept in the directory for a
/// person: saved with its export, superseded by a newer held run of the
/// same source, approved (applied as planned) or rejected, refused when
/// the directory changed since.
@Suite struct PendingRunTests {
  /// 50 students in S1, custom_ids 1000…1049.
  static let students = (0..<50).map { "Kid\($0),,Pupil\($0),kid\($0)@x.org,\(1000 + $0),S1,Student,,5,Active" }

  /// Only ten students in the export: with --disable-missing, 40 disables
  /// of 50 accounts, over the default 10% share.
  static func heldPlan(_ fixture: SyncFixture) throws -> (Plan, PendingRunContent) {
    let plan = try fixture.plan(Array(students.prefix(10)), options: PlanOptions(disableMissing: true))
    #expect(plan.isHeld)
    let export = try Array(Data(contentsOf: fixture.folder.appendingPathComponent("export.csv")))
    let content = PendingRunContent(
      plan: try PlanFile.encoded(plan), export: export, mapping: "[file roles]\npath = roles.csv\n",
      companions: ["roles": Array("a,b\n".utf8)])
    return (plan, content)
  }

  @Test(arguments: StoreKind.allCases) func aHeldRunIsKeptSupersededAndApprovedAsPlanned(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.students, store: store)
    let (plan, content) = try Self.heldPlan(fixture)
    let generation = try fixture.directory.state.generation
    let first = try fixture.directory.holdForReview(plan, content: content)
    // Keeping it is no change of the directory: the plan stays fresh.
    #expect(try fixture.directory.state.generation == generation)
    let (record, kept) = try #require(try fixture.directory.pendingRun(id: first.id))
    #expect(kept == content)
    #expect(record.status == .pending && record.exportSHA256 == plan.exportSHA256)
    let holds = PendingRunHolds(recorded: record.holds)
    #expect(holds.thresholds.map(\.threshold.action) == [.disable] && holds.thresholds.first?.count == 40)

    let second = try fixture.directory.holdForReview(plan, content: content)
    #expect(second.superseded == [first.id])
    let older = try #require(try fixture.directory.pendingRuns().first { $0.id == first.id })
    #expect(older.status == .superseded && older.supersededBy == second.id)
    #expect(throws: PendingRunRefusal.alreadyDecided(older)) {
      try fixture.directory.approvePendingRun(id: first.id, reason: "ok")
    }
    #expect(throws: PendingRunRefusal.noReason) { try fixture.directory.approvePendingRun(id: second.id, reason: " ") }
    #expect(throws: PendingRunRefusal.notFound(99)) { try fixture.directory.approvePendingRun(id: 99, reason: "ok") }

    guard case .applied(let run) = try fixture.directory.approvePendingRun(id: second.id, reason: "students left")
    else {
      Issue.record("the approved run applied nothing")
      return
    }
    #expect(run.counts["disable"] == 40)
    let approved = try #require(try fixture.directory.pendingRuns().first { $0.id == second.id })
    #expect(approved.status == .approved && approved.appliedRun == run.id && approved.reason == "students left")
    #expect(approved.decidedBy == RunClock.user && approved.decidedAt != nil)
    #expect(try fixture.accountLines().filter { $0.contains(",Disabled") }.count == 40)
  }

  @Test(arguments: StoreKind.allCases) func aRejectedRunAppliesNothingAndIsKept(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.students, store: store)
    let (plan, content) = try Self.heldPlan(fixture)
    let before = try fixture.accountLines()
    let held = try fixture.directory.holdForReview(plan, content: content)
    let rejected = try fixture.directory.rejectPendingRun(id: held.id, reason: "the SIS export was cut short")
    #expect(rejected.status == .rejected && rejected.reason == "the SIS export was cut short")
    #expect(try fixture.accountLines() == before)
    #expect(try fixture.directory.pendingRuns() == [rejected])
    #expect(throws: PendingRunRefusal.alreadyDecided(rejected)) {
      try fixture.directory.approvePendingRun(id: held.id, reason: "ok")
    }
    #expect(throws: PendingRunRefusal.noReason) { try fixture.directory.rejectPendingRun(id: held.id, reason: "") }
  }

  @Test(arguments: StoreKind.allCases) func aStaleHeldRunIsRefusedAndStaysPending(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: Self.students, store: store)
    let (plan, content) = try Self.heldPlan(fixture)
    let held = try fixture.directory.holdForReview(plan, content: content)
    // Someone changes an account since: the held plan no longer fits.
    var changed = Self.students
    changed[0] = changed[0].replacingOccurrences(of: ",5,Active", with: ",6,Active")
    guard case .applied = try fixture.directory.apply(try fixture.plan(changed)) else {
      Issue.record("the change applied nothing")
      return
    }
    do {
      _ = try fixture.directory.approvePendingRun(id: held.id, reason: "ok")
      Issue.record("a stale held run was applied")
    } catch ApplyRefusal.stale(let changes) {
      #expect(changes.contains { $0.contains("custom_id 1000") })
    }
    #expect(try fixture.directory.pendingRuns().first?.status == .pending)
  }

  @Test func contentSurvivesItsColumns() throws {
    let content = PendingRunContent(
      plan: Array("{}\n".utf8), export: [0xFF, 0x00, 0x41], mapping: nil, companions: ["a=b": [1, 2, 3]])
    #expect(PendingRunContent(values: content.columnValues) == content)
  }
}
