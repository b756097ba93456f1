import Foundation
import ReviewUI
import StoreKinds
import SyncEngine
import Testing
import TextScreen

/// Many reviewers on one district at once (issue 14): each review screen
/// reads one consistent state, commits go one at a time under the
/// directory's lock, and a commit behind another is refused as stale,
/// then reloads and commits. On every store that can be opened twice.
@Suite(.serialized) struct ManyReviewersTests {
  static let stores: [StoreKind] = [.sqlite, .postgresql]

  /// Another review screen on the fixture's directory, through a store
  /// object of its own (another admin's desk).
  final class OtherScreen {
    let directory: any DirectoryStore
    let app: ReviewLoop
    let services: RecordingServices

    init(beside fixture: ReviewFixture, lockWait: TimeInterval = 0) throws {
      directory = try #require(try StoreKind.reopen(fixture.directory, lockWait: lockWait))
      let loaded = try ReviewLoader.loadSession(
        ReviewLoader.Input(exportPath: fixture.exportPath, mapping: .identity, options: PlanOptions()),
        directory: directory)
      let model = ReviewModel(
        plan: loaded.plan, exportPath: fixture.exportPath, directoryLocation: directory.location, mapping: .identity)
      services = RecordingServices(directory: directory)
      app = ReviewLoop(model: model, rows: 30, columns: 100, sessionPath: nil)
    }

    func press(_ keys: Key...) { for key in keys { app.press(key, services: services) } }
    var screen: String { app.render().lines.joined(separator: "\n") }
  }

  /// What a screen's plan would do, row by row.
  static func outcomes(_ app: ReviewLoop) -> [String] { app.model.livePlan.plan().rowOutcomes.map { "\($0)" } }

  static func appliedRun(_ app: ReviewLoop) -> Bool {
    if case .result(let title, _, false) = app.state.modal { return title.hasPrefix("Applied as run") }
    return false
  }

  @Test(arguments: stores) func theSecondCommitIsRefusedAsStaleThenReloadsAndCommits(store: StoreKind) throws {
    let first = try ReviewFixture(size: (30, 100), store: store)
    let second = try OtherScreen(beside: first)
    // Both read the same state of the directory.
    #expect(Self.outcomes(first.app) == Self.outcomes(second.app))
    #expect(first.app.model.livePlan.plan().directoryToken == second.app.model.livePlan.plan().directoryToken)

    // The first admin leaves the first create (New Kid) out and commits.
    first.press(.character("2"), .character("x"))
    #expect(first.app.model.decisions == [.exclude(line: 4)])
    first.press(.character("c"), .character("y"))
    #expect(Self.appliedRun(first.app), "\(first.screen)")

    // The second's plan is stale: refused, saying what changed, nothing written.
    let runsBefore = try first.directory.runs().count
    second.press(.character("c"), .character("y"))
    guard case .stalePlan(_, let changes) = second.app.state.modal else {
      Issue.record("the second commit was not refused as stale: \(second.screen)")
      return
    }
    #expect(changes.contains("account #1 (custom_id 1001)"), "\(changes)")
    #expect(second.screen.contains("changed since the plan was made"))
    #expect(try first.directory.runs().count == runsBefore)

    // Reloaded, it plans against the directory as it is now: only New Kid is left.
    second.press(.character("r"))
    #expect(second.app.state.modal == nil)
    #expect(second.app.model.livePlan.plan().summary.create == 1)
    second.press(.character("c"), .character("y"))
    #expect(Self.appliedRun(second.app), "\(second.screen)")
    #expect(try first.directory.runs().count == runsBefore + 1)
    #expect(try first.directory.read { try $0.accountID(customID: "2001", otherThan: 0) } != nil)
  }

  @Test(arguments: stores) func aScheduledApplyDuringAReviewIsSerialisedByTheLock(store: StoreKind) throws {
    let review = try ReviewFixture(size: (30, 100), store: store)
    let before = try review.directory.state
    let scheduledPlan = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: review.exportPath, keepsRows: true), directory: review.directory
    ).plan
    // The reviewer leaves Ana's update out: the screen's plan is its own.
    review.press(.character("3"), .character("x"))
    #expect(review.app.model.decisions == [.exclude(line: 2)])
    let reviewPlan = review.app.model.livePlan.plan()

    // The scheduled `apply --yes`: its own store object, held inside its
    // transaction once it has recorded a change.
    let marker = review.folder.appendingPathComponent("paused").path
    let scheduled = try #require(
      try StoreKind.reopen(review.directory, pause: ApplyPause(afterChanges: 1, marker: marker, seconds: 3)))
    let outcome = ScheduledOutcome()
    let done = DispatchSemaphore(value: 0)
    let plan = UncheckedBox(scheduledPlan)
    let scheduledStore = UncheckedBox(scheduled)
    Thread.detachNewThread {
      outcome.set(Result { try scheduledStore.value.apply(plan.value) })
      done.signal()
    }
    let deadline = Date().addingTimeInterval(30)
    while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(20_000) }
    #expect(FileManager.default.fileExists(atPath: marker), "the scheduled apply never paused")

    // While it is inside its transaction: a screen opened now reads the
    // state before it, never half of it...
    let opened = try OtherScreen(beside: review)
    #expect(Self.outcomes(opened.app) == scheduledPlan.rowOutcomes.map { "\($0)" })
    #expect(try opened.directory.state == before)
    // ...a commit from the screen is refused at once (the lock), nothing written...
    review.press(.character("c"), .character("y"))
    guard case .result("Not applied", let lines, true) = review.app.state.modal else {
      Issue.record("the commit during the scheduled apply was not refused: \(review.screen)")
      return
    }
    #expect(lines.first?.contains("lock") == true || lines.first?.contains("another") == true, "\(lines)")
    // ...and a writer willing to wait waits for the apply, then finds its
    // plan stale: one after the other, never interleaved.
    let waiting = try #require(try StoreKind.reopen(review.directory, lockWait: 30))
    let started = Date()
    #expect {
      _ = try waiting.apply(reviewPlan)
    } throws: { error in
      if case ApplyRefusal.stale = error { return true }
      return false
    }
    #expect(Date().timeIntervalSince(started) > 0.5)
    done.wait()
    guard case .success(.applied(let run)) = outcome.value else {
      Issue.record("the scheduled apply did not apply: \(String(describing: outcome.value))")
      return
    }
    let runs = try review.directory.runs()
    #expect(runs.map(\.id) == [run.id, 1])
    #expect(try review.directory.state.generation == before.generation + 1)

    // The screen's next commit is stale (the scheduled run changed the
    // directory); reloaded, nothing is left to apply.
    review.press(.escape, .character("c"), .character("y"))
    guard case .stalePlan = review.app.state.modal else {
      Issue.record("not refused as stale after the scheduled apply: \(review.screen)")
      return
    }
    review.press(.character("r"))
    #expect(review.app.model.livePlan.plan().changes.isEmpty)
  }
}

/// The scheduled apply's outcome, set on its thread.
final class ScheduledOutcome: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<ApplyOutcome, Error>?
  func set(_ result: Result<ApplyOutcome, Error>) {
    lock.lock()
    self.result = result
    lock.unlock()
  }
  var value: Result<ApplyOutcome, Error>? {
    lock.lock()
    defer { lock.unlock() }
    return result
  }
}

/// A value handed to another thread the test waits for.
struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
