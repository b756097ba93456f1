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

      Exit codes: 0 no errors; 1 errors found in rows; 2 the export cannot be used \
      (unreadable, empty, not CSV, missing or repeated headers); 3 the mapping file \
      is invalid; 64 usage error.
      """,
    version: "0.1.0",
    subcommands: [ValidateCommand.self, ExplainCommand.self]
  )
}
