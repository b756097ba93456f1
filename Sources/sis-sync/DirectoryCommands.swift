import ArgumentParser
import Foundation
import PostgreSQLDirectory
import SyncEngine

struct DirectoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "directory",
    abstract: "Bring a platform's current state into a directory, write it out as CSV, back it up or copy it.",
    subcommands: [
      DirectoryImportCommand.self, DirectoryExportCommand.self, DirectoryBackupCommand.self, DirectoryCopyCommand.self,
    ])
}

struct DirectoryImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Create a directory from organizations and accounts CSV files.",
    discussion: """
      Organizations: external_id,name,kind (external_id may be empty; kind is district or \
      school), or the SIS's own file, recognised by its headers: OneRoster orgs.csv \
      (sourcedId becomes the external ID; type district, local, state, national, \
      ministryOfEducation or university is a district, school, department, college or \
      ext:… a school; tobedeleted rows are left out and said), SDS v1 School.csv (SIS ID) \
      or Clever schools.csv (School_id). A file from the SIS without a district row gets \
      a district named District added, without an external ID. Accounts: the export's ten columns; custom_id empty for unmanaged accounts; \
      school_district_external_id holds the organization's external ID, or its name when it \
      has none. The directory must be new or empty; nothing is written unless every row is valid.
      """)

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(
    help: ArgumentHelp(
      "The organizations CSV (plain, OneRoster orgs.csv, SDS School.csv or Clever schools.csv).", valueName: "file"))
  var organizations: String
  @Option(help: ArgumentHelp("The accounts CSV.", valueName: "file")) var accounts: String

  func run() throws {
    let directory = try directoryOptions.open(.create)
    let run: RunRecord
    let imported: ImportedOrganizations
    do {
      imported = try DirectoryCSV.readOrganizations(path: organizations)
      run = try directory.importCSV(organizations: imported, accountsPath: accounts)
    } catch let error as DirectoryImportError {
      printError("sis-sync: nothing was imported:\n\(error.report)")
      throw SisSyncExit.unusableExport
    } catch let error as FileAccessError {
      printError("sis-sync: \(error)")
      throw SisSyncExit.unusableExport
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    var said = "Organizations read as \(imported.format.title).\n"
    for note in imported.notes { said += "\(note)\n" }
    if let district = imported.addedDistrict {
      said += "The file names no district: added the district organization '\(district.name)' (no external ID).\n"
    }
    said += "Imported into \(directoryOptions.shownPath) as run \(run.id): \(RunReport.counts(run)).\n"
    try emit(said, to: nil)
  }
}

struct DirectoryExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write the directory's organizations and accounts as CSV files (owner-only).")

  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: ArgumentHelp("Where to write the organizations CSV.", valueName: "file")) var organizations: String
  @Option(help: ArgumentHelp("Where to write the accounts CSV.", valueName: "file")) var accounts: String

  func run() throws {
    let directory = try directoryOptions.open(.read)
    do {
      let files = try directory.exportCSV()
      try writeFileAtomically(Array(files.organizations.utf8), to: organizations, ownerOnly: true)
      try writeFileAtomically(Array(files.accounts.utf8), to: accounts, ownerOnly: true)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
  }
}

