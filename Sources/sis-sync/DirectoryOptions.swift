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

/// The thresholds' options, shared by the planning commands and `cleanup`.
struct ThresholdOptions: ParsableArguments {
  @Option(
    name: .customLong("threshold"),
    help: ArgumentHelp(
      "A safety limit for this run, ACTION=COUNT,PERCENT% (e.g. disable=250,10%; 'none' removes it), over the "
        + "directory's setting threshold.ACTION; repeatable. Built-in defaults: disable, reactivate, assign_id and "
        + "id_change at 250 and 10% (see 'sis-sync settings').",
      valueName: "limit"))
  var thresholds: [String] = []

  @Flag(help: "Apply even though a threshold holds the plan (after reviewing it).")
  var overrideThreshold = false

  func validate() throws {
    for text in thresholds where Threshold.parse(text) == nil {
      throw ValidationError(
        "--threshold '\(text)' is not ACTION=COUNT,PERCENT% (actions: create, update, disable, reactivate, assign_id, id_change)"
      )
    }
  }

  var parsed: [Threshold] { thresholds.compactMap(Threshold.parse) }
}

/// Options of planning, shared by `plan`, `apply EXPORT` and `review`.
struct PlanningOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Resume the decisions of a saved review session.", valueName: "file"))
  var session: String?

  @Flag(
    inversion: .prefixedNo,
    help: """
      Disable managed accounts of the covered organizations that are absent from the export, or not \
      (--no-disable-missing), for this run, over the directory's setting disable_missing (default: no). \
      An account whose person is on a row with errors (or excluded) is kept (W051, W052).
      """)
  var disableMissing: Bool?

  @Option(
    help: ArgumentHelp(
      """
      Let an account absent from the export wait DURATION (14d, 36h; 0: at once) before it is disabled, for \
      this run, over the directory's setting disable_grace (default: 0); implies --disable-missing. A committed \
      run records the accounts it first finds missing; one that finds them back clears them.
      """, valueName: "duration"))
  var disableMissingAfter: String?

  @OptionGroup var limits: ThresholdOptions

  @Option(
    help: ArgumentHelp(
      "The source this export comes from, one the directory's setting 'sources' declares (e.g. powerschool, hr): "
        + "rows naming another source's accounts are not applied (E065, E066), --disable-missing and ID changes "
        + "consider only this source's accounts, and what it creates or changes is recorded as managed by it. "
        + "Required when the directory declares sources; refused when it declares none.",
      valueName: "name"))
  var source: String?

  @Option(
    help: ArgumentHelp(
      """
      The changes this run expects: 'rollover' (the year-end rollover: returning students one grade up, the \
      graduating grade disabled, a school's top grade moved up to the next school) groups them and leaves them out \
      of the thresholds; 'none' plans without, even inside the directory's setting rollover.window.
      """, valueName: "profile"))
  var profile: PlanProfile?

  @Option(
    help: ArgumentHelp(
      "Each school's grade range for the rollover from an organizations file with grades (SDS School.csv's Grade "
        + "Low and Grade High, Clever schools.csv's Low_grade and High_grade), over the settings grades.SCHOOL.",
      valueName: "file"))
  var schoolGrades: String?

  func validate() throws {
    if let text = disableMissingAfter, GraceDuration(text) == nil {
      throw ValidationError("--disable-missing-after '\(text)' is not a duration: DAYSd, HOURSh or 0 (as 14d, 36h)")
    }
  }

  var overrideThreshold: Bool { limits.overrideThreshold }

  /// The options of this run: the directory's settings, the flags over
  /// them. A source that does not fit the declared ones (or none, when
  /// sources are declared) exits with code 64 and the reason.
  func planOptions(_ settings: DirectorySettings) throws -> PlanOptions {
    do { try settings.checkSource(source?.lowercased()) } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.usage
    }
    var fileRanges: [String: GradeRange] = [:]
    if let schoolGrades {
      do {
        let read = try OrganizationsFile.read(path: schoolGrades).gradeRanges()
        fileRanges = read.ranges
        if !read.withoutGrades.isEmpty {
          printError(
            "sis-sync: \(schoolGrades): no grades for " + read.withoutGrades.joined(separator: ", ")
              + " (their ranges come from the settings grades.SCHOOL, if any)")
        }
      } catch {
        printError("sis-sync: \(error)")
        throw SisSyncExit.usage
      }
    }
    return settings.planOptions(
      disableMissing: disableMissing, disableGrace: disableMissingAfter.flatMap(GraceDuration.init),
      thresholds: limits.parsed, overrideThresholds: limits.overrideThreshold, source: source?.lowercased(),
      profile: profile, gradeRangesFromFile: fileRanges)
  }
}

extension PlanProfile: ExpressibleByArgument {}

/// The directory's settings, which runs start from; a stored value this
/// version cannot read, or a failed read, exits with code 4.
func storedSettings(_ directory: any DirectoryStore) throws -> (settings: DirectorySettings, state: DirectoryState) {
  do {
    let stored = try directory.settings()
    try stored.settings.check()
    return stored
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
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
    } catch let exit as ExitCode {
      throw exit
    } catch {
      printError("sis-sync: cannot read the export: \(error)")
      throw SisSyncExit.unusableExport
    }
  }
  do {
    let output = try planUnderSettings(directory: directory) { settings in
      try PlanPipeline.run(
        PlanPipeline.Input(
          exportPath: exportOptions.export, mapping: mapping, decisions: decisions,
          options: try planning.planOptions(settings)),
        directory: directory)
    }
    KeptUntilExit.keep(output)
    // The session was checked against the export as it was a moment ago.
    if let sessionSHA256, output.plan.exportSHA256 != sessionSHA256 {
      throw FileAccessError(
        path: exportOptions.export,
        reason: "changed after the session was checked against it; nothing was planned. Run again once the "
          + "SIS has finished writing it.")
    }
    return output
  } catch let exit as ExitCode {
    throw exit
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
      exportPath: exportOptions.export, mapping: mapping,
      options: try planning.planOptions(try storedSettings(directory).settings), sessionPath: sessionPath),
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

/// Plans under the settings of the state the plan is made against: when
/// another process changed the settings between reading them and planning,
/// plans again under the new ones (a plan whose state has other settings
/// than it was planned under would be accepted by apply).
func planUnderSettings(
  directory: any DirectoryStore, _ plan: (DirectorySettings) throws -> PlanPipeline.Output
) throws -> PlanPipeline.Output {
  var (settings, state) = try storedSettings(directory)
  while true {
    let output = try plan(settings)
    guard output.plan.directoryToken != state.token else { return output }
    let used = settings
    (settings, state) = try storedSettings(directory)
    if settings == used { return output }
  }
}
