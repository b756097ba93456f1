import ArgumentParser
import PostgreSQLDirectory
import SyncEngine

/// The directory option shared by every command that reads or writes it.
struct DirectoryOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The directory: an SQLite file, or postgresql://USER@HOST:PORT/DATABASE?directory=NAME on a server "
        + "(default: $SIS_SYNC_DIRECTORY, else ~/.local/share/sis-sync/directory.sqlite).",
      valueName: "path|url"))
  var directory: String?

  var path: String { DirectoryLocation.resolve(option: directory) }

  /// How messages name the directory: its path, or its server and name
  /// without the password.
  var shownPath: String {
    guard PostgreSQLLocation.isPostgreSQL(path) else { return path }
    return (try? PostgreSQLLocation(path))?.description ?? PostgreSQLLocation.withoutPassword(path)
  }

  /// `--directory` as command hints repeat it (nil when not given),
  /// without a password.
  var hint: String? {
    directory.map { PostgreSQLLocation.isPostgreSQL($0) ? PostgreSQLLocation.withoutPassword($0) : $0 }
  }

  /// Opens the directory for `access` (commands that do not commit only
  /// read it), or exits with code 4 and the reason. A write waits at most
  /// `lockWait` seconds for another one; `pause` is the tests' hook. This is
  /// where a command's store is chosen.
  func open(_ access: DirectoryAccess, lockWait: Double = 0, pause: ApplyPause? = nil) throws -> any DirectoryStore {
    do {
      if PostgreSQLLocation.isPostgreSQL(path) {
        return try PostgreSQLDirectory(
          url: path, access: access,
          options: PostgreSQLDirectory.Options(
            lockWait: lockWait, pause: pause, commitFault: CommitFault.fromEnvironment,
            notice: { printError("sis-sync: \($0)") }, reconnectWait: CommitFault.reconnectWaitFromEnvironment))
      }
      return try SQLiteDirectory(
        path: path, access: access, options: SQLiteDirectory.Options(lockWait: lockWait, pause: pause))
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
  }
}

/// Options of planning, shared by `plan` and `apply EXPORT`.
struct PlanningOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Resume the decisions of a saved review session.", valueName: "file"))
  var session: String?

  @Flag(
    help: """
      Disable managed accounts of the covered organizations that are absent from the export. \
      An account whose person is on a row with errors (or excluded) is kept (W051, W052).
      """)
  var disableMissing = false

  @Option(
    name: .customLong("threshold"),
    help: ArgumentHelp(
      "A safety limit, ACTION=COUNT,PERCENT% (e.g. disable=250,10%); repeatable. Defaults: disable, reactivate and assign_id at 250 and 10%.",
      valueName: "limit"))
  var thresholds: [String] = []

  @Flag(help: "Apply even though a threshold holds the plan (after reviewing it).")
  var overrideThreshold = false

  func validate() throws {
    for text in thresholds where Threshold.parse(text) == nil {
      throw ValidationError(
        "--threshold '\(text)' is not ACTION=COUNT,PERCENT% (actions: create, update, disable, reactivate, assign_id)")
    }
  }

  var planOptions: PlanOptions {
    var limits = Threshold.defaults
    for threshold in thresholds.compactMap(Threshold.parse) {
      limits.removeAll { $0.action == threshold.action }
      limits.append(threshold)
    }
    return PlanOptions(disableMissing: disableMissing, thresholds: limits, overrideThresholds: overrideThreshold)
  }
}

/// Runs the plan pipeline for a command, turning each failure into its
/// documented exit code.
func computePlan(
  exportOptions: ExportOptions, planning: PlanningOptions, directory: any DirectoryStore
) throws -> PlanPipeline.Output {
  let mapping = try exportOptions.loadMapping()
  var decisions = ReviewDecisions()
  var sessionSHA256: String?
  if let sessionPath = planning.session {
    do {
      let sha = try sha256Hex(ofFile: exportOptions.export)
      sessionSHA256 = sha
      let session = try ReviewSession.read(path: sessionPath)
      if session.exportSHA256 == sha || session.anchors == nil {
        decisions = ReviewDecisions(try ReviewSession.load(path: sessionPath, exportSHA256: sha).decisions)
      } else {
        decisions = try reanchoredDecisions(
          sessionPath: sessionPath, exportOptions: exportOptions, mapping: mapping, planning: planning,
          directory: directory)
      }
    } catch let error as SessionError {
      printError("sis-sync: \(error)")
      throw SisSyncExit.invalidSession
    } catch {
      printError("sis-sync: cannot read the export: \(error)")
      throw SisSyncExit.unusableExport
    }
  }
  let input = PlanPipeline.Input(
    exportPath: exportOptions.export, mapping: mapping, decisions: decisions, options: planning.planOptions)
  do {
    let output = try PlanPipeline.run(input, directory: directory)
    // The session was checked against the export as it was a moment ago.
    if let sessionSHA256, output.plan.exportSHA256 != sessionSHA256 {
      throw FileAccessError(
        path: exportOptions.export,
        reason: "changed after the session was checked against it; nothing was planned. Run again once the "
          + "SIS has finished writing it.")
    }
    return output
  } catch let error as DirectoryError {
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
  } catch {
    printError("sis-sync: cannot read the export: \(error)")
    throw SisSyncExit.unusableExport
  }
}

/// A session saved for an earlier export of the same people: each decision
/// is found again by its person (as the review screen does on reopening);
/// the ones that no longer fit are said on stderr by line and reason, never
/// by name, and left out.
private func reanchoredDecisions(
  sessionPath: String, exportOptions: ExportOptions, mapping: ColumnMapping, planning: PlanningOptions,
  directory: any DirectoryStore
) throws -> ReviewDecisions {
  let loaded = try ReviewLoader.loadSession(
    ReviewLoader.Input(
      exportPath: exportOptions.export, mapping: mapping, options: planning.planOptions, sessionPath: sessionPath),
    directory: directory)
  let notApplied = loaded.notApplied
  if !notApplied.isEmpty {
    printError(
      "sis-sync: the session was made for an earlier export; \(notApplied.count) saved "
        + (notApplied.count == 1 ? "decision was" : "decisions were") + " not applied:")
    for decision in notApplied {
      printError(
        "  " + (decision.person.map { "line \($0.line): " } ?? "") + decision.decision.summary + " — "
          + decision.reasonText)
    }
  }
  return ReviewDecisions(loaded.plan.decisions.decisions)
}
