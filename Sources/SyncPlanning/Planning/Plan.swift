import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// What happens to one export row (the review screen's categories).
public enum RowOutcome: UInt8, Sendable, CaseIterable {
  case error
  case create
  case update
  case disable
  case reactivate
  case assignID
  case idChange
  case unchanged
  /// Disabled in the export and absent from the directory: nothing to do.
  case skipped
  case excluded
  /// A change protection held back (`sis-sync protect`): not applied, not an error.
  case heldBack
}

extension RowOutcome {
  init(_ action: ChangeAction) {
    self =
      switch action {
      case .create: .create
      case .update: .update
      case .disable: .disable
      case .reactivate: .reactivate
      case .assignID: .assignID
      case .idChange: .idChange
      }
  }
}

/// Options of planning.
public struct PlanOptions: Sendable, Equatable {
  /// Disable managed accounts of the covered organizations that are absent
  /// from the export (off by default).
  public var disableMissing: Bool
  public var thresholds: [Threshold]
  /// Proceed even when a threshold holds the plan.
  public var overrideThresholds: Bool
  /// Where each threshold came from, when the options were made from the
  /// directory's settings (`DirectorySettings.planOptions`); for reports only.
  public var thresholdOrigins: [ChangeAction: SettingOrigin] = [:]
  /// Where `disableMissing` came from (nil as for `thresholdOrigins`).
  public var disableMissingOrigin: SettingOrigin?
  /// A person accepted the plan's ID changes (`--accept-id-changes`, or a
  /// commit from review); without it a plan with any is held.
  public var acceptIDChanges = false
  /// Whether planning re-keys accounts (`IDChanges`); off only for
  /// `LivePlan`, which works them out over the whole export itself.
  package var plansIDChanges = true
  /// Managed accounts of every organization, when the caller counted them
  /// already (a live plan re-planning a few rows): the thresholds' scope is
  /// then not counted again over the whole directory.
  package var managedByOrganization: [Int]?
  /// The directory's protections: what they cover is held back, not changed.
  public var protections: PlanProtections = .none
  /// The run's source (`--source`) and what each source owns: with one,
  /// rows naming another source's accounts are not applied (E065, E066) and
  /// disable-missing and ID changes consider only the source's accounts.
  public var sources: PlanSources = .none
  /// The fields the sync leaves as the directory has them (`fields.local`,
  /// `sis-sync local-fields`).
  public var localFields: PlanLocalFields = .none
  /// How long a missing account waits before it is disabled (0: at once).
  public var disableGrace: GraceDuration = .none
  /// Where `disableGrace` came from (nil as for `thresholdOrigins`).
  public var disableGraceOrigin: SettingOrigin?
  /// The time the plan is made at; nil: `RunClock` when planning (tests fix it).
  public var now: Date?
  /// The rollover profile, when it applies to this run (`--profile
  /// rollover`, or today in setting `rollover.window`): the changes it
  /// expects are grouped and not counted by the thresholds.
  public var rollover: RolloverProfile?
  /// `--profile` as given (nil: the window decides), kept so that options
  /// made again from newer settings keep it.
  public var profileFlag: PlanProfile?
  /// Grade ranges of `--school-grades`, over settings `grades.SCHOOL`
  /// (kept for the same reason).
  public var gradeRangesFromFile: [String: GradeRange] = [:]
  /// Schools' own thresholds (settings `threshold.ACTION.SCHOOL`).
  public var schoolThresholds: [SchoolThreshold] = []

  public init(
    disableMissing: Bool = false, thresholds: [Threshold] = Threshold.defaults, overrideThresholds: Bool = false
  ) {
    self.disableMissing = disableMissing
    self.thresholds = thresholds
    self.overrideThresholds = overrideThresholds
  }
}

/// The change set of one export against one directory state.
public struct Plan: Sendable {
  public var exportName: String
  public var exportSHA256: String
  public var mappingOrigin: String
  public var directoryID: String
  /// The directory generation the plan was computed against.
  public var directoryGeneration: Int64
  /// The random token of that directory state: apply accepts the plan only
  /// in that very state (a restored backup has the generation, not the token).
  public var directoryToken: String
  public var options: PlanOptions
  public var decisions: [Decision]
  public var changes: [PlannedChange]
  public var organizationChanges: [OrganizationChange]
  public var summary: PlanSummary
  /// Managed accounts of the organizations the export covers.
  public var managedAccountsInScope: Int
  public var holds: [ThresholdHold]
  /// What protection held back: rows' changes in file order, then the
  /// disables of absent accounts.
  public var heldBack: [HeldBackChange] = []
  /// Rows whose accounts differ from the export only in local fields: left
  /// unchanged, in file order. (Changes list theirs in `keptLocal`.)
  public var keptLocal: [KeptLocalFields] = []
  /// Validation findings plus planning findings, in reading order.
  public var findings: [Finding]
  /// Rows read from the export.
  public var rowCount: Int
  /// Per export row: what happens to it, and its change (index into
  /// `changes`, -1 for none).
  public var rowOutcomes: [RowOutcome]
  public var rowChanges: [Int32]
  /// With `options.plansIDChanges` off: the rows that could be ID changes.
  package var possibleIDChanges: [PossibleIDChange] = []
  /// Accounts absent from the export that wait out the grace
  /// (`--disable-missing-after`), in account id order.
  public var pendingDisables: [PendingDisable] = []
  /// Pending disables this plan ends (the person back, or disabled now).
  public var clearedPendingDisables: [ClearedPendingDisable] = []
  /// With the rollover profile: the changes it expects, by group, and what
  /// the thresholds counted (nil without it).
  public var rollover: RolloverOutcome?

  /// Pending disables committing this plan records (first found missing now).
  public var newPendingDisables: [PendingDisable] { pendingDisables.filter(\.isNew) }

  /// Held by a threshold and not overridden: nothing may be applied.
  public var isHeld: Bool { !holds.isEmpty && !options.overrideThresholds }

  /// Has ID changes nobody accepted: nothing may be applied (a re-keyed
  /// account is a judgement a person makes, not a scheduled run).
  public var holdsIDChanges: Bool { summary.idChange > 0 && !options.acceptIDChanges }

  /// Something to commit: a change, or a pending disable to record or clear.
  public var hasChanges: Bool {
    !changes.isEmpty || !organizationChanges.isEmpty || pendingDisables.contains(where: \.isNew)
      || !clearedPendingDisables.isEmpty
  }

  public func count(_ severity: Severity) -> Int {
    findings.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
  }
}
