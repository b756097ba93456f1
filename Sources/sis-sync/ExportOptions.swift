import ArgumentParser
import SyncEngine

/// Options shared by every command that reads an export.
struct ExportOptions: ParsableArguments {
  @Argument(help: ArgumentHelp("The export: a CSV file from the SIS.", valueName: "export"))
  var export: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A mapping file that says which of your headers feeds each column (man 5 sis-sync-mapping).",
      valueName: "file"))
  var mapping: String?

  /// The mapping to read with, or exits with code 3 and a line-accurate message.
  func loadMapping() throws -> ColumnMapping {
    guard let mapping else { return .identity }
    do {
      return try MappingFileParser.load(path: mapping)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidMapping
    }
  }
}
