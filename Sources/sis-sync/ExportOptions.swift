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

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read the mapping's companion file NAME (its [file NAME] section) from PATH, a file kept outside the export's folder; repeatable.",
      valueName: "name=path"))
  var companion: [String] = []

  /// The mapping to read with, or exits with code 3 and a line-accurate message.
  func loadMapping() throws -> ColumnMapping {
    guard mapping != nil || !companion.isEmpty else { return .identity }
    var resolved = try resolveMapping()
    for choice in companion {
      guard let equals = choice.firstIndex(of: "="), equals != choice.startIndex,
        choice.index(after: equals) != choice.endIndex
      else {
        printError("sis-sync: --companion '\(choice)' is not NAME=PATH (e.g. --companion roles=/data/roles.csv)")
        throw SisSyncExit.usage
      }
      let name = String(choice[..<equals])
      guard let index = resolved.companions.firstIndex(where: { $0.name == name }) else {
        let names = resolved.companions.map(\.name)
        printError(
          "sis-sync: --companion \(name): the mapping (\(resolved.origin)) has no [file \(name)] section"
            + (names.isEmpty
              ? "; it reads no companion file" : " (its companion files: \(names.joined(separator: ", ")))"))
        throw SisSyncExit.invalidMapping
      }
      resolved.companions[index].commandLinePath = String(choice[choice.index(after: equals)...])
    }
    return resolved
  }

  private func resolveMapping() throws -> ColumnMapping {
    guard let mapping else { return .identity }
    do {
      let resolved = try MappingSource.resolve(mapping, exportPath: export)
      if mapping == "auto" {
        // Said on stderr: stdout may be a JSON report.
        printError(MappingSource.autoChoiceMessage(resolved))
      }
      return resolved.mapping
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidMapping
    }
  }
}
