import Dispatch
import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// Everything `plan`, `apply EXPORT` and the review screen do before a plan
/// exists: read the directory, hash and validate the export (against the
/// directory, through the mapping and the review decisions), then plan.
/// Without decisions, rows are planned as they are read, with the directory
/// read first (from its snapshot cache, else from the database on both
/// cores); otherwise the directory is read on one core while the export is
/// validated, and the rows kept are planned afterwards.
public enum PlanPipeline {
  public struct Input: Sendable {
    public var exportPath: String
    public var mapping: ColumnMapping
    public var decisions: ReviewDecisions
    public var options: PlanOptions
    /// Keep every row in `validation.table` (the review screen and `LivePlan`
    /// need them); otherwise rows may be planned while read and not kept.
    public var keepsRows: Bool

    public init(
      exportPath: String, mapping: ColumnMapping = .identity, decisions: ReviewDecisions = ReviewDecisions(),
      options: PlanOptions = PlanOptions(), keepsRows: Bool = false
    ) {
      self.exportPath = exportPath
      self.mapping = mapping
      self.decisions = decisions
      self.options = options
      self.keepsRows = keepsRows
    }
  }

  public struct Output: Sendable {
    public var plan: Plan
    public var validation: ValidationResult
    public var directory: DirectorySnapshot
  }

  public static func run(_ input: Input, directory: any DirectoryStore) throws -> Output {
    // Building IDs are checked against the organizations, including the
    // external IDs set by review decisions.
    let organizations = try directory.organizations()
    var known = Set(organizations.compactMap(\.externalID))
    known.formUnion(input.decisions.organizationExternalIDs.values)
    let validationOptions = ValidationOptions(
      mapping: input.mapping, directory: KnownOrganizations(organizationExternalIDs: known), keepsRows: true,
      overrides: input.decisions.valueOverrides)

    // The export is opened once: the hash and the validation read the same
    // file, and a change made while they read it refuses the whole run.
    let export = try RegularFile(path: input.exportPath)
    // The export is hashed on another core: once the directory's read no
    // longer takes both cores (its join and indexes; a store that reads on
    // one core frees the other at once); or, when the snapshot cache is at
    // hand, once one half of the rows is read, on the core that read it
    // (until then both cores read the cache, then the rows).
    let results = UncheckedSendable(PipelineResults())
    let hashing = DispatchGroup()
    let hashingStarted = OnceFlag()
    @Sendable func startHashing() {
      guard hashingStarted.claim() else { return }
      DispatchQueue.global().async(group: hashing) {
        results.value.sha256 = Result { try PhaseTimer.measure("sha256") { try sha256Hex(of: export) } }
      }
    }

    // With no decisions, rows are planned while the export is read (not
    // when the mapping generates emails: their counter needs every row's
    // email first). The directory is read first, even when it is not
    // cached: keeping a million rows to plan them afterwards costs more
    // memory, and as much time, as the overlap with validation saves.
    if input.decisions.isEmpty, !input.keepsRows, input.mapping.rules[.email]?.generate == nil {
      let cached = PhaseTimer.measure("cached snapshot") { directory.cachedSnapshot() }
      // The snapshot cache a first plan leaves is written once a half of
      // the rows is read: until then both cores read them, and after it
      // has the core that half leaves idle.
      directory.holdBackgroundWork()
      defer { directory.startHeldWork() }
      let snapshot =
        try cached ?? PhaseTimer.measure("directory snapshot") { try directory.snapshot(coreFreed: startHashing) }
      let store = UncheckedSendable(directory)
      let aCoreIsFree: @Sendable () -> Void = {
        store.value.startHeldWork()
        startHashing()
      }
      var (validation, plan) = try PhaseTimer.measure("validation and planning") {
        try Planner.validateAndPlan(
          file: export, validationOptions: validationOptions, directory: snapshot, options: input.options,
          coreFreed: aCoreIsFree, rowsRead: aCoreIsFree)
      }
      startHashing()  // started already, unless the rows were never read
      hashing.wait()
      plan.exportSHA256 = try results.value.sha256!.get()
      try export.checkUnchanged()
      validation.table = nil
      return Output(plan: plan, validation: validation, directory: snapshot)
    }
    startHashing()
    let reading = DispatchGroup()
    DispatchQueue.global().async(group: reading) {
      results.value.snapshot = Result { try PhaseTimer.measure("directory snapshot") { try directory.snapshot() } }
    }
    results.value.validation = PhaseTimer.measure("validation") {
      Result { try ExportValidator.validate(file: export, options: validationOptions) }
    }
    PhaseTimer.measure("waiting for the directory") {
      reading.wait()
      hashing.wait()
    }

    let validation = try results.value.validation!.get()
    let snapshot = try results.value.snapshot!.get()
    let sha256 = try results.value.sha256!.get()
    try export.checkUnchanged()
    let plan = PhaseTimer.measure("planning") {
      Planner.plan(
        validation: validation, directory: snapshot, decisions: input.decisions, options: input.options,
        exportSHA256: sha256)
    }
    return Output(plan: plan, validation: validation, directory: snapshot)
  }
}

private final class PipelineResults {
  var snapshot: Result<DirectorySnapshot, Error>?
  var sha256: Result<String, Error>?
  var validation: Result<ValidationResult, Error>?
}
