import ArgumentParser
import Foundation
import SyncEngine

struct ProtectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "protect",
    abstract: "Protect an account or an organization from the sync, or list protections.",
    discussion: """
      The sync never changes a protected account: no update, disable, reactivation or ID \
      change; each plan lists what protection held back and why. A protected organization \
      keeps its record (name, external ID), and its accounts are never disabled as missing \
      (--disable-missing), while they are still updated from the export. With --until DATE \
      the protection lapses after that day: the next plan notes it (I063) and the record \
      is planned as any other. Each protect is one run: 'sis-sync history' lists it, \
      'sis-sync revert RUN' undoes it, and a plan made before it is refused as stale. \
      'sis-sync unprotect' removes one. See LIFECYCLE in sis-sync(1).

      Exit codes: 0 done; 4 directory error; 13 another apply is running; 64 no such \
      account or organization, no reason, or a bad date.
      """,
    subcommands: [ProtectAddCommand.self, ProtectListCommand.self],
    defaultSubcommand: ProtectAddCommand.self)
}

/// The record a command names, from its argument and --organization.
struct ProtectionTargetOptions: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "The account: its custom_id, or its number as '#123' (see 'sis-sync person').", valueName: "account"))
  var account: String?

  @Option(
    help: ArgumentHelp(
      "An organization instead, by its external ID or its name.", valueName: "external-id-or-name"))
  var organization: String?

  func validate() throws {
    if (account == nil) == (organization == nil) {
      throw ValidationError("name one account (custom_id or #number) or one --organization")
    }
  }

  var target: ProtectionTarget {
    organization.map(ProtectionTarget.organization) ?? ProtectionTarget(account: account ?? "")
  }
}

struct ProtectAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Protect an account or an organization (the default; one run in history).")

  @OptionGroup var targetOptions: ProtectionTargetOptions
  @Option(help: ArgumentHelp("Why (required): every plan that holds something back shows it.", valueName: "text"))
  var reason: String
  @Option(help: ArgumentHelp("The last day it holds, YYYY-MM-DD (none: until removed).", valueName: "date"))
  var until: String?
  @OptionGroup var directoryOptions: DirectoryOptions

  func validate() throws {
    if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw ValidationError("--reason must say why (it is shown in every plan)")
    }
    if let until, !isCalendarDay(until) { throw ValidationError("--until '\(until)' is not a date written YYYY-MM-DD") }
  }

  func run() throws {
    let target = targetOptions.target
    try changeProtection(of: target, directoryOptions: directoryOptions, done: "protected") { directory in
      try directory.protect(target, reason: reason, until: until)
    }
  }
}

struct ProtectListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List every protection: the record, the reason, the end date, and whether it holds.")

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let entries: [ProtectionEntry]
    do { entries = try directory.protectionEntries() } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      try emit(ProtectionReport.json(entries), to: nil, form: .exact)
    } else {
      try emit(ProtectionReport.text(entries), to: nil)
    }
  }
}

struct UnprotectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unprotect",
    abstract: "Remove the protection of an account or an organization (one run in history).",
    discussion: """
      The next plan changes the record again like any other. 'sis-sync revert RUN' puts the \
      protection back.

      Exit codes: 0 done; 4 directory error; 13 another apply is running; 64 no such \
      account or organization.
      """)

  @OptionGroup var targetOptions: ProtectionTargetOptions
  @OptionGroup var directoryOptions: DirectoryOptions

  func run() throws {
    let target = targetOptions.target
    try changeProtection(of: target, directoryOptions: directoryOptions, done: "no longer protected") { directory in
      try directory.unprotect(target)
    }
  }
}

/// Whether `text` is a calendar date written YYYY-MM-DD.
private func isCalendarDay(_ text: String) -> Bool {
  let formatter = DateFormatter()
  formatter.locale = Locale(identifier: "en_US_POSIX")
  formatter.timeZone = TimeZone(identifier: "UTC")
  formatter.dateFormat = "yyyy-MM-dd"
  return text.utf8.count == 10 && formatter.date(from: text).map { formatter.string(from: $0) == text } == true
}

/// Makes one protection change as a run and says what it did.
private func changeProtection(
  of target: ProtectionTarget, directoryOptions: DirectoryOptions, done: String,
  _ change: (any DirectoryStore) throws -> RunRecord?
) throws {
  let run = try runRecordedChange(directoryOptions: directoryOptions, change)
  guard let run else {
    try emit("\(target) is already \(done) as asked; nothing was changed.\n", to: nil)
    return
  }
  try emit(
    "\(target): \(done), as run \(run.id). "
      + CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n", to: nil)
}
