import ArgumentParser
import Foundation
import SyncEngine

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "List the runs recorded in the directory, newest first.")

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    // Opened outside the `do`: `open` prints its own message and throws an
    // exit code, which a catch-all would print a second time.
    let directory = try directoryOptions.open(.read)
    let runs: [RunRecord]
    let held: [PendingRunRecord]
    do {
      runs = try directory.runs()
      held = try directory.pendingRuns()
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    // Held runs take their place by the time they were held; the run a
    // held run was approved as names it.
    let approving = Dictionary(held.compactMap { record in record.appliedRun.map { ($0, record.id) } }) { $1 }
    let entries = (runs.map { HistoryEntry.run($0) } + held.map { HistoryEntry.held($0) }).sorted {
      $0.time != $1.time ? $0.time > $1.time : $0.order > $1.order
    }
    if format == .json {
      var items: [String] = []
      for entry in entries {
        switch entry {
        case .run(let run):
          var object = RunReport.json(run, result: nil).trimmingCharacters(in: .newlines)
          if let pending = approving[run.id] {
            object = String(object.dropLast()) + ",\"approves_pending_run\":\(pending)}"
          }
          items.append(object)
        case .held(let record):
          var json = JSONWriter()
          PendingRunReport.write(record, isFresh: nil, into: &json)
          items.append("{\"kind\":\"held\"," + json.output.dropFirst())
        }
      }
      try emit("[" + items.joined(separator: ",") + "]\n", to: nil)
      return
    }
    guard !entries.isEmpty else {
      try emit("No runs yet.\n", to: nil)
      return
    }
    var text = ""
    for entry in entries {
      switch entry {
      case .run(let run):
        var line = "run \(run.id)  \(run.kind.rawValue)  \(run.startedAt)  \(run.user)  \(RunReport.counts(run))"
        if let reverted = run.revertsRun { line += "  (reverts run \(reverted))" }
        if let pending = approving[run.id] { line += "  (approves pending run \(pending))" }
        if let source = run.source { line += "  source \(source)" }
        if let export = run.exportPath { line += "  \(export)" }
        text += line + "\n"
      case .held(let record):
        text += PendingRunReport.text(record)
      }
    }
    try emit(text, to: nil)
  }
}

/// A line of `history`: a run, or a scheduled run held for a person.
private enum HistoryEntry {
  case run(RunRecord)
  case held(PendingRunRecord)

  var time: String {
    switch self {
    case .run(let run): run.startedAt
    case .held(let record): record.heldAt
    }
  }

  /// Within the same second: held after the run before it, runs by id.
  var order: Int64 {
    switch self {
    case .run(let run): run.id * 2
    case .held(let record): record.id * 2 + 1
    }
  }
}

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one run: who, when, which export, and every change with before and after.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @Argument(help: "The run ID (see sis-sync history).") var runID: Int64
  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let found: (RunRecord, [RecordedChange])?
    do { found = try directory.run(id: runID) } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    guard let (run, changes) = found else {
      printError("sis-sync: there is no run \(runID); see sis-sync history")
      throw SisSyncExit.usage
    }
    if format == .json {
      try emit(RunReport.json(run, result: nil, changes: changes), to: nil)
      return
    }
    var text = "run \(run.id) (\(run.kind.rawValue)) by \(run.user) on \(run.host), \(run.startedAt)\n"
    if let export = run.exportPath {
      text += "export: \(export)" + (run.exportSHA256.map { " (sha256 \($0))" } ?? "") + "\n"
    }
    if let source = run.source { text += "source: \(source)\n" }
    if let reverted = run.revertsRun { text += "reverts run \(reverted)\n" }
    text += "counts: \(RunReport.counts(run))\n"
    for change in changes { text += RunReport.describe(change) + "\n" }
    try emit(text, to: nil)
  }
}

