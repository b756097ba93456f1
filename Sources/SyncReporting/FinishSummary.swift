import SyncDirectory
import SyncModel
import SyncPlanning

/// How an apply ended, in one word, for the command it notifies
/// (`--on-finish`: `SIS_SYNC_OUTCOME` and the summary's `outcome`).
public enum RunOutcome: String, Sendable, Equatable, CaseIterable {
  /// A run was written (exit 0, or 1 with rows with errors left out).
  case applied
  /// Nothing to do (exit 10), or every change held back for its proposed email (exit 1).
  case nothing
  /// A threshold, or ID changes nobody accepted, held the plan (exit 11).
  case held
  /// The plan was refused: stale, another directory, replaced or restored, does not fit (exit 12).
  case refused
  /// Another apply was writing to the directory (exit 13).
  case locked
  /// The connection was lost during COMMIT: written or not is unknown (exit 14).
  case unknown
  /// Anything else: the export, the mapping, the plan file or the directory
  /// could not be used, every row had an error (15), a usage error.
  case failed

  public init(exitCode: Int32, applied: Bool) {
    self =
      switch exitCode {
      case 0: .applied
      case 1: applied ? .applied : .nothing
      case 10: .nothing
      case 11: .held
      case 12: .refused
      case 13: .locked
      case 14: .unknown
      default: .failed
      }
  }
}

/// What an apply did, for the command that notifies someone of it: counts
/// and outcome, never a name or an email (the plan's changes and findings
/// are left out; the messages are those written to stderr, which never
/// hold them either).
public struct FinishSummary: Sendable {
  /// The directory as messages name it (a server URL without its password).
  public var directory: String
  /// The export or the saved plan the apply was given.
  public var input: String
  public var inputIsPlan = false
  public var startedAt = RunClock.now()
  public var exitCode: Int32 = 0
  /// The run written, if any.
  public var run: RunRecord?
  /// The plan applied or refused, if one was made or read.
  public var plan: Plan?
  /// Rows held back because their proposed email was not accepted (W054).
  public var rowsHeldBack = 0
  /// The pending run a held run was kept as (`sis-sync pending`), if any.
  public var pendingRun: Int64?
  /// What the apply wrote to stderr, line by line.
  public var messages: [String] = []

  public init(directory: String, input: String) {
    self.directory = directory
    self.input = input
  }

  public var outcome: RunOutcome { RunOutcome(exitCode: exitCode, applied: run != nil) }

  /// The summary as one JSON object (man page: JSON OUTPUT, --on-finish).
  public func json() -> String {
    var json = JSONWriter()
    json.beginObject()
    json.field("command", "apply")
    json.field("outcome", outcome.rawValue)
    json.field("exit_code", Int(exitCode))
    json.field("run_id", run.map { Int($0.id) })
    json.field("pending_run", pendingRun.map { Int($0) })
    json.field("directory", directory)
    json.field(inputIsPlan ? "plan" : "export", input)
    json.field("source", run?.source ?? plan?.options.sources.source)
    json.field("started_at", startedAt)
    json.field("finished_at", RunClock.now())
    json.field("rows", plan.map(\.rowCount))
    json.field("rows_with_errors", plan.map(\.summary.rowsWithErrors))
    json.field("rows_held_back", rowsHeldBack)
    json.key("planned")
    if let summary = plan?.summary {
      json.beginObject()
      for action in ChangeAction.allCases { json.field(action.rawValue, summary.count(action)) }
      json.field("unchanged", summary.unchanged)
      json.field("skipped", summary.skipped)
      json.field("pending_disable_new", plan?.newPendingDisables.count ?? 0)
      json.endObject()
    } else {
      json.string(nil)
    }
    json.key("applied")
    if let run {
      json.beginObject()
      for (name, count) in run.counts.sorted(by: { $0.key < $1.key }) { json.field(name, count) }
      json.endObject()
    } else {
      json.string(nil)
    }
    json.field("held_for_id_changes", plan?.holdsIDChanges ?? false)
    json.key("holds")
    json.beginArray()
    for hold in plan?.holds ?? [] {
      json.beginObject()
      json.field("action", hold.threshold.action.rawValue)
      json.field("count", hold.count)
      json.field("scope", hold.scope)
      json.field("max_count", hold.threshold.maxCount)
      json.field("max_percent", hold.threshold.maxShare.map { Int(($0 * 100).rounded()) })
      json.field("origin", plan?.options.thresholdOrigins[hold.threshold.action]?.rawValue)
      json.endObject()
    }
    json.endArray()
    json.key("messages")
    json.beginArray()
    for message in messages { json.string(message) }
    json.endArray()
    json.endObject()
    return json.output + "\n"
  }
}
