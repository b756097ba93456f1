import ArgumentParser
import Foundation
import ReviewUI
import SyncEngine
import Terminal

struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Review an export on a terminal screen: errors, changes, decisions, then commit.",
    discussion: """
      Loads the export against the directory and shows the validation errors and the \
      change set in panes (categories, rows, details). Fix IDs, exclude rows, assign IDs, \
      then commit: the engine applies the approved plan in one transaction. Rows with \
      errors are never applied. Press ? on the screen for every key; man sis-sync(1) lists \
      them too.

      Decisions can be saved as a session (s) and resumed with --session, also on a new \
      export of the same people: each decision finds its person again, and those that no \
      longer fit are listed with why. Every decision is journaled as it is made \
      (SESSION.journal), and a review that stopped before saving is offered back. If the \
      screen is stopped by SIGTERM or SIGHUP, unsaved decisions are saved to \
      EXPORT.recovered.session.

      With --organizations (the SIS's orgs.csv, School.csv or schools.csv), O offers to \
      give the organizations without an external ID the export's unknown building IDs, \
      matched by name as 'sis-sync organizations match' does.

      Exit codes: 0 done (committed or not); 2 the export cannot be used; 3 invalid \
      mapping; 4 directory error; 5 session refused; 64 not a terminal (use 'sis-sync \
      plan' in scripts) or usage; 128+N stopped by signal N.
      """)

  @Argument(help: ArgumentHelp("The export: a CSV file from the SIS (not with --pending).", valueName: "export"))
  var export: String?

  @Option(
    help: ArgumentHelp(
      "A mapping file (man 5 sis-sync-mapping), a built-in preset (sis-sync mapping list), or auto for the preset the headers fit.",
      valueName: "file|preset|auto"))
  var mapping: String?

  @Option(
    help: ArgumentHelp(
      "Read the mapping's companion file NAME (its [file NAME] section) from PATH, a file kept outside the export's folder; repeatable.",
      valueName: "name=path"))
  var companion: [String] = []

  @Option(
    help: ArgumentHelp(
      "Review a held scheduled run (sis-sync pending) instead of an export: its export, mapping and options come "
        + "from the directory; commit approves it, R rejects it.", valueName: "n"))
  var pending: Int64?
  @OptionGroup var directoryOptions: DirectoryOptions
  @OptionGroup var planning: PlanningOptions

  @Option(
    help: ArgumentHelp(
      "The SIS's organizations file, to match schools to unknown building IDs by name (O).", valueName: "file"))
  var organizations: String?

  @Flag(
    name: .customLong("no-mouse"),
    help: "Ignore the mouse (clicks and the wheel); SIS_SYNC_NO_MOUSE=1 does the same.")
  var noMouse = false

  func validate() throws {
    if pending != nil, export != nil || mapping != nil || !companion.isEmpty {
      throw ValidationError(
        "--pending reviews a held run's own export and mapping: give no export, --mapping or --companion")
    }
    if pending != nil,
      planning.session != nil || planning.disableMissing != nil || planning.disableMissingAfter != nil
        || !planning.limits.thresholds.isEmpty || planning.overrideThreshold || planning.source != nil
    {
      throw ValidationError(
        "--pending plans the held run with its own options: give no --session, --disable-missing, --threshold "
          + "or --source")
    }
    if pending == nil, export == nil { throw ValidationError("Missing expected argument '<export>' (or --pending N)") }
  }

  func run() throws {
    var organizationsFile: OrganizationsFile?
    if let organizations {
      do { organizationsFile = try OrganizationsFile.read(path: organizations) } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.unusableExport
      }
    }
    if let pending {
      try PendingReview.review(
        pending, directoryOptions: directoryOptions, organizationsFile: organizationsFile, mouse: !noMouse)
      return
    }
    let exportOptions = try ExportOptions.parse(
      [export ?? ""] + (mapping.map { ["--mapping", $0] } ?? []) + companion.flatMap { ["--companion", $0] })
    try Self.review(
      exportPath: exportOptions.export, mapping: try exportOptions.loadMapping(), directoryOptions: directoryOptions,
      planning: planning, organizationsFile: organizationsFile, mouse: !noMouse)
  }

  /// Opens the screen on an export (also used by `demo`).
  static func review(
    exportPath: String, mapping: ColumnMapping, directoryOptions: DirectoryOptions, planning: PlanningOptions,
    organizationsFile: OrganizationsFile? = nil, mouse: Bool = true, pending: PendingReview.Opened? = nil
  ) throws {
    let directory = try pending?.directory ?? directoryOptions.open(.write)
    let settings = try storedSettings(directory).settings
    // Before the screen opens: a refused --source is said on a plain terminal.
    let options = try pending?.options(settings) ?? planning.planOptions(settings)
    let terminal: CursesTerminal
    do { terminal = try CursesTerminal.open(mouse: mouse) } catch {
      // The terminal's messages already start with "sis-sync review …".
      let message = "\(error)"
      printError(message.hasPrefix("sis-sync") ? message : "sis-sync: " + message)
      throw SisSyncExit.usage
    }
    let runner = ReviewRunner(terminal: terminal)
    let journalPath = DecisionJournal.path(
      forSession: planning.session ?? ReviewLoop.defaultPath(exportPath, suffix: ".session"))
    let input = ReviewLoader.Input(
      exportPath: exportPath, mapping: mapping, options: options,
      sessionPath: planning.session,
      journalPath: journalPath)
    guard let opening = runner.load(input, directory: directory) else {
      let signal = terminal.pendingSignal
      terminal.close()
      throw ExitCode(128 + (signal ?? SIGINT))
    }
    let (rows, columns) = terminal.size
    let services = EngineReviewServices(directory: directory, pendingRun: pending?.id)
    let model: ReviewModel
    let loop: ReviewLoop
    let ending: ReviewRunner.Ending
    // What the whole plan brings besides itself: the saved session's fit
    // and the journal (named by the export's SHA-256).
    func adopt(_ session: ReviewLoader.Loaded, into model: ReviewModel) {
      model.journal = DecisionJournal(
        path: journalPath,
        header: DecisionJournal.Header(
          exportPath: exportPath, exportSHA256: session.plan.exportSHA256,
          mapping: session.plan.validation.mappingOrigin))
    }
    switch opening {
    case .whole(let loaded):
      let session: ReviewLoader.Loaded
      do { session = try loaded.get() } catch {
        terminal.close()
        throw loadFailure(error, sessionPath: planning.session)
      }
      model = ReviewModel(
        plan: session.plan, exportPath: exportPath, directoryLocation: directory.location, mapping: mapping)
      model.notApplied = session.notApplied
      model.recovered = session.recovered
      adopt(session, into: model)
      configure(model, organizationsFile: organizationsFile, directoryOptions: directoryOptions, pending: pending)
      loop = ReviewLoop(model: model, rows: rows, columns: columns, sessionPath: planning.session)
      ending = runner.run(loop, services: services)
    case .preview(let preview, let version, let box, let progress):
      model = ReviewModel(
        plan: preview.plan, exportPath: exportPath, directoryLocation: directory.location, mapping: mapping)
      model.planning = progress
      configure(model, organizationsFile: organizationsFile, directoryOptions: directoryOptions, pending: pending)
      loop = ReviewLoop(model: model, rows: rows, columns: columns, sessionPath: planning.session)
      ending = runner.run(loop, services: services, pending: box, previewShown: version) { session in
        adopt(session, into: model)
        loop.planningFinished(session.plan, notApplied: session.notApplied, recovered: session.recovered)
      }
    }
    terminal.close()
    switch ending {
    case .quit:
      if let run = loop.state.committedRun {
        let approved = pending.map { " Pending run \($0.id) approved." } ?? ""
        print(
          "Applied as run \(run)." + approved + " " + CommandHint.seeAndUndo(run: run, directory: directoryOptions.hint)
        )
      } else if let pending, loop.state.rejectedPendingRun {
        print("Pending run \(pending.id) rejected: nothing was applied.")
      }
    case .signal(let signal, let recovered):
      var message = "sis-sync: review stopped by signal \(signal)"
      if let recovered {
        let count = model.decisions.count
        message += count == 1 ? "; 1 unsaved decision was saved" : "; \(count) unsaved decisions were saved"
        message += " to \(recovered)"
        message +=
          " (resume: "
          + CommandHint.command(
            ["review", exportPath, "--session", recovered], directory: directoryOptions.hint) + ")"
      }
      printError(message)
      throw ExitCode(128 + signal)
    case .loadFailed(let error):
      throw loadFailure(error, sessionPath: planning.session)
    }
  }

  /// What the screen needs to know beyond the plan, whole or preview.
  private static func configure(
    _ model: ReviewModel, organizationsFile: OrganizationsFile?, directoryOptions: DirectoryOptions,
    pending: PendingReview.Opened?
  ) {
    model.organizationsFile = organizationsFile
    model.directoryOption = directoryOptions.hint
    model.pendingRun = pending?.id
  }

  /// The documented exit code for what stopped loading, after saying why.
  private static func loadFailure(_ error: Error, sessionPath: String?) -> ExitCode {
    switch error {
    case ReviewLoadError.unusableExport(let validation):
      printError(ValidationReport.text(validation))
      return SisSyncExit.unusableExport
    case let error as SessionError:
      printError("sis-sync: \(error)")
      return SisSyncExit.invalidSession
    case let error as DirectoryError:
      printError("sis-sync: \(error)")
      return SisSyncExit.directoryError
    default:
      printError("sis-sync: cannot read the export: \(error)")
      return SisSyncExit.unusableExport
    }
  }
}

/// Prints the roff key reference of the review screen, or of the cleanup
/// screen (for man/sis-sync.1; tests check the page carries both).
struct ReviewKeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review-keys", abstract: "Print the review screen's key reference as roff.",
    shouldDisplay: false)

  @Flag(help: "The cleanup screen's keys instead.")
  var cleanup = false

  func run() throws {
    print(cleanup ? CleanupKeys.manPageReference : KeyBindings.manPageReference, terminator: "")
  }
}
