import Foundation
import SyncEngine

/// The admin's `--on-finish` command (or setting `on_finish`) told how an
/// apply ended: the summary as JSON on its standard input, the outcome in
/// `SIS_SYNC_*` variables. Whatever happens to the command is said on
/// stderr; the apply's exit code stays the apply's.
struct FinishNotification {
  /// Nil: no command to run.
  let command: CommandWords?
  let timeout: Int

  func send(_ summary: FinishSummary) {
    guard let command else { return }
    let ending = FinishCommandRunner(command: command, timeout: Double(timeout))
      .run(input: summary.json(), environment: Self.environment(for: summary))
    guard ending != .exited(0) else { return }
    printError(
      "sis-sync: the on-finish command \(command.programName) \(ending); the run's exit code stays \(summary.exitCode)")
  }

  /// This process's environment with the outcome's variables over it (none
  /// left from the caller: a `SIS_SYNC_RUN_ID` inherited would lie).
  static func environment(for summary: FinishSummary) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for name in ["SIS_SYNC_EXPORT", "SIS_SYNC_PLAN", "SIS_SYNC_RUN_ID", "SIS_SYNC_PENDING_RUN", "SIS_SYNC_SOURCE"] {
      environment[name] = nil
    }
    environment["SIS_SYNC_COMMAND"] = "apply"
    environment["SIS_SYNC_OUTCOME"] = summary.outcome.rawValue
    environment["SIS_SYNC_EXIT_CODE"] = String(summary.exitCode)
    environment["SIS_SYNC_RUN_ID"] = summary.run.map { String($0.id) } ?? ""
    environment["SIS_SYNC_PENDING_RUN"] = summary.pendingRun.map { String($0) } ?? ""
    // Without a password: the command may log or mail it.
    environment["SIS_SYNC_DIRECTORY"] = summary.directory
    environment[summary.inputIsPlan ? "SIS_SYNC_PLAN" : "SIS_SYNC_EXPORT"] = summary.input
    if let source = summary.run?.source ?? summary.plan?.options.sources.source {
      environment["SIS_SYNC_SOURCE"] = source
    }
    return environment
  }
}
