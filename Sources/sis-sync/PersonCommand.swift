import ArgumentParser
import Foundation
import SyncEngine

struct PersonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "person",
    abstract: "Show a person's timeline: every run that changed their account, oldest first.",
    discussion: """
      For each run: its kind (apply, or revert), the export's name and SHA-256, who \
      committed it (user@host) and when, and each field before → after. The person is \
      named by custom_id, email (any case) or account ID (#12, or 12). A key that names \
      different accounts in different ways lists them (on standard output) and asks for #ID. \
      The timeline names the person on standard output, as asked; nothing personal goes \
      to standard error.

      Exit codes: 0 shown; 4 directory error; 64 no such account, or more than one.
      """)

  @Argument(help: "The person's custom_id, email, or account ID (#12).") var key: String
  @OptionGroup var directoryOptions: DirectoryOptions
  @Option(help: "Output format.") var format: ShowCommand.Format = .text

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let timeline: PersonTimeline
    do { timeline = try directory.timeline(of: key) } catch let error as PersonLookupError {
      if case .ambiguous(_, let candidates) = error {
        var text = "Accounts this key names:\n"
        for candidate in candidates {
          let values = candidate.account.values
          text += "  #\(candidate.accountID) (by \(candidate.matchedBy)): \(values[.firstName]) \(values[.lastName]), "
          text += "custom_id \(values[.customID]), \(values[.email])\n"
        }
        try emit(text, to: nil)
      }
      printError("sis-sync: \(error)")
      throw SisSyncExit.usage
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    if format == .json {
      try emit(PersonReport.json(timeline), to: nil, form: .exact)
    } else {
      try emit(PersonReport.text(timeline), to: nil)
    }
  }
}
