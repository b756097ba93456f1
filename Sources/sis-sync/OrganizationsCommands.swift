import ArgumentParser
import Foundation
import SyncEngine

struct OrganizationsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "organizations",
    abstract: "List the directory's organizations, or give them their SIS external IDs from an organizations file.",
    subcommands: [OrganizationsMatchCommand.self, OrganizationsListCommand.self])
}

struct OrganizationsMatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "match",
    abstract: "Propose each organization's external ID from the SIS's organizations file, and apply the approved ones.",
    discussion: """
      Every school needs an external ID (the SIS's building ID) before its users can sync. \
      ORGS_FILE is the SIS's list of organizations: OneRoster orgs.csv (sourcedId), SDS v1 \
      School.csv (SIS ID), Clever schools.csv (School_id) or the plain external_id,name,kind, \
      recognised by its headers. An organization that already has one of the file's IDs keeps \
      it ("same ID"); the others are paired with the file's organizations of the same kind by \
      name — case, accents, punctuation, abbreviations (Elem, HS, MS) and words such as \
      School ignored, typing slips forgiven — most alike first, each file organization \
      proposed once and never an ID another organization has. The only district on each \
      side is proposed whatever its name. The table shows each proposal's confidence and \
      reason, then what is unmatched on either side.

      With --yes every proposal is applied; on a terminal each is asked (y yes, n no, a this \
      and all the rest, q quit without applying anything); otherwise nothing is applied. The \
      approved ones are applied as one run, checked against the directory as it was when \
      matched: 'sis-sync history' lists it, 'sis-sync revert RUN' undoes it.

      Exit codes: 0 applied, or only shown; 2 the file cannot be used; 4 directory error; \
      10 nothing to change; 12 refused (the directory changed meanwhile); 13 another apply \
      is running; 14 outcome unknown (connection to a PostgreSQL server lost during COMMIT).
      """)

  @Argument(help: ArgumentHelp("The SIS's organizations file.", valueName: "orgs-file"))
  var organizationsFile: String

  @OptionGroup var directoryOptions: DirectoryOptions

  @Flag(help: "Apply every proposal without asking.")
  var yes = false

  @Option(
    help: ArgumentHelp(
      "The least confidence (0-100) of a name match worth proposing.",
      valueName: "percent"))
  var minConfidence = OrganizationMatcher.defaultMinimumConfidence

  @Flag(help: "Print the proposals (and the run) as JSON; never asks.")
  var json = false

  func validate() throws {
    guard (0...100).contains(minConfidence) else { throw ValidationError("--min-confidence must be 0 to 100") }
  }

  func run() throws {
    let interactive = !json && !yes && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    let mayApply = yes || interactive
    let directory = try directoryOptions.open(mayApply ? .write : .read)
    let file: OrganizationsFile
    let fileSHA256: String
    do {
      file = try OrganizationsFile.read(path: organizationsFile)
      fileSHA256 = try sha256Hex(ofFile: organizationsFile)
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.unusableExport
    }
    let snapshot: DirectorySnapshot
    do { snapshot = try directory.snapshot() } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    let matching = OrganizationMatcher.match(
      directory: snapshot.organizations, file: file.entries, minimumConfidence: minConfidence)
    if !json {
      var text = "Organizations read as \(file.format.title).\n"
      for note in file.notes { text += note + "\n" }
      try emit(text + "\n" + OrganizationMatchReport.text(matching), to: nil)
    }
    let changes = matching.changes
    guard !changes.isEmpty else {
      try say(
        matching, result: "no_changes", run: nil, text: "\nNothing to change: no proposal gives a new external ID.\n")
      throw SisSyncExit.noChanges
    }
    guard mayApply else {
      try say(
        matching, result: "proposed", run: nil,
        text:
          "\nNothing applied: pass --yes to apply these \(changes.count) proposals, or run on a terminal to approve them one by one.\n"
      )
      return
    }
    let approved = yes ? changes : try ask(changes)
    guard !approved.isEmpty else {
      try emit("\nNothing approved; nothing applied.\n", to: nil)
      return
    }
    let plan = OrganizationMatchPlan.plan(
      approving: approved, file: file, fileSHA256: fileSHA256, directory: snapshot)
    let outcome: ApplyOutcome
    do { outcome = try applyOrExit { try directory.apply(plan) } } catch let done as PlanAlreadyApplied {
      try say(matching, result: "no_changes", run: nil, text: "\nNothing to apply: \(done).\n")
      throw SisSyncExit.noChanges
    }
    switch outcome {
    case .nothingToApply:
      try say(matching, result: "no_changes", run: nil, text: "\nNothing to apply: the directory already matches.\n")
      throw SisSyncExit.noChanges
    case .applied(let run):
      try say(
        matching, result: "applied", run: run,
        text: "\nApplied as run \(run.id): \(RunReport.counts(run)).\n"
          + CommandHint.seeAndUndo(run: run.id, directory: directoryOptions.hint) + "\n")
    }
  }

  /// The outcome, as JSON or as the given words.
  private func say(_ matching: OrganizationMatching, result: String, run: RunRecord?, text: String) throws {
    try emit(json ? OrganizationMatchReport.json(matching, result: result, run: run) : text, to: nil)
  }

  /// Asks about each proposal on the terminal; quitting approves nothing.
  private func ask(_ proposals: [OrganizationProposal]) throws -> [OrganizationProposal] {
    var approved: [OrganizationProposal] = []
    for (index, proposal) in proposals.enumerated() {
      while true {
        try emit(
          "\nGive '\(proposal.organization.name)' (now \(proposal.organization.externalID ?? "no external ID")) "
            + "the ID \(proposal.externalID) of '\(proposal.entry.name)' (line \(proposal.entry.line), "
            + "\(proposal.confidence)%, \(proposal.reason.rawValue))? [y/n/a/q] ", to: nil)
        // The end of input answers nothing: quit, as q does.
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return [] }
        switch answer {
        case "y", "yes": approved.append(proposal)
        case "n", "no": break
        case "a", "all": return approved + proposals[index...]
        case "q", "quit": return []
        default: continue
        }
        break
      }
    }
    return approved
  }
}

struct OrganizationsListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the directory's organizations: name, kind, external ID, accounts.")

  @OptionGroup var directoryOptions: DirectoryOptions

  func run() throws {
    let directory = try directoryOptions.open(.read)
    let snapshot: DirectorySnapshot
    do { snapshot = try directory.snapshot() } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    var accounts = [Int](repeating: 0, count: snapshot.organizations.count)
    for organization in snapshot.accountOrganizations { accounts[Int(organization)] += 1 }
    var rows = [["organization", "kind", "external ID", "accounts"]]
    for (index, organization) in snapshot.organizations.enumerated() {
      rows.append([
        organization.name, organization.kind.rawValue, organization.externalID ?? "(none)", String(accounts[index]),
      ])
    }
    try emit(rows.count == 1 ? "No organizations.\n" : OrganizationMatchReport.table(rows), to: nil)
  }
}
