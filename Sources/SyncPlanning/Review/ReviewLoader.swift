import Dispatch
import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// Loads an export for the review screen: the directory snapshot, the
/// export's SHA-256 and its validation (every row kept) at the same time,
/// then the live plan, then the decisions of a resumed session.
public enum ReviewLoader {
  public struct Input: Sendable {
    public var exportPath: String
    public var mapping: ColumnMapping
    public var options: PlanOptions
    /// A saved session to resume; refused when made for another export.
    public var sessionPath: String?

    public init(
      exportPath: String, mapping: ColumnMapping = .identity, options: PlanOptions = PlanOptions(),
      sessionPath: String? = nil
    ) {
      self.exportPath = exportPath
      self.mapping = mapping
      self.options = options
      self.sessionPath = sessionPath
    }
  }

  public static func load(
    _ input: Input, directory: any DirectoryStore, progress: LoadProgress? = nil
  ) throws -> LivePlan {
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
      results.value.snapshot = Result { try directory.cachedSnapshot() ?? directory.snapshot() }
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
      session = try ReviewSession.load(path: path, exportSHA256: sha256)
    }
    progress?.enter(.planning)
    let plan = LivePlan(
      validation: validated, directory: snapshot, options: input.options, exportSHA256: sha256)
    if let session {
      progress?.enter(.resuming)
      for decision in session.decisions { plan.apply(decision) }
    }
    return plan
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
