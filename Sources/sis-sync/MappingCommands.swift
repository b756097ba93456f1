import ArgumentParser
import Foundation
import SyncEngine

struct MappingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mapping",
    abstract: "List, show and check column mappings (built-in presets and mapping files).",
    discussion: """
      A mapping says which of an export's headers feeds each column, how values \\
      translate, which rows are left out, and which companion files are joined \\
      (man 5 sis-sync-mapping). Built-in presets cover OneRoster 1.1 and 1.2, School \\
      Data Sync v1 and v2.1, PowerSchool, Clever and Infinite Campus exports; pass one \\
      as --mapping NAME, or --mapping auto to use the one the headers fit.

      Exit codes: 0 done; 3 the mapping file is invalid (its line and column are \\
      named); 64 unknown preset or usage.
      """,
    subcommands: [MappingListCommand.self, MappingShowCommand.self, MappingCheckCommand.self])
}

struct MappingListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the built-in presets.")

  func run() throws {
    var text = ""
    for preset in MappingPreset.all {
      text += "\(preset.name)\n  \(preset.title)\n  assumes: \(preset.assumptions)\n"
    }
    try emit(text, to: nil)
  }
}

struct MappingShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print a preset as an editable mapping file.",
    discussion: """
      Save the output, edit it, and pass the file with --mapping. To change a few \\
      columns only, start a file with 'extends = NAME' and write just those sections.
      """)

  @Argument(help: ArgumentHelp("The preset's name (sis-sync mapping list).", valueName: "name"))
  var name: String

  func run() throws {
    guard let preset = MappingPreset.named(name) else {
      printError("sis-sync: \(MappingSource.Failure.unknown(name))")
      throw SisSyncExit.usage
    }
    var text = "# \(preset.title)\n# Assumes: \(preset.assumptions)\n# Use: sis-sync plan EXPORT --mapping THIS-FILE\n"
    text += preset.text
    try emit(text, to: nil)
  }
}

struct MappingCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Check a mapping file; errors name the line and column.",
    discussion: "With an export, also checks that the export has the headers the mapping reads.")

  @Argument(help: ArgumentHelp("The mapping file.", valueName: "file"))
  var file: String

  @Option(help: ArgumentHelp("An export to check the headers of.", valueName: "export"))
  var export: String?

  func run() throws {
    let mapping: ColumnMapping
    do { mapping = try MappingFileParser.load(path: file) } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidMapping
    }
    var text = "\(file): valid; " + MappingSummary.describe(mapping) + "\n"
    if let export {
      let headers: [String]
      do { headers = try MappingSource.headerRow(of: export) } catch {
        printError("sis-sync: cannot read \(export): \(error)")
        throw SisSyncExit.unusableExport
      }
      let present = Set(headers.map { $0.trimmingCharacters(in: .whitespaces) })
      // A need is met by any of its alternatives; optional ones may be absent.
      let missing = mapping.exportHeaderNeeds.filter { need in
        !need.isOptional && !need.names.contains(where: present.contains)
      }.map { $0.names.joined(separator: " | ") }.sorted()
      if missing.isEmpty {
        text += "\(export): has every header the mapping reads\n"
      } else {
        try emit(text, to: nil)
        printError("sis-sync: \(export) lacks headers the mapping reads: " + missing.joined(separator: ", "))
        throw SisSyncExit.invalidMapping
      }
    }
    try emit(text, to: nil)
  }
}
