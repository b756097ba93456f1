import ArgumentParser
import SyncEngine

/// Options shared by every command that reads an export.
struct ExportOptions: ParsableArguments {
  @Argument(help: ArgumentHelp("The export: a CSV file from the SIS.", valueName: "export"))
  var export: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A mapping file (man 5 sis-sync-mapping), a built-in preset (sis-sync mapping list), or auto for the preset the headers fit.",
      valueName: "file|preset|auto"))
  var mapping: String?

  /// The mapping to read with, or exits with code 3 and a line-accurate message.
  func loadMapping() throws -> ColumnMapping {
    guard let mapping else { return .identity }
    do {
      let (resolved, recognized) = try MappingSource.resolve(mapping, exportPath: export)
      if mapping == "auto" {
        // Said on stderr: stdout may be a JSON report.
        if let recognized {
          printError(
            "sis-sync: --mapping auto: using the preset \(recognized.preset) (\(recognized.matched) of its "
              + "\(recognized.total) headers found)")
        } else {
          printError("sis-sync: --mapping auto: no preset fits these headers; reading the standard headers")
        }
      }
      return resolved
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidMapping
    }
  }
}
