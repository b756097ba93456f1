import ArgumentParser
import Foundation
import SyncEngine

struct ApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Apply a saved plan (or, with --yes, an export) to the directory.",
    discussion: """
      'sis-sync apply PLAN' writes a plan saved by 'sis-sync plan --out', exactly as \
      reviewed, in one transaction: all of it or nothing. It refuses a plan made for \
      another directory, or when the directory changed since the plan was made (listing \
      which records changed), or was replaced or restored from a backup since. Each change \
      is checked against the directory before anything is written: the plan is refused \
      if an account's values are not the plan's before-values or its new values break \
      the format rules. 'sis-sync apply EXPORT --yes' plans and applies in one go, \
      for scheduled runs (planned once more when another apply committed while it waited \
      for the lock). Rows with errors are never applied. Only one apply writes to a \
      directory at a time.

      Exit codes: 0 applied; 1 applied, rows with errors left out; 2 the export cannot \
      be used; 3 invalid mapping; 4 directory error (nothing changed); 5 plan or session \
      file unusable (damaged, cut, not a plan); 10 nothing to apply (or the plan was \
      already applied); 11 held by a threshold, or by ID changes not accepted (with an \
      export, kept in the directory as a pending run for a person: see sis-sync pending); 12 refused (stale plan, other directory, \
      directory replaced or restored, changes that do not fit the directory); 13 another \
      apply is running; 14 the connection to a PostgreSQL server was lost during COMMIT \
      and the server could not be asked whether it was written (see sis-sync history); 15 every row \
      of the export has an error: nothing applied.

      --on-finish (or the setting on_finish) runs a command after every apply, whatever \
      its outcome, once the directory is released: the run's JSON summary (counts, never \
      names) on its standard input, SIS_SYNC_OUTCOME (applied, nothing, held, refused, \
      locked, unknown, failed), SIS_SYNC_EXIT_CODE, SIS_SYNC_RUN_ID, SIS_SYNC_DIRECTORY \
      and SIS_SYNC_EXPORT (or SIS_SYNC_PLAN) in its environment. Its failure is said on \
      stderr and does not change the exit code. See man sis-sync(1), SCHEDULED RUNS.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @Argument(
    help: ArgumentHelp("A plan saved by 'sis-sync plan --out', or an export with --yes.", valueName: "plan-or-export"))
  var input: String

  @OptionGroup var directoryOptions: DirectoryOptions
  @OptionGroup var planning: PlanningOptions

  @Option(help: ArgumentHelp("With an export: its mapping file.", valueName: "file"))
  var mapping: String?

  @Option(
    help: ArgumentHelp(
      "With an export: read the mapping's companion file NAME from PATH, outside the export's folder; repeatable.",
      valueName: "name=path"))
  var companion: [String] = []

  @Flag(help: "Apply an export without a saved plan (scheduled runs).")
  var yes = false

  @Flag(
    help: ArgumentHelp(
      "Apply the emails the mapping's generate rule proposes (W054); without it those rows are held back."))
  var acceptGenerated = false

  @Flag(
    help: ArgumentHelp(
      "Apply the plan's ID changes (accounts absent from the export re-keyed to a row's new custom_id); without it "
        + "a plan with any is held (exit 11)."))
  var acceptIDChanges = false

  @Option(
    help: ArgumentHelp(
      "Wait this many seconds for another apply to finish (default 0: refuse at once).", valueName: "seconds"))
  var wait: Double = 0

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(
    help: ArgumentHelp(
      "A command to run when this apply ends, whatever the outcome, with the run's JSON summary on its standard "
        + "input and its outcome in SIS_SYNC_* variables: a program and its arguments, split as a shell splits "
        + "words but never run by one; 'none' runs none. Over the directory's setting on_finish.",
      valueName: "command"))
  var onFinish: String?

  @Option(
    help: ArgumentHelp(
      "Stop the --on-finish command (and what it started) after this many seconds, over the directory's setting "
        + "on_finish_timeout (default 60).", valueName: "seconds"))
  var onFinishTimeout: Int?

  func validate() throws {
    if let onFinish, onFinish != "none" {
      do { _ = try CommandWords(parsing: onFinish) } catch { throw ValidationError("--on-finish: \(error)") }
    }
    if let onFinishTimeout, !(1...86_400).contains(onFinishTimeout) {
      throw ValidationError("--on-finish-timeout \(onFinishTimeout): give 1 to 86400 seconds")
    }
  }

  func run() throws {
    var finish = FinishSummary(directory: directoryOptions.shownPath, input: input)
    finish.inputIsPlan = Self.looksLikePlan(input)
    var settings: DirectorySettings?
    var failure: Error?
    do { try apply(&finish, settings: &settings) } catch { failure = error }
    // The directory is closed and its lock released here: the command may
    // read it (or run another apply) without waiting for this one.
    finish.exitCode = failure.map { Self.exitCode(for: $0).rawValue } ?? 0
    finish.messages = WrittenErrors.shared.lines
    if let failure, !(failure is ExitCode) { finish.messages.append(Self.fullMessage(for: failure)) }
    FinishNotification(
      command: onFinish.map { $0 == "none" ? nil : try? CommandWords(parsing: $0) } ?? settings?.onFinish,
      timeout: onFinishTimeout ?? settings?.onFinishTimeout ?? 60
    ).send(finish)
    if let failure { throw failure }
  }

  /// The plan to apply, with what the messages after it count.
  private struct Prepared {
    var plan: Plan
    var rowsWithErrors = 0
    var heldBack = 0
  }

  private func apply(_ finish: inout FinishSummary, settings: inout DirectorySettings?) throws {
    let directory = try directoryOptions.open(.write, lockWait: wait, pause: ApplyPause.fromEnvironment)
    settings = try? directory.settings().settings
    let fromExport = !finish.inputIsPlan
    var prepared = try prepare(directory: directory, fromExport: fromExport)
    finish.plan = prepared.plan
    finish.rowsHeldBack = prepared.heldBack
    if fromExport, prepared.plan.isHeld || prepared.plan.holdsIDChanges {
      try keepForReview(prepared.plan, in: directory, finish: &finish)
    }
    let outcome: ApplyOutcome
    do {
      outcome = try applyOrExit {
        do {
          return try PhaseTimer.measure("applying") { try directory.apply(prepared.plan) }
        } catch ApplyRefusal.stale where fromExport {
          // Planned from the export a moment ago and reviewed by nobody:
          // another apply committed while this one waited for the lock
          // (--wait). Planned once more against the directory as it is now.
          printError("sis-sync: the directory changed while this run waited to write; planning again")
          let announced = prepared.heldBack
          prepared = try prepare(directory: directory, fromExport: true, announcingHeldBack: false)
          // Said once; again only if planning again changed the count.
          if prepared.heldBack != announced { announceHeldBack(prepared.heldBack) }
          finish.plan = prepared.plan
          finish.rowsHeldBack = prepared.heldBack
          if prepared.plan.isHeld || prepared.plan.holdsIDChanges {
            try keepForReview(prepared.plan, in: directory, finish: &finish)
          }
          return try PhaseTimer.measure("applying") { try directory.apply(prepared.plan) }
        }
      }
    } catch let done as PlanAlreadyApplied {
      let run = try? directory.run(id: done.runID)?.0
      try emit(
        format == .json
          ? RunReport.json(run, result: "already_applied")
          : "Nothing to apply: this plan was already applied as run \(done.runID). "
            + "See it with: \(CommandHint.command(["show", String(done.runID)], directory: directoryOptions.hint))\n",
        to: nil)
      throw SisSyncExit.noChanges
    }
    let heldBack = prepared.heldBack
    let rowsWithErrors = prepared.rowsWithErrors
    switch outcome {
    case .nothingToApply:
      try emit(
        format == .json
          ? RunReport.json(nil, result: heldBack > 0 ? "held_back" : "no_changes")
          : heldBack > 0
            ? "Nothing applied: every change waits for its proposed email to be accepted.\n"
            : "Nothing to apply: the directory already matches.\n", to: nil)
      if heldBack > 0 { throw SisSyncExit.rowErrors }
      throw SisSyncExit.noChanges
    case .applied(let run):
      finish.run = run
      if format == .json {
        try emit(RunReport.json(run, result: "applied"), to: nil)
      } else {
        var text = "Applied as run \(run.id): " + RunReport.counts(run) + ".\n"
        if let rollover = prepared.plan.rollover {
          // The rollover's decisions, as the plan showed them.
          text +=
            "Expected by the rollover: "
            + RolloverGroup.allCases.map { $0.title(count: rollover.count($0)) }.joined(separator: "; ") + ".\n"
        }
        if rowsWithErrors > 0 { text += "\(rowsWithErrors) rows with errors were left out (see sis-sync validate).\n" }
        if heldBack > 0 { text += "\(heldBack) rows were held back: their proposed emails are not accepted (W054).\n" }
        text += CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n"
        try emit(text, to: nil)
      }
      if rowsWithErrors > 0 || heldBack > 0 { throw SisSyncExit.rowErrors }
    }
  }

  /// The saved plan, or a plan made now from the export; an export whose
  /// every row has an error is not applied at all (exit 15): nothing in it
  /// can be trusted to say who is missing.
  private func prepare(
    directory: any DirectoryStore, fromExport: Bool, announcingHeldBack: Bool = true
  ) throws -> Prepared {
    var prepared: Prepared
    if !fromExport {
      do {
        prepared = Prepared(plan: try PhaseTimer.measure("reading the plan") { try PlanFile.load(path: input) })
      } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.invalidSession
      }
      if planning.overrideThreshold { prepared.plan.options.overrideThresholds = true }
    } else {
      guard yes else {
        printError(
          "sis-sync: \(input) is an export; make a plan first (sis-sync plan \(input) --out FILE), or pass --yes to plan and apply at once"
        )
        throw SisSyncExit.usage
      }
      let exportOptions = try ExportOptions.parse(
        [input] + (mapping.map { ["--mapping", $0] } ?? []) + companion.flatMap { ["--companion", $0] })
      let output = try computePlan(exportOptions: exportOptions, planning: planning, directory: directory)
      guard output.validation.isUsable else {
        try emit(ValidationReport.text(output.validation), to: nil)
        throw SisSyncExit.unusableExport
      }
      prepared = Prepared(plan: output.plan, rowsWithErrors: output.plan.summary.rowsWithErrors)
      if prepared.plan.rowCount > 0, prepared.rowsWithErrors >= prepared.plan.rowCount {
        let validate = ["validate", input] + (mapping.map { ["--mapping", $0] } ?? [])
        printError(
          "sis-sync: nothing applied: every row of the export (\(prepared.plan.rowCount)) has an error; see them "
            + "with: \(CommandHint.command(validate, directory: nil))")
        if format == .json { try emit(RunReport.json(nil, result: "every_row_failed"), to: nil) }
        throw SisSyncExit.everyRowFailed
      }
    }
    if acceptIDChanges { prepared.plan.options.acceptIDChanges = true }
    prepared.heldBack = acceptGenerated ? 0 : prepared.plan.unacceptedEmailLines.count
    if acceptGenerated { prepared.plan = prepared.plan.acceptingGeneratedEmails() }
    if announcingHeldBack { announceHeldBack(prepared.heldBack) }
    return prepared
  }

  private func announceHeldBack(_ count: Int) {
    guard count > 0 else { return }
    printError(
      "sis-sync: \(count) rows held back: their email is proposed by the mapping's generate rule (W054); accept them in review or pass --accept-generated"
    )
  }

  /// A scheduled run held by a threshold or by ID changes is kept in the
  /// directory as a pending run for a person (`sis-sync pending`); says
  /// its number and exits 11.
  private func keepForReview(
    _ plan: Plan, in directory: any DirectoryStore, finish: inout FinishSummary
  ) throws -> Never {
    let refusal: ApplyRefusal =
      plan.isHeld ? .held(plan.holds) : .idChangesHeld(count: plan.summary.idChange)
    printError("sis-sync: not applied: \(refusal)")
    let held: HeldRun
    do {
      let content = try PendingRunCapture.content(
        plan: plan, exportPath: input, mappingName: mapping, companionChoices: companion)
      held = try directory.holdForReview(plan, content: content)
    } catch {
      printError("sis-sync: the held run was not kept for review: \(error)")
      throw SisSyncExit.held
    }
    finish.pendingRun = held.id
    let hint = directoryOptions.hint
    var message = "sis-sync: kept as pending run \(held.id) for a person to decide: "
    message += CommandHint.command(["review", "--pending", String(held.id)], directory: hint) + ", or "
    message += CommandHint.command(["approve", String(held.id), "--reason", "TEXT"], directory: hint) + ", or "
    message += CommandHint.command(["reject", String(held.id), "--reason", "TEXT"], directory: hint)
    if !held.superseded.isEmpty {
      message +=
        "\nsis-sync: it supersedes pending run" + (held.superseded.count == 1 ? " " : "s ")
        + held.superseded.map(String.init).joined(separator: ", ")
    }
    printError(message)
    if format == .json {
      var json = JSONWriter()
      json.beginObject()
      json.field("result", "held")
      json.field("run_id", nil as Int?)
      json.field("pending_run", Int(held.id))
      json.key("superseded")
      json.beginArray()
      for id in held.superseded { json.number(Int(id)) }
      json.endArray()
      json.endObject()
      try emit(json.output + "\n", to: nil)
    }
    throw SisSyncExit.held
  }

  /// Plans are JSON; exports are CSV.
  static func looksLikePlan(_ path: String) -> Bool {
    // A regular file only: a FIFO is not waited on (as an export it is then refused).
    guard let file = try? RegularFile(path: path) else { return false }
    var start = [UInt8](repeating: 0, count: 64)
    let count = (try? start.withUnsafeMutableBytes { try file.bytes().read(into: $0) }) ?? 0
    return String(decoding: start[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      .hasPrefix("{")
  }
}
