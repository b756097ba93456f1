import ArgumentParser
import Foundation
import SyncEngine

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check an export against the format rules and report every problem.",
    discussion: """
      Reads the export (through --mapping when given), checks every row and prints the \
      findings: grouped by code as text, or as JSON or CSV. With --directory (or \
      $SIS_SYNC_DIRECTORY set) the checks that need the directory run too: unknown \
      building IDs, an email another account has, leading zeros lost. Without one they \
      are skipped, and the report says so (I008).

      Exit codes: 0 no errors (warnings allowed); 1 errors found in rows; 2 the export \
      cannot be used; 3 the mapping file is invalid; 64 usage error.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
  }

  @OptionGroup var exportOptions: ExportOptions

  @Option(help: "Output format: text (for people), json (for scripts), csv (for a spreadsheet).")
  var format: Format = .text

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Write the report to a file (owner-only) instead of standard output.", valueName: "file"))
  var output: String?

  @Flag(help: "Mask names and emails in the report (for sending outside the district); lines and findings are kept.")
  var redact = false

  @Option(help: ArgumentHelp("In text output, list at most this many findings per code (0: all).", valueName: "n"))
  var perCode: Int = 20

  @Option(
    help: ArgumentHelp(
      "Also check against this directory (default: $SIS_SYNC_DIRECTORY when set; else no directory checks).",
      valueName: "path"))
  var directory: String?

  /// The directory to check against: the option, else the environment's.
  private var directoryPath: String? {
    if let directory { return directory }
    let fromEnvironment = ProcessInfo.processInfo.environment[DirectoryLocation.environmentVariable] ?? ""
    return fromEnvironment.isEmpty ? nil : fromEnvironment
  }

  func validate() throws {
    guard perCode >= 0 else { throw ValidationError("--per-code must be 0 or more") }
  }

  func run() throws {
    defer { PhaseTimer.reportPeakMemory() }
    let mapping = try exportOptions.loadMapping()
    let result: ValidationResult
    var store: (any DirectoryStore)?
    if let directoryPath {
      var options = DirectoryOptions()
      options.directory = directoryPath
      store = try options.open(.read)
    }
    do {
      if let store {
        result = try DirectoryValidation.validate(exportPath: exportOptions.export, mapping: mapping, directory: store)
      } else {
        result = try ExportValidator.validate(file: exportOptions.export, options: ValidationOptions(mapping: mapping))
      }
    } catch {
      printError("sis-sync: cannot read the export: \(error)")
      throw SisSyncExit.unusableExport
    }
    try PhaseTimer.measure("report") {
      let shown = redact ? Redaction.redact(result) : result
      switch format {
      case .text: try emit(ValidationReport.text(shown, perCode: perCode), to: output)
      // Streamed: the JSON of 100,000 findings is never held whole.
      case .json: try emitStreaming(to: output) { sink in ValidationReport.streamJSON(shown, to: sink) }
      case .csv: try emit(ValidationReport.csv(shown), to: output, form: .exact)
      }
    }
    if !result.isUsable { throw SisSyncExit.unusableExport }
    if result.rowsWithErrors > 0 || result.count(.error) > 0 { throw SisSyncExit.rowErrors }
  }
}
