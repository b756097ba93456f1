import ExportReading
import Foundation
import SyncDirectory
import SyncModel
import SyncPlanning

/// How a revert went for each change of the reverted run.
public struct RevertResult: Sendable {
  public var run: RunRecord
  public var reverted: [RecordedChange]
  public var kept: [RecordedChange]
  public var failed: [RecordedChange]
}

/// The result of applying a plan.
public enum ApplyOutcome: Sendable {
  case applied(RunRecord)
  case nothingToApply
}

/// Why an apply did not write anything.
public enum ApplyRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// A threshold holds the plan and it was not overridden.
  case held([ThresholdHold])
  /// The plan was made for another directory database.
  case otherDirectory(expected: String, found: String)
  /// The directory changed since the plan was made: these records.
  case stale(changes: [String])
  /// Another apply holds the directory.
  case locked(String)
  /// The plan was made against a state this directory file has never been
  /// in: it was replaced, or restored from a backup, since.
  case replacedOrRestored
  /// The plan's changes do not fit the directory or break the format rules
  /// (edited or damaged since it was saved): what does not fit.
  case doesNotFit([String])

  public var description: String {
    switch self {
    case .held(let holds):
      "the plan is held by a threshold:\n" + holds.map { "  " + $0.message }.joined(separator: "\n")
        + "\nreview it, then apply with --override-threshold"
    case .otherDirectory(let expected, let found):
      "the plan was made for another directory (\(expected)); this one is \(found)"
    case .stale(let changes):
      "the directory changed since the plan was made (\(changes.count) \(changes.count == 1 ? "record" : "records")):\n"
        + changes.prefix(50).map { "  " + $0 }.joined(separator: "\n")
        + (changes.count > 50 ? "\n  … and \(changes.count - 50) more" : "")
        + "\nplan again to see the changes against the directory as it is now"
    case .locked(let holder):
      DirectoryLocked(holder: holder).description
    case .replacedOrRestored:
      "the directory was replaced or restored since the plan was made: it has never been in the state the plan "
        + "was computed against, so the plan's before-values cannot be trusted; plan again"
    case .doesNotFit(let problems):
      "the plan does not fit the directory (edited or damaged since it was saved?); nothing was applied:\n"
        + problems.prefix(50).map { "  " + $0 }.joined(separator: "\n")
        + (problems.count > 50 ? "\n  … and \(problems.count - 50) more" : "")
    }
  }
}
