import ArgumentParser

@main
struct SisSync: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sis-sync",
    abstract: "Review and apply a Student Information System export to the user directory.",
    discussion: """
      Checks an SIS export (CSV) against the format rules, shows what is wrong with \
      line numbers and fixes, so it can be corrected at the source or in review. \
      See man sis-sync(1) and sis-sync-mapping(5).

      Exit codes: 0 done; 1 rows with errors; 2 the export cannot be used; 3 invalid \
      mapping; 4 directory error; 5 session or plan file refused; 10 nothing to apply; \
      11 held by a threshold; 12 refused (stale, replaced or edited plan); 13 another apply is running; \
      14 outcome unknown (connection to a PostgreSQL server lost during COMMIT); 15 every row of the export \
      has an error; 64 usage error. Each command's --help says which it uses.
      """,
    version: Version.line,
    subcommands: [
      ReviewCommand.self, ValidateCommand.self, PlanCommand.self, ApplyCommand.self, PendingCommand.self,
      ApproveCommand.self, RejectCommand.self, HistoryCommand.self,
      ShowCommand.self, PersonCommand.self,
      RevertCommand.self, CleanupCommand.self, SettingsCommand.self, ProtectCommand.self, UnprotectCommand.self,
      LocalFieldsCommand.self,
      DirectoryCommand.self,
      OrganizationsCommand.self, DemoCommand.self, MappingCommand.self, ExplainCommand.self,
      ReviewKeysCommand.self,
    ]
  )

  /// ArgumentParser's own `main`, except that its messages (which quote the
  /// arguments given, such as a file name) are written through `printError`
  /// and `emit`, so control and bidi characters in them appear visibly.
  static func main() {
    MemoryReturn.fixThreshold()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let message = fullMessage(for: error)
      let code = exitCode(for: error)
      if !message.isEmpty {
        if code == .success { try? emit(message + "\n", to: nil) } else { printError(message) }
      }
      // An ExitCode carries no message: this only exits with the code.
      Self.exit(withError: code == .success ? nil : code)
    }
  }
}
