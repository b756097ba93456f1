import Foundation
import SyncEngine

/// What the review screen asks of the world: files and the directory.
/// The screen calls these through the effect runner; tests swap in fakes.
public protocol ReviewServices {
  func saveSession(_ session: ReviewSession, to path: String) throws
  /// Writes the report for the customer (names and emails masked when
  /// `redacted`); returns the files written. `notApplied`: the saved
  /// decisions that did not fit on reopening.
  func writeReport(
    _ plan: Plan, validation: ValidationResult, notApplied: [NotAppliedDecision], basePath: String, redacted: Bool
  ) throws -> [String]
  /// Writes a mapping file (no personal data: headers and values).
  func saveMapping(_ text: String, to path: String) throws
  /// Applies the plan through the engine (one transaction).
  func commit(_ plan: Plan) throws -> CommitOutcome
  /// Reads the directory again and plans the export against it, the
  /// decisions replayed (a commit refused as stale is then tried again).
  func reloadPlan(_ input: ReviewLoader.Input, decisions: [Decision]) throws -> LivePlan
  /// Every run that changed the account, oldest first (`t`; reads only).
  func timeline(ofAccount id: Int64) throws -> PersonTimeline
  /// Protects an account (`sis-sync protect`): one run; nil when it was
  /// protected so already.
  func protectAccount(id: Int64, reason: String) throws -> Int64?
  /// Rejects the held run under review (`review --pending`), with why.
  func rejectPendingRun(reason: String) throws
}

extension ReviewServices {
  /// Services for an export's review have no held run to reject.
  public func rejectPendingRun(reason: String) throws { throw NoHeldRunUnderReview() }
}

/// R on the review of an export: there is no held run to reject.
struct NoHeldRunUnderReview: Error, CustomStringConvertible {
  var description: String { "no held run is under review (sis-sync review --pending N opens one)" }
}

/// A rebuilt plan as an event carries it (the same plan is the same event).
public struct ReloadedPlan: Equatable, @unchecked Sendable {
  public let plan: LivePlan
  public init(_ plan: LivePlan) { self.plan = plan }
  public static func == (lhs: ReloadedPlan, rhs: ReloadedPlan) -> Bool { lhs.plan === rhs.plan }
}

public enum CommitOutcome: Sendable, Equatable {
  case applied(runID: Int64, counts: [String: Int])
  case nothingToApply
}

/// The real services: session and report files written atomically and
/// owner-only (they name students), commits through the directory store.
public struct EngineReviewServices: ReviewServices {
  public let directory: any DirectoryStore
  /// The held scheduled run under review (`review --pending`): a commit
  /// approves it, in the same transaction.
  public let pendingRun: Int64?

  public init(directory: any DirectoryStore, pendingRun: Int64? = nil) {
    self.directory = directory
    self.pendingRun = pendingRun
  }

  public func saveSession(_ session: ReviewSession, to path: String) throws {
    try session.save(to: path)
  }

  public func writeReport(
    _ plan: Plan, validation: ValidationResult, notApplied: [NotAppliedDecision], basePath: String, redacted: Bool
  ) throws -> [String] {
    let base = Self.stripped(basePath)
    let textPath = base + ".txt"
    let csvPath = base + ".csv"
    let report = ReviewReport(plan, validation: validation, notApplied: notApplied, redacted: redacted)
    try writeFileAtomically(Array(report.text().utf8), to: textPath, ownerOnly: true)
    try writeFileAtomically(Array(report.csv().utf8), to: csvPath, ownerOnly: true)
    return [textPath, csvPath]
  }

  public func saveMapping(_ text: String, to path: String) throws {
    try writeFileAtomically(Array(text.utf8), to: path, ownerOnly: false)
  }

  public func commit(_ plan: Plan) throws -> CommitOutcome {
    // A held run under review is approved with the commit, in its transaction.
    let outcome: ApplyOutcome =
      if let pendingRun {
        try directory.approvePendingRun(id: pendingRun, reason: "reviewed and committed", plan: plan)
      } else {
        try directory.apply(plan)
      }
    return switch outcome {
    case .applied(let run): .applied(runID: run.id, counts: run.counts)
    case .nothingToApply: .nothingToApply
    }
  }

  public func reloadPlan(_ input: ReviewLoader.Input, decisions: [Decision]) throws -> LivePlan {
    // The settings may have changed since the screen opened (a stale
    // commit says so): plan under the directory's settings as they are now.
    var input = input
    let settings = try directory.settings().settings
    try settings.check()
    input.options = settings.renewing(input.options)
    let plan = try ReviewLoader.load(input, directory: directory)
    for decision in decisions { plan.apply(decision) }
    return plan
  }

  public func rejectPendingRun(reason: String) throws {
    guard let pendingRun else { throw NoHeldRunUnderReview() }
    _ = try directory.rejectPendingRun(id: pendingRun, reason: reason)
  }

  public func protectAccount(id: Int64, reason: String) throws -> Int64? {
    try directory.protect(.accountNumber(id), reason: reason, until: nil)?.id
  }

  public func timeline(ofAccount id: Int64) throws -> PersonTimeline {
    try directory.timeline(of: "#\(id)")
  }

  /// `report.txt` and `report.csv` both come from `report`.
  static func stripped(_ path: String) -> String {
    for suffix in [".txt", ".csv"] where path.hasSuffix(suffix) { return String(path.dropLast(suffix.count)) }
    return path
  }
}
