import ArgumentParser
import Foundation
import SyncEngine

struct SettingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settings",
    abstract: "List the directory's settings, or change one (recorded in history, undone by revert).",
    discussion: """
      Settings are stored in the directory, so every admin and every scheduled run share them \
      (and 'directory copy' carries them). Runs (plan, apply, review, cleanup) start from them; \
      a command-line flag (--threshold, --disable-missing) overrides a setting for that run \
      only: flag > stored setting > built-in default. Each change is one run: 'sis-sync \
      history' lists it, 'sis-sync revert RUN' puts the previous value back, and a plan made \
      before it is refused as stale. See SETTINGS in sis-sync(1) for every key.

      Exit codes: 0 done; 4 directory error; 13 another apply is running; 64 unknown key or \
      bad value.
      """,
    subcommands: [SettingsListCommand.self, SettingsSetCommand.self, SettingsUnsetCommand.self],
    defaultSubcommand: SettingsListCommand.self)
}

struct SettingsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List every setting: its value, and whether it is stored or the default.")

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let settings: DirectorySettings
    do { settings = try directory.settings().settings } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      try emit(SettingsReport.json(settings), to: nil, form: .exact)
    } else {
      try emit(SettingsReport.text(settings), to: nil)
    }
  }
}

struct SettingsSetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Store a setting's value (one run in history).")

  @Argument(help: ArgumentHelp("The setting (see 'sis-sync settings').", valueName: "key")) var key: String
  @Argument(help: ArgumentHelp("Its value, in the setting's syntax.", valueName: "value")) var value: String
  @OptionGroup var directoryOptions: DirectoryOptions

  func validate() throws {
    do { _ = try SettingsRegistry.definition(key).checked(value) } catch { throw ValidationError("\(error)") }
  }

  func run() throws { try changeSetting(key, to: value, directoryOptions: directoryOptions) }
}

struct SettingsUnsetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unset", abstract: "Remove a stored setting: back to its built-in default (one run in history).")

  @Argument(help: ArgumentHelp("The setting (see 'sis-sync settings').", valueName: "key")) var key: String
  @OptionGroup var directoryOptions: DirectoryOptions

  func validate() throws {
    do { _ = try SettingsRegistry.definition(key) } catch { throw ValidationError("\(error)") }
  }

  func run() throws { try changeSetting(key, to: nil, directoryOptions: directoryOptions) }
}

/// Stores or removes a setting as one run and says what changed.
private func changeSetting(_ key: String, to value: String?, directoryOptions: DirectoryOptions) throws {
  let directory = try directoryOptions.open(.write)
  let before: (value: String, origin: SettingOrigin)
  let run: RunRecord?
  do {
    before = try directory.settings().settings.value(key)
    run = try directory.changeSetting(key, to: value)
  } catch let refusal as ApplyRefusal {
    printError("sis-sync: \(refusal)")
    throw SisSyncExit.locked
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
  }
  let after = try directory.settings().settings.value(key)
  func shown(_ setting: (value: String, origin: SettingOrigin)) -> String {
    setting.value + (setting.origin == .builtIn ? " (the default)" : "")
  }
  guard let run else {
    try emit("\(key) is already \(shown(after)); nothing was changed.\n", to: nil)
    return
  }
  try emit(
    "\(key): \(shown(before)) → \(shown(after)), as run \(run.id). "
      + CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n", to: nil)
}
