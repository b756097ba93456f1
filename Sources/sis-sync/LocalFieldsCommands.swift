import ArgumentParser
import Foundation
import SyncEngine

struct LocalFieldsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "local-fields",
    abstract: "Mark fields of one account as locally owned (the sync leaves them), or list them.",
    discussion: """
      A local field keeps the value the directory has: the sync does not write the \
      export's value into it, and each plan lists it as "kept (local)". An account whose \
      only differences from the export are local fields is unchanged; one with other \
      differences gets only those. New accounts take the export's values. The fields are \
      \(LocalFields.eligible.map(\.header).joined(separator: ", ")). For every account at \
      once, use the setting fields.local ('sis-sync settings set fields.local email'). \
      Each set or unset is one run: 'sis-sync history' lists it, 'sis-sync revert RUN' \
      undoes it, and a plan made before it is refused as stale. See LIFECYCLE in \
      sis-sync(1).

      Exit codes: 0 done; 4 directory error; 13 another apply is running; 64 no such \
      account, or a field that cannot be local.
      """,
    subcommands: [LocalFieldsSetCommand.self, LocalFieldsUnsetCommand.self, LocalFieldsListCommand.self])
}

/// The account and the fields a set or unset names.
struct LocalFieldsArguments: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "The account: its custom_id, or its number as '#123' (see 'sis-sync person').", valueName: "account"))
  var account: String

  @Argument(
    help: ArgumentHelp(
      "Field names (export headers): " + LocalFields.eligible.map(\.header).joined(separator: ", ") + ".",
      valueName: "field"))
  var fields: [String] = []

  func validate() throws {
    if fields.isEmpty { throw ValidationError("name at least one field") }
    do { _ = try LocalFields.parse(fieldNames) } catch { throw ValidationError(error.message) }
  }

  /// `email,first_name` and `email first_name` alike.
  var fieldNames: [String] { fields.flatMap { $0.split(separator: ",").map(String.init) } }
  var target: ProtectionTarget { ProtectionTarget(account: account) }
}

struct LocalFieldsSetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Mark fields of one account local (one run in history).")

  @OptionGroup var arguments: LocalFieldsArguments
  @OptionGroup var directoryOptions: DirectoryOptions

  func run() throws {
    try changeLocalFields(arguments, directoryOptions: directoryOptions, done: "local") { directory in
      try directory.markLocal(arguments.fieldNames, of: arguments.target)
    }
  }
}

struct LocalFieldsUnsetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unset",
    abstract: "Give fields of one account back to the sync (one run in history).",
    discussion: "A field local for every account (the setting fields.local) stays local.")

  @OptionGroup var arguments: LocalFieldsArguments
  @OptionGroup var directoryOptions: DirectoryOptions

  func run() throws {
    try changeLocalFields(arguments, directoryOptions: directoryOptions, done: "no longer local") { directory in
      try directory.unmarkLocal(arguments.fieldNames, of: arguments.target)
    }
  }
}

struct LocalFieldsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the local fields: for every account (the setting), then each account's own.")

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let entries: [LocalFieldsEntry]
    let everyAccount: [ExportColumn]
    do {
      entries = try directory.localFieldEntries()
      everyAccount = try directory.settings().settings.localFields.everyAccount
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      try emit(LocalFieldsReport.json(entries, everyAccount: everyAccount), to: nil, form: .exact)
    } else {
      try emit(LocalFieldsReport.text(entries, everyAccount: everyAccount), to: nil)
    }
  }
}

/// Makes one local-fields change as a run and says what it did.
private func changeLocalFields(
  _ arguments: LocalFieldsArguments, directoryOptions: DirectoryOptions, done: String,
  _ change: (any DirectoryStore) throws -> RunRecord?
) throws {
  let run = try runRecordedChange(directoryOptions: directoryOptions, change)
  let fields = (try? LocalFields.parse(arguments.fieldNames))?.map(\.header).joined(separator: ", ") ?? ""
  guard let run else {
    try emit("\(arguments.target): \(fields) already \(done); nothing was changed.\n", to: nil)
    return
  }
  try emit(
    "\(arguments.target): \(fields) \(done), as run \(run.id). "
      + CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n", to: nil)
}
