import ArgumentParser

/// The exit codes scripts and schedulers rely on (documented in sis-sync(1)).
enum SisSyncExit {
  /// No errors (warnings and notes may exist).
  static let clean = ExitCode(0)
  /// Rows with errors were found.
  static let rowErrors = ExitCode(1)
  /// The export cannot be used: unreadable, empty, not CSV, headers missing.
  static let unusableExport = ExitCode(2)
  /// The mapping file is invalid or unreadable.
  static let invalidMapping = ExitCode(3)
  /// Unknown option, missing argument, unknown code (ArgumentParser's EX_USAGE).
  static let usage = ExitCode(64)
}