struct RevertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revert",
    abstract: "Undo a run: restore the values it changed, unless changed since.",
    discussion: """
      Each account the run changed gets its earlier field values back (not only its \
      status) if nobody changed it since; otherwise it is kept and reported. Accounts the \
      run created are disabled. The revert is itself a run, so it can be shown and reverted.

      --dry-run shows what would be restored and what would be kept, and writes nothing. \
      --only restores just those people's changes, as a new run; the run's other changes \
      stay, and a later revert of the same run restores the remaining ones.

      Exit codes: 0 reverted, or previewed (some may be kept); 1 some could not be reverted; \
      4 directory error; 10 already reverted (nothing recorded); 13 another apply is running; \
      14 outcome unknown (connection to a PostgreSQL server lost during COMMIT); 64 no such run, or --only names someone the run did not change.
      """)

  @Argument(help: "The run ID (see sis-sync history).") var runID: Int64
  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text
  @Flag(help: "Show what would be restored and what kept; write nothing.") var dryRun = false
  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp("Restore only these people's changes (custom_ids).", valueName: "custom-id"))
  var only: [String] = []

  func run() throws {
    let only = self.only.isEmpty ? nil : Set(self.only)
    if dryRun {
      try preview(only: only)
      return
    }
    let directory = try directoryOptions.open(.write)
    let result: RevertResult
    do { result = try directory.revert(runID: runID, only: only) } catch let refusal as ApplyRefusal {
      printError("sis-sync: not reverted: \(refusal)")
      throw SisSyncExit.locked
    } catch let done as RunAlreadyReverted {
      try emit(
        format == .json ? RunReport.json(nil, result: "already_reverted") : "Nothing to revert: \(done).\n", to: nil)
      throw SisSyncExit.noChanges
    } catch {
      try Self.fail(error)
    }
    if format == .json {
      try emit(
        RunReport.json(result.run, result: "reverted", changes: result.reverted + result.kept + result.failed), to: nil)
    } else {
      var text = "Reverted run \(runID) as run \(result.run.id): \(result.reverted.count) reverted, "
      text += "\(result.kept.count) kept (changed since), \(result.failed.count) failed.\n"
      for change in result.kept + result.failed { text += RunReport.describe(change) + "\n" }
      try emit(text, to: nil)
    }
    if !result.failed.isEmpty { throw SisSyncExit.rowErrors }
  }

  /// `--dry-run`: the same rules on the directory as it is, nothing written.
  private func preview(only: Set<String>?) throws {
    let directory = try directoryOptions.open(.read)
    let preview: RevertPreview
    do { preview = try directory.previewRevert(runID: runID, only: only) } catch let done as RunAlreadyReverted {
      try emit(
        format == .json ? RunReport.json(nil, result: "already_reverted") : "Nothing to revert: \(done).\n", to: nil)
      throw SisSyncExit.noChanges
    } catch {
      try Self.fail(error)
    }
    if format == .json {
      try emit(
        RunReport.json(nil, result: "dry_run", changes: preview.reverted + preview.kept + preview.failed), to: nil)
      return
    }
    var text = "Reverting run \(runID) would restore \(preview.reverted.count), "
    text += "keep \(preview.kept.count) (changed since), fail \(preview.failed.count). Nothing was written.\n"
    for change in preview.reverted + preview.kept + preview.failed { text += RunReport.describe(change) + "\n" }
    try emit(text, to: nil)
  }

  /// The exit for a revert's failure: no such run or person is a usage error.
  private static func fail(_ error: any Error) throws -> Never {
    if let error = error as? DirectoryError, error.reason.hasPrefix("there is no run") {
      printError("sis-sync: \(error.reason)")
      throw SisSyncExit.usage
    }
    if let error = error as? NotInRun {
      printError("sis-sync: \(error)")
      throw SisSyncExit.usage
    }
    if let error = error as? WriteOutcomeUnknown {
      printError("sis-sync: \(error)")
      throw SisSyncExit.outcomeUnknown
    }
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
  }
}
