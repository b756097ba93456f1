import ArgumentParser
import Foundation
import ReviewUI
import SyncEngine
import Terminal

struct CleanupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cleanup",
    abstract:
      "Change accounts already in the directory without an export (a filter and an action, or IDs from a list).",
    discussion: """
      With --filter, selects accounts by terms that must all hold: school:ID (or its name), \
      type:Student, grade:12, status:Active, managed:yes|no, changed-before:YYYY-MM-DD (no run \
      changed the account since that day), never-exported (no run from an export ever changed \
      it); a value may list alternatives, grade:11,12. Without an action it lists the accounts. \
      With --disable, --reactivate, --move-to, --set-grade or --set-position it prints the plan \
      of that change for every managed account selected (unmanaged ones are listed as left out). \
      With --assign-ids FILE it proposes giving unmanaged accounts the IDs of a list \
      (custom_id with email, or custom_id with first_name, last_name, building and optionally \
      user_type): a line gets an account only when it names exactly one that no other line \
      names; ambiguous and unmatched lines are listed with their line number and reason.

      The plan is held by thresholds as any plan is. It is applied only with --yes, as one run \
      that 'sis-sync history' lists and 'sis-sync revert RUN' undoes; --out saves it for \
      'sis-sync apply PLAN'.

      With --review, opens a screen on the accounts the filter selects (all without \
      --filter): f changes the filter, Space marks accounts, d r m g p stage a change on the \
      marked accounts (or on all shown), u undoes the last, c shows the plan with its \
      thresholds and commits every staged change as one run; s saves them as a session; ? \
      lists the keys. Each staged change is journaled as it is made (SESSION.journal), and a \
      cleanup stopped before it was saved or committed is offered back when the screen opens \
      again. --session PATH (default ./cleanup.session) is where s saves; an existing one is \
      resumed, each change on the same accounts (by their directory id), and what no longer \
      fits (an account gone, a building gone) is listed with why. Without --review, \
      --session PATH prints the plan of a saved session's changes (--yes applies it, --out \
      saves it).

      Exit codes: 0 done (plan printed, or applied); 1 list lines left out (ambiguous or \
      unmatched; the rest is planned or applied); 2 the list cannot be used; 4 directory error; \
      5 the session cannot be used (unreadable, or saved for another directory); \
      10 nothing to change; 11 a threshold holds the plan; 12 refused (the directory changed); \
      13 another apply is running; 14 outcome unknown (connection to a PostgreSQL server lost \
      during COMMIT); 64 usage error (a bad filter, an unknown building or grade).
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @OptionGroup var directoryOptions: DirectoryOptions

  @Option(help: ArgumentHelp("Which accounts: space-separated key:value terms (see above).", valueName: "terms"))
  var filter: String?

  @Flag(help: "Open the cleanup screen: filter, mark, stage changes, commit them as one run.")
  var review = false

  @Option(
    help: ArgumentHelp(
      "The cleanup session: where the screen saves (default ./cleanup.session) and what it resumes; without --review, the saved changes to plan.",
      valueName: "file"))
  var session: String?

  @Flag(
    name: .customLong("no-mouse"),
    help: "With --review: ignore the mouse (clicks and the wheel); SIS_SYNC_NO_MOUSE=1 does the same.")
  var noMouse = false

  @Flag(help: "Disable the selected accounts.")
  var disable = false

  @Flag(help: "Reactivate the selected accounts.")
  var reactivate = false

  @Option(
    help: ArgumentHelp("Move the selected accounts to this building (external ID or name).", valueName: "building"))
  var moveTo: String?

  @Option(help: ArgumentHelp("Set the selected accounts' grade.", valueName: "grade"))
  var setGrade: String?

  @Option(help: ArgumentHelp("Set the selected accounts' position.", valueName: "position"))
  var setPosition: String?

  @Option(
    name: .customLong("assign-ids"),
    help: ArgumentHelp("Give unmanaged accounts the IDs of this CSV list.", valueName: "file"))
  var assignIDs: String?

  @OptionGroup var limits: ThresholdOptions

  @Flag(help: "Apply the plan (one run, undone by 'sis-sync revert RUN').")
  var yes = false

  @Option(help: ArgumentHelp("Save the plan to a file (owner-only) for 'sis-sync apply'.", valueName: "file"))
  var out: String?

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(help: ArgumentHelp("In text output, list at most this many changes per action (0: all).", valueName: "n"))
  var perAction: Int = 50

  func validate() throws {
    let actions = [disable, reactivate, moveTo != nil, setGrade != nil, setPosition != nil].filter { $0 }.count
    if assignIDs != nil && (filter != nil || actions > 0) {
      throw ValidationError("--assign-ids takes no --filter and no other action")
    }
    if review && (actions > 0 || assignIDs != nil || yes || out != nil || format != .text) {
      throw ValidationError(
        "--review takes only --filter, --session, --threshold, --no-mouse and the directory options")
    }
    if review { return }
    if session != nil && (filter != nil || actions > 0 || assignIDs != nil) {
      throw ValidationError("--session without --review plans the saved changes: it takes no --filter and no action")
    }
    if session != nil { return }
    if assignIDs == nil && filter == nil {
      throw ValidationError("give --filter TERMS, --assign-ids FILE, --session FILE or --review")
    }
    if actions > 1 {
      throw ValidationError("give one action: --disable, --reactivate, --move-to, --set-grade or --set-position")
    }
    if actions == 0 && assignIDs == nil && (yes || out != nil) {
      throw ValidationError("--yes and --out need an action")
    }
  }

  /// The thresholds of this cleanup: the directory's settings, --threshold
  /// over them (disable_missing means nothing without an export).
  private func planOptions(_ directory: any DirectoryStore) throws -> PlanOptions {
    try storedSettings(directory).settings.planOptions(
      thresholds: limits.parsed, overrideThresholds: limits.overrideThreshold)
  }

  private var action: CleanupAction? {
    if disable { return .disable }
    if reactivate { return .reactivate }
    if let moveTo { return .moveTo(moveTo) }
    if let setGrade { return .setGrade(setGrade) }
    if let setPosition { return .setPosition(setPosition) }
    return nil
  }

  func run() throws {
    if review { return try runScreen() }
    let directory = try directoryOptions.open(yes ? .write : .read)
    let snapshot: DirectorySnapshot
    do { snapshot = try directory.snapshot() } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    // Read after the snapshot: settings changed in between make the plan
    // stale (refused), never a plan of the new state under the old settings.
    let options = try planOptions(directory)
    let report: CleanupReport
    if let session {
      report = try sessionReport(session, snapshot: snapshot, options: options)
    } else if let assignIDs {
      report = try assignIDsReport(assignIDs, snapshot: snapshot, options: options)
    } else {
      let accounts = try selectedAccounts(snapshot, directory: directory)
      guard let action else {
        try emit(CleanupReport.listing(accounts, in: snapshot, json: format == .json), to: nil)
        return
      }
      do {
        let outcome = try CleanupPlan.plan(
          accounts: accounts, action: action, description: "\(filter ?? "") → \(action.text)",
          directory: snapshot, options: options)
        report = CleanupReport(plan: outcome.plan, leftOut: outcome.leftOut, lineProblems: [])
      } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.usage
      }
    }
    try finish(report, directory: directory)
  }

  /// The cleanup screen on a terminal; a commit there prints its run.
  private func runScreen() throws {
    let directory = try directoryOptions.open(.write)
    let options = try planOptions(directory)
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal.open(mouse: !noMouse) } catch {
      let message = "\(error)"
      printError(message.hasPrefix("sis-sync") ? message : "sis-sync: " + message)
      throw SisSyncExit.usage
    }
    let files: CleanupSessionFiles
    do {
      files = try CleanupSessionFiles.open(
        path: session ?? CleanupSessionFiles.defaultPath, directoryID: try directory.state.directoryID)
    } catch let error as SessionError {
      terminal.close()
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidSession
    } catch {
      terminal.close()
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    let (rows, columns) = terminal.size
    let loop: CleanupLoop
    do {
      loop = try CleanupLoop(
        store: directory, filter: filter ?? files.saved?.filter ?? "", options: options, session: files,
        rows: rows, columns: columns)
    } catch {
      terminal.close()
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    let signal = ReviewRunner(terminal: terminal).run(loop)
    terminal.close()
    if let run = loop.state.committedRun {
      print("Applied as run \(run). " + CommandHint.seeAndUndo(run: run, directory: directoryOptions.hint))
    }
    if let signal {
      var message = "sis-sync: cleanup stopped by signal \(signal); nothing staged was applied"
      if loop.state.hasUnsavedChanges && loop.journalProblem == nil {
        message +=
          "; the \(loop.state.staged.count) staged changes are kept in \(files.journalPath) and offered back by: "
          + CommandHint.command(
            ["cleanup", "--review"] + (session.map { ["--session", $0] } ?? []), directory: directoryOptions.directory)
      }
      printError(message)
      throw ExitCode(128 + signal)
    }
  }

  private func selectedAccounts(_ snapshot: DirectorySnapshot, directory: any DirectoryStore) throws -> [Int] {
    let parsed: CleanupFilter
    do { parsed = try CleanupFilter.parse(filter ?? "") } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.usage
    }
    var history: CleanupHistory?
    if parsed.needsHistory {
      do { history = try CleanupHistory.read(for: parsed, from: directory) } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.directoryError
      }
    }
    return parsed.accounts(in: snapshot, history: history)
  }

  /// The plan of a saved session's staged changes, on the directory as it is now.
  private func sessionReport(_ path: String, snapshot: DirectorySnapshot, options: PlanOptions) throws -> CleanupReport
  {
    let saved: CleanupSession
    do { saved = try CleanupSession.read(path: path, directoryID: snapshot.directoryID) } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidSession
    }
    let resumed = CleanupSession.resume(saved.steps, in: snapshot)
    do {
      let description =
        "session \(path): " + resumed.steps.map { "\($0.action.text) (\($0.accounts.count))" }.joined(separator: ", ")
      let outcome = try CleanupPlan.plan(
        steps: resumed.steps, description: description, directory: snapshot, options: options)
      return CleanupReport(
        plan: outcome.plan, leftOut: outcome.leftOut, lineProblems: [], notStaged: resumed.notApplied)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.usage
    }
  }

  private func assignIDsReport(_ path: String, snapshot: DirectorySnapshot, options: PlanOptions) throws
    -> CleanupReport
  {
    do {
      let lines = try AssignIDsList.read(path: path)
      let outcome = AssignIDsPlan.plan(
        lines: lines, source: path, sourceSHA256: try sha256Hex(ofFile: path), directory: snapshot,
        options: options)
      return CleanupReport(plan: outcome.plan, leftOut: [], lineProblems: outcome.problems)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.unusableExport
    }
  }

  /// Prints the plan, saves or applies it, and exits with its code.
  private func finish(_ report: CleanupReport, directory: any DirectoryStore) throws {
    let plan = report.plan
    if let out {
      do { try PlanFile.save(plan, to: out) } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.directoryError
      }
    }
    var run: RunRecord?
    if yes && plan.hasChanges && !plan.isHeld {
      if case .applied(let applied) = try applyOrExit({ try directory.apply(plan) }) { run = applied }
    }
    switch format {
    case .json: try emit(report.json(run: run), to: nil, form: .exact)
    case .text:
      var text = report.text(directoryPath: directoryOptions.shownPath, perAction: perAction)
      if let out {
        text +=
          "\nSaved the plan to \(out); apply it with: "
          + CommandHint.command(["apply", out], directory: directoryOptions.hint) + "\n"
      }
      if let run {
        text += "\nApplied as run \(run.id): " + RunReport.counts(run) + ".\n"
        text += CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n"
      } else if !yes && out == nil && plan.hasChanges && !plan.isHeld {
        text += "\nNothing was changed: add --yes to apply this plan.\n"
      }
      try emit(text, to: nil)
    }
    if plan.isHeld { throw SisSyncExit.held }
    if !plan.hasChanges { throw SisSyncExit.noChanges }
    if !report.lineProblems.isEmpty { throw SisSyncExit.rowErrors }
  }
}
