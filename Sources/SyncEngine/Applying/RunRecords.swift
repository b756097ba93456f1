import ExportReading
import Foundation
import SyncModel

/// A commit recorded in the directory.
public struct RunRecord: Sendable, Equatable {
  public enum Kind: String, Sendable { case apply, revert, `import` }
  public var id: Int64
  public var kind: Kind
  public var startedAt: String
  public var finishedAt: String
  public var user: String
  public var host: String
  public var exportPath: String?
  public var exportSHA256: String?
  public var revertsRun: Int64?
  public var generation: Int64
  /// Counts by action name (`create`, `update`, …, `reverted`, `kept`, `failed`).
  public var counts: [String: Int]
}

/// One recorded change of a run, with before and after values.
public struct RecordedChange: Sendable, Equatable {
  public var action: String
  public var accountID: Int64?
  public var organizationID: Int64?
  public var customID: String?
  public var line: Int?
  /// Account values (ten fields) before; nil for creates. For organization
  /// changes, a single value: the external ID.
  public var before: [String]?
  public var after: [String]
  /// For reverts: reverted, kept (changed since) or failed, with a reason.
  public var outcome: String?
}

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
      "another apply is writing to this directory (\(holder)); try again when it has finished"
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

/// Ten field values stored in one text column, separated by the ASCII unit
/// separator (no value can hold it: validation rejects control characters).
enum FieldEncoding {
  static let separator: Character = "\u{1F}"

  static func encode(_ values: [String]) -> String { values.joined(separator: String(separator)) }

  static func decode(_ text: String?) -> [String]? {
    text.map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
  }
}
