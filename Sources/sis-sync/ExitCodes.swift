import ArgumentParser

/// The exit codes scripts and schedulers rely on (documented in sis-sync(1)).
/// A scheduler can treat 0 and 10 as success and alert on the rest.
enum SisSyncExit {
  /// Done: no errors (validate, plan), applied (apply), reverted (revert).
  static let clean = ExitCode(0)
  /// Rows with errors were found (validate, plan), or applied without them (apply).
  static let rowErrors = ExitCode(1)
  /// The export cannot be used: unreadable, empty, not CSV, headers missing.
  static let unusableExport = ExitCode(2)
  /// The mapping file is invalid or unreadable.
  static let invalidMapping = ExitCode(3)
  /// The directory cannot be opened, read or written (nothing was changed).
  static let directoryError = ExitCode(4)
  /// The session or plan file cannot be used (unreadable, other export).
  static let invalidSession = ExitCode(5)
  /// Nothing to apply: the directory already matches.
  static let noChanges = ExitCode(10)
  /// A threshold holds the plan; nothing was applied.
  static let held = ExitCode(11)
  /// Refused: the plan is stale or was made for another directory.
  static let refused = ExitCode(12)
  /// Another apply is writing to the directory.
  static let locked = ExitCode(13)
  /// The connection to the directory's server was lost during COMMIT and
  /// the server could not be reached again: whether the write happened is
  /// unknown ('sis-sync history' tells once it is back).
  static let outcomeUnknown = ExitCode(14)
  /// Every row of the export has an error: nothing was applied (apply
  /// EXPORT --yes), not even disable-missing.
  static let everyRowFailed = ExitCode(15)
  /// Unknown option, missing argument, unknown code (ArgumentParser's EX_USAGE).
  static let usage = ExitCode(64)
}
