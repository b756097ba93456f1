import ArgumentParser
import Foundation
import SyncEngine

/// `sis-sync pending`: the held scheduled runs waiting for a person.
struct PendingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pending",
    abstract: "List the scheduled runs held for a person (threshold or ID changes), newest first.",
    discussion: """
      A scheduled 'apply EXPORT --yes' held by a threshold or by ID changes (exit 11) is kept in \
      the directory as a pending run: its plan, the export itself, its mapping, its source and \
      what held it. A newer held run of the same source supersedes the older ones. Open one with \
      'sis-sync review --pending N', or decide it headless with 'sis-sync approve N --reason TEXT' \
      or 'sis-sync reject N --reason TEXT'. --all lists the decided and superseded ones too.

      Exit codes: 0 listed; 4 directory error.
      """)

  @OptionGroup var directoryOptions: DirectoryOptions
  @Flag(help: "List approved, rejected and superseded runs too.") var all = false
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let listed: [(PendingRunRecord, Bool?)]
    do {
      let token = try directory.state.token
      listed = try directory.pendingRuns().filter { all || $0.status == .pending }.map {
        ($0, $0.status == .pending ? $0.directoryToken == token : nil)
      }
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      try emit(PendingRunReport.json(listed), to: nil)
      return
    }
    guard !listed.isEmpty else {
      try emit(all ? "No held runs.\n" : "No runs are waiting for a person.\n", to: nil)
      return
    }
    try emit(listed.map { PendingRunReport.text($0.0, isFresh: $0.1) }.joined(), to: nil)
  }
}

/// `sis-sync approve N --reason TEXT`: applies a held run as planned.
struct ApproveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Apply a held scheduled run as it was planned, accepting what held it.",
    discussion: """
      Applies the pending run's saved plan in one transaction, its thresholds and ID changes \
      accepted (a person decided: the reason is recorded with your name), and marks it approved, \
      linked to the run it was applied as. Refused, like any plan, when the directory changed \
      since it was planned (listing what changed): review it again, or wait for the next run.

      Exit codes: 0 applied; 4 directory error; 10 nothing to apply; 12 refused (stale: the \
      directory changed since; other directory; changes that do not fit); 13 another apply is \
      running; 14 outcome unknown (connection to a PostgreSQL server lost during COMMIT); 64 no \
      such pending run, already decided or superseded, or no reason.
      """)

  @Argument(help: "The pending run (see sis-sync pending).") var pendingRun: Int64
  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: ArgumentHelp("Why it may be applied (recorded, shown in history).", valueName: "text"))
  var reason: String
  @Option(
    help: ArgumentHelp(
      "Wait this many seconds for another apply to finish (default 0: refuse at once).", valueName: "seconds"))
  var wait: Double = 0
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.write, lockWait: wait)
    let outcome: ApplyOutcome
    do {
      outcome = try applyOrExit { try directory.approvePendingRun(id: pendingRun, reason: reason) }
    } catch let refusal as PendingRunRefusal {
      printError("sis-sync: not approved: \(refusal)")
      throw SisSyncExit.usage
    }
    switch outcome {
    case .nothingToApply:
      try emit(
        format == .json
          ? RunReport.json(nil, result: "no_changes")
          : "Pending run \(pendingRun) approved: nothing to apply, the directory already matches.\n", to: nil)
      throw SisSyncExit.noChanges
    case .applied(let run):
      try emit(
        format == .json
          ? RunReport.json(run, result: "applied")
          : "Pending run \(pendingRun) approved and applied as run \(run.id): " + RunReport.counts(run) + ".\n"
            + CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n", to: nil)
    }
  }
}

/// `sis-sync reject N --reason TEXT`: refuses a held run; nothing applied.
struct RejectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject",
    abstract: "Refuse a held scheduled run: nothing is applied; who, when and why are kept.",
    discussion: """
      Exit codes: 0 rejected; 4 directory error; 13 another apply is running; 64 no such \
      pending run, already decided or superseded, or no reason.
      """)

  @Argument(help: "The pending run (see sis-sync pending).") var pendingRun: Int64
  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: ArgumentHelp("Why it must not be applied (recorded, shown in history).", valueName: "text"))
  var reason: String
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.write)
    let record: PendingRunRecord
    do { record = try directory.rejectPendingRun(id: pendingRun, reason: reason) } catch let refusal
      as PendingRunRefusal
    {
      printError("sis-sync: not rejected: \(refusal)")
      throw SisSyncExit.usage
    } catch let refusal as ApplyRefusal {
      printError("sis-sync: not rejected: \(refusal)")
      throw SisSyncExit.locked
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      var json = JSONWriter()
      PendingRunReport.write(record, isFresh: nil, into: &json)
      try emit(json.output + "\n", to: nil)
    } else {
      try emit("Pending run \(pendingRun) rejected: nothing was applied.\n", to: nil)
    }
  }
}
