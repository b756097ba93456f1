import Dispatch
import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// Loads an export for the review screen: the directory snapshot, the
/// export's SHA-256 and its validation (every row kept) at the same time,
/// then the live plan, then the decisions of a resumed session, re-anchored
/// to the export's people and re-checked against the directory as it is.
public enum ReviewLoader {
  /// The plan with the session's decisions that still fit, those that do
  /// not (and why), and a journal of decisions left behind, if any.
  public struct Loaded {
    public var plan: LivePlan
    public var notApplied: [NotAppliedDecision]
    /// Decisions a journal kept that the session file does not hold (the
    /// screen offers to restore them).
    public var recovered: DecisionJournal.Recovered?
  }

  public struct Input: Sendable {
    public var exportPath: String
    public var mapping: ColumnMapping
    public var options: PlanOptions
    /// A saved session to resume (made for this export or an earlier one).
    public var sessionPath: String?
    /// The journal of decisions made since the session was saved.
    public var journalPath: String?

    public init(
      exportPath: String, mapping: ColumnMapping = .identity, options: PlanOptions = PlanOptions(),
      sessionPath: String? = nil, journalPath: String? = nil
    ) {
      self.exportPath = exportPath
      self.mapping = mapping
      self.options = options
      self.sessionPath = sessionPath
      self.journalPath = journalPath
    }
  }

  public static func load(
    _ input: Input, directory: any DirectoryStore, progress: LoadProgress? = nil
  ) throws -> LivePlan {
    try loadSession(input, directory: directory, progress: progress).plan
  }

  /// `snapshot`: the directory as a preview read it (`ReviewPreview`), not
  /// read again.
  public static func loadSession(
    _ input: Input, directory: any DirectoryStore, progress: LoadProgress? = nil,
    snapshot knownSnapshot: DirectorySnapshot? = nil
  ) throws -> Loaded {
    let organizations = try directory.organizations()
    let validationOptions = ValidationOptions(
      mapping: input.mapping,
      directory: KnownOrganizations(organizationExternalIDs: Set(organizations.compactMap(\.externalID))),
      keepsRows: true, progress: progress)
    // Opened once: the hash and the validation read the same file, and a
    // change made while they read it refuses the load.
    let export = try RegularFile(path: input.exportPath)
    let results = UncheckedSendable(LoadResults())
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      results.value.snapshot = Result { try knownSnapshot ?? directory.cachedSnapshot() ?? directory.snapshot() }
      results.value.sha256 = Result { try sha256Hex(of: export) }
    }
    let validation = Result {
      try ExportValidator.validate(file: export, options: validationOptions)
    }
    group.wait()
    let snapshot = try results.value.snapshot!.get()
    let sha256 = try results.value.sha256!.get()
    let validated = try validation.get()
    try export.checkUnchanged()
    guard validated.isUsable else { throw ReviewLoadError.unusableExport(validated) }
    var session: ReviewSession?
    if let path = input.sessionPath, FileManager.default.fileExists(atPath: path) {
      session = try ReviewSession.read(path: path)
      // A session of an earlier version names rows by line only: it fits
      // the very export it was made for, no other.
      if let session, session.exportSHA256 != sha256, session.anchors == nil {
        throw SessionError.differentExport(path: path, sessionExport: session.exportPath, savedAt: session.savedAt)
      }
    }
    let recovered = try input.journalPath.flatMap { path throws(SessionError) in try DecisionJournal.recover(path: path)
    }
    progress?.enter(.planning)
    let plan = LivePlan(
      validation: validated, directory: snapshot, options: input.options, exportSHA256: sha256)
    var notApplied: [NotAppliedDecision] = []
    if let session {
      progress?.enter(.resuming)
      let fitted = SessionReanchoring.reanchor(
        session.anchoredDecisions, sameExport: session.exportSHA256 == sha256, plan: plan)
      for decision in fitted.kept { plan.apply(decision) }
      notApplied = fitted.notApplied
    }
    let offered = recovered.flatMap { $0.decisions.map(\.decision) == (session?.decisions ?? []) ? nil : $0 }
    return Loaded(plan: plan, notApplied: notApplied, recovered: offered)
  }
}

/// The export cannot be reviewed at all (not CSV, headers missing…): the
/// validation says why.
public enum ReviewLoadError: Error {
  case unusableExport(ValidationResult)
}

private final class LoadResults {
  var snapshot: Result<DirectorySnapshot, Error>?
  var sha256: Result<String, Error>?
}