struct DirectoryBackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Write a consistent copy of the directory (owner-only), safe while it is in use.",
    discussion: """
      Copies one committed state of the directory to FILE (SQLite's VACUUM INTO), even \
      while an apply or a review is using it; a directory on a PostgreSQL server is \
      copied to FILE as a new SQLite directory (see 'directory copy'). Do not copy the database file itself: a \
      copy taken without its -wal file misses recent commits or catches half of one. \
      To restore, see RESTORING A BACKUP in sis-sync(1): plans saved before the restore \
      are then refused, and the snapshot cache is rebuilt.

      Exit codes: 0 written; 4 the directory cannot be read or FILE cannot be written.
      """)

  @OptionGroup var directoryOptions: DirectoryOptions
  @Argument(help: ArgumentHelp("Where to write the copy (it must not exist yet).", valueName: "file"))
  var file: String

  func run() throws {
    guard !FileManager.default.fileExists(atPath: file) else {
      printError("sis-sync: \(file) exists; choose a new file for the backup")
      throw SisSyncExit.directoryError
    }
    let directory = try directoryOptions.open(.read)
    do {
      try directory.backup(to: file)
      let state = try directory.state
      try emit("Backed up \(directoryOptions.shownPath) (generation \(state.generation)) to \(file).\n", to: nil)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
  }
}

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Create a sample directory and open the review screen on a shipped export, to try everything safely.",
    discussion: """
      Builds a directory from the demo data (a district, schools with and without \
      external IDs, managed, unmanaged and disabled accounts) and opens 'sis-sync review' \
      on the demo export, which shows every outcome: creates, updates, disables, \
      reactivations, IDs assigned to unmanaged accounts, errors. The data is found in \
      $SIS_SYNC_SHARE, else PREFIX/share/sis-sync beside an installed PREFIX/bin/sis-sync, \
      else the checkout's Fixtures (demo/ and exports/demo-district.csv), so it works from \
      any folder. It never touches your real directory: the default is \
      ./sis-sync-demo.sqlite. An existing demo directory is reused (--replace starts \
      again). Without a terminal, or with --no-review, it only creates the directory and \
      prints what to try.
      """)

  @Option(help: ArgumentHelp("Where to create the demo directory.", valueName: "path"))
  var directory = "sis-sync-demo.sqlite"

  @Option(
    help: ArgumentHelp(
      "The folder holding organizations.csv and accounts.csv (default: the shipped demo data).", valueName: "dir"))
  var fixtures: String?

  @Flag(help: "Replace an existing demo directory.") var replace = false

  @Flag(help: "Only create the directory; do not open the review screen.") var noReview = false

  func run() throws {
    // The demo is a file to throw away; a server's directory is made with
    // 'directory import' (and the URL could hold a password, repeated below).
    guard !PostgreSQLLocation.isPostgreSQL(directory) else {
      printError(
        "sis-sync: demo makes an SQLite file; to put a directory on a PostgreSQL server, use 'sis-sync directory "
          + "import --directory URL'")
      throw SisSyncExit.usage
    }
    guard let folder = fixtures ?? Self.shippedFixtures() else {
      printError(
        "sis-sync: cannot find the demo data (share/sis-sync/demo beside the installed binary, $SIS_SYNC_SHARE, "
          + "or the checkout's Fixtures/demo); pass --fixtures")
      throw SisSyncExit.usage
    }
    let export = ((folder as NSString).deletingLastPathComponent as NSString)
      .appendingPathComponent("exports/demo-district.csv")
    let exists = FileManager.default.fileExists(atPath: directory)
    if exists && replace {
      // Only a directory file is started again: as root, removing whatever
      // the path names would take /dev/null or /dev/stdout with it.
      guard DirectoryFile.isDatabaseFile(directory) else {
        printError(
          "sis-sync: \(directory) is not a directory file (an SQLite database); --replace starts a demo "
            + "directory again and leaves anything else alone")
        throw SisSyncExit.usage
      }
      for suffix in ["", "-wal", "-shm", ".lock", ".snapshot"] {
        try? FileManager.default.removeItem(atPath: directory + suffix)
      }
    }
    let created = !exists || replace
    if created { try create(from: folder, export: export) }
    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    guard !noReview && interactive else {
      if !created { try emit("The demo directory \(directory) exists; --replace starts it again.\n", to: nil) }
      if !noReview { try emit("(No terminal here, so the review screen was not opened.)\n", to: nil) }
      return
    }
    var options = DirectoryOptions()
    options.directory = directory
    try ReviewCommand.review(
      exportPath: export, mapping: .identity, directoryOptions: options, planning: try PlanningOptions.parse([]))
  }

  private func create(from folder: String, export: String) throws {
    var options = DirectoryOptions()
    options.directory = directory
    let store = try options.open(.create)
    let run: RunRecord
    do {
      run = try store.importCSV(
        organizationsPath: folder + "/organizations.csv", accountsPath: folder + "/accounts.csv")
    } catch {
      printError("sis-sync: the demo fixtures are damaged: \(error)")
      throw SisSyncExit.directoryError
    }
    try emit(
      """
      Created the demo directory \(directory): \(RunReport.counts(run)).
      Try:
        \(CommandHint.command(["review", export], directory: directory))
        \(CommandHint.command(["plan", export], directory: directory))
        \(CommandHint.command(["plan", export, "--disable-missing", "--out", "demo.plan"], directory: directory))
        \(CommandHint.command(["apply", "demo.plan"], directory: directory))
        \(CommandHint.command(["history"], directory: directory))

      """, to: nil)
  }

  /// The demo data (a folder `demo` with organizations.csv and
  /// accounts.csv, beside `exports/demo-district.csv`), looked for in order:
  /// `$SIS_SYNC_SHARE`, `<prefix>/share/sis-sync` of an installed binary
  /// (`<prefix>/bin/sis-sync`), the checkout's `Fixtures` found from the
  /// binary's folder upward (it sits under .build/…), then the current
  /// folder's `Fixtures`.
  static func shippedFixtures(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    var roots: [String] = []
    if let share = environment["SIS_SYNC_SHARE"], !share.isEmpty { roots.append(share) }
    var folder = executableURL().deletingLastPathComponent()
    roots.append(folder.deletingLastPathComponent().appendingPathComponent("share/sis-sync").path)
    for _ in 0..<6 {
      roots.append(folder.appendingPathComponent("Fixtures").path)
      folder = folder.deletingLastPathComponent()
    }
    roots.append(FileManager.default.currentDirectoryPath + "/Fixtures")
    return roots.map { $0 + "/demo" }.first { FileManager.default.fileExists(atPath: $0 + "/accounts.csv") }
  }

  /// The running binary, symlinks resolved: `/proc/self/exe` on Linux (the
  /// program may have been found through `PATH`), else `argv[0]`.
  private static func executableURL() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  }
}
