import ArgumentParser
import SyncEngine

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what applying an export would change in the directory.",
    discussion: """
      Validates the export against the directory and lists the change set: + create, \
      ~ update (each field before → after), - disable, ^ reactivate, = assign an ID to an \
      unmanaged account, > ID change (an account absent from the export re-keyed to a \
      row's new custom_id: same email, or same name, building and user type; applied only \
      with 'apply --accept-id-changes' or from review). With --out, saves the plan for 'sis-sync apply PLAN'; the saved \
      plan records the directory state it was computed against, and apply refuses it if \
      the directory changed since.

      Exit codes: 0 plan without errors; 1 rows with errors (they are left out); 2 the \
      export cannot be used; 3 invalid mapping; 4 directory error; 5 session refused; \
      11 a threshold holds the plan.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @OptionGroup var exportOptions: ExportOptions
  @OptionGroup var directoryOptions: DirectoryOptions
  @OptionGroup var planning: PlanningOptions

  @Option(help: ArgumentHelp("Save the plan to a file (owner-only) for 'sis-sync apply'.", valueName: "file"))
  var out: String?

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(help: ArgumentHelp("In text output, list at most this many changes per action (0: all).", valueName: "n"))
  var perAction: Int = 50

  @Flag(
    help: "Mask names and emails in the printed report (for sending outside the district); a saved plan keeps them.")
  var redact = false

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let output = try computePlan(exportOptions: exportOptions, planning: planning, directory: directory)
    guard output.validation.isUsable else {
      try emit(ValidationReport.text(output.validation), to: nil)
      throw SisSyncExit.unusableExport
    }
    let plan = output.plan
    if let out {
      do { try PlanFile.save(plan, to: out) } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.directoryError
      }
    }
    try PhaseTimer.measure("report") {
      var output = output
      if redact { output.validation = Redaction.redact(output.validation) }
      try report(plan: redact ? Redaction.redact(plan) : plan, output: output)
    }
    if plan.isHeld { throw SisSyncExit.held }
    if plan.summary.rowsWithErrors > 0 { throw SisSyncExit.rowErrors }
  }

  private func report(plan: Plan, output: PlanPipeline.Output) throws {
    switch format {
    case .text:
      var text = PlanReport.text(
        plan, validation: output.validation, directoryPath: directoryOptions.shownPath, perAction: perAction)
      if let out {
        text +=
          "\nSaved the plan to \(out); apply it with: "
          + CommandHint.command(["apply", out], directory: directoryOptions.hint) + "\n"
      }
      try emit(text, to: nil)
    case .json:
      try emitStreaming(to: nil) { sink in PlanReport.streamJSON(plan, validation: output.validation, to: sink) }
    }
  }
}
