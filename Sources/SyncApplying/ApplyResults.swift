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
  /// The plan re-keys accounts (ID changes) and no person accepted them.
  case idChangesHeld(count: Int)
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
    case .idChangesHeld(let count):
      "the plan is held: it has \(count) ID change\(count == 1 ? "" : "s") (accounts absent from the export "
        + "re-keyed to a new custom_id, matched by email or by name, building and user type), which a person must "
        + "accept; see them with 'sis-sync plan', then apply with --accept-id-changes (or commit them in review)"
    case .otherDirectory(let expected, let found):
      "the plan was made for another directory (\(expected)); this one is \(found)"
    case .stale(let changes):
      "the directory changed since the plan was made (\(Self.countsByKind(changes))):\n"
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

extension ApplyRefusal {
  /// What a stale plan's changed records are, counted by kind before any
  /// list: "2 accounts, 1 organization" (each listed record starts with
  /// its kind, as `ApplyRules.checkFreshness` writes it).
  public static func countsByKind(_ changes: [String]) -> String {
    let kinds: [(prefix: String, one: String, many: String)] = [
      ("account ", "account", "accounts"), ("organization ", "organization", "organizations"),
      ("setting ", "setting", "settings"), ("protection ", "protection", "protections"),
      ("local fields ", "local fields change", "local fields changes"),
    ]
    var parts: [String] = []
    var counted = 0
    for kind in kinds {
      let count = changes.filter { $0.hasPrefix(kind.prefix) }.count
      counted += count
      if count > 0 { parts.append("\(count) \(count == 1 ? kind.one : kind.many)") }
    }
    if changes.count > counted {
      let rest = changes.count - counted
      parts.append("\(rest) other \(rest == 1 ? "change" : "changes")")
    }
    return parts.joined(separator: ", ")
  }

  /// The changed records of a stale plan; nil for other refusals.
  public var staleChanges: [String]? {
    if case .stale(let changes) = self { return changes }
    return nil
  }
}
