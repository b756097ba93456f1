import SyncDirectory
import SyncModel

/// The thresholds a plan meets, for all three ways of planning (through
/// `PlanEnding` and `LivePlan.thresholdHolds`). Without the rollover
/// profile or a school's own threshold, the plan's counts are enough; with
/// either, each change is looked at: the changes the profile explains are
/// grouped and not counted, and a school with its own threshold counts its
/// changes apart.
enum PlanThresholds {
  struct Judgement {
    var holds: [ThresholdHold]
    /// Managed accounts of the covered organizations (the base of shares).
    var scope: Int
    var rollover: RolloverOutcome?
  }

  /// Whether judging needs the changes themselves, not only the counts.
  static func needsChanges(_ options: PlanOptions) -> Bool {
    options.rollover != nil || !options.schoolThresholds.isEmpty
  }

  static func judge(
    changes: some Sequence<PlannedChange>, summary: PlanSummary, covered: [Bool], directory: DirectorySnapshot,
    options: PlanOptions, managedByOrganization: [Int]? = nil
  ) -> Judgement {
    // Counted once per directory by a live plan (`managedByOrganization`,
    // every organization), here less the organizations not covered.
    let managed =
      managedByOrganization.map { all in all.indices.map { covered[$0] ? all[$0] : 0 } }
      ?? managedAccounts(directory, covered: covered, sources: options.sources)
    let scope = managed.reduce(0, +)
    guard needsChanges(options) else {
      return Judgement(
        holds: ThresholdCheck.holds(summary: summary, scope: scope, thresholds: options.thresholds), scope: scope)
    }
    var own: [ChangeAction: [String: Threshold]] = [:]
    for entry in options.schoolThresholds { own[entry.threshold.action, default: [:]][entry.school] = entry.threshold }
    var counts: [RolloverGroup: Int] = [:]
    // The actions' counts only (rows with errors, unchanged rows… are no changes).
    var unexplained = PlanSummary()
    var district = summary
    var bySchool: [ChangeAction: [String: Int]] = [:]
    for change in changes {
      if let group = options.rollover?.group(of: change) {
        counts[group, default: 0] += 1
        district.remove(change.action)
        continue
      }
      unexplained.add(change.action)
      guard let schools = own[change.action], let school = externalID(change.organizationID, directory),
        schools[school] != nil
      else { continue }
      bySchool[change.action, default: [:]][school, default: 0] += 1
      district.remove(change.action)
    }
    var holds: [ThresholdHold] = []
    for threshold in options.thresholds {
      // Schools with their own threshold on this action are judged apart.
      var districtScope = scope
      for school in own[threshold.action].map({ Array($0.keys) }) ?? [] {
        districtScope -= managedAccounts(of: school, managed, directory)
      }
      if let hold = ThresholdCheck.hold(threshold, count: district.count(threshold.action), scope: districtScope) {
        holds.append(hold)
      }
    }
    for entry in options.schoolThresholds.sorted(by: {
      ($0.school, $0.threshold.action.rawValue) < ($1.school, $1.threshold.action.rawValue)
    }) {
      let count = bySchool[entry.threshold.action]?[entry.school] ?? 0
      let schoolScope = managedAccounts(of: entry.school, managed, directory)
      if let hold = ThresholdCheck.hold(entry.threshold, count: count, scope: schoolScope, school: entry.school) {
        holds.append(hold)
      }
    }
    let rollover = options.rollover.map { profile in
      RolloverOutcome(
        profile: profile, counts: counts, unexplained: unexplained,
        schoolsWithoutGrades: directory.organizations.indices.filter { covered[$0] }.compactMap { index in
          let organization = directory.organizations[index]
          guard organization.kind == .school, let id = organization.externalID, profile.gradeRanges[id] == nil
          else { return nil }
          return id
        }.sorted())
    }
    return Judgement(holds: holds, scope: scope, rollover: rollover)
  }

  /// Managed accounts in scope of each organization (by index in the
  /// snapshot; with a source, that source's only): zero for organizations
  /// the export does not cover.
  static func managedAccounts(_ directory: DirectorySnapshot, covered: [Bool], sources: PlanSources) -> [Int] {
    let accountOrganizations = directory.accountOrganizations
    var counts = [Int](repeating: 0, count: directory.organizations.count)
    directory.accounts.withUnsafeRows { accounts in
      for account in 0..<directory.accountCount {
        let organization = Int(accountOrganizations[account])
        guard covered[organization], !accounts.bytes(account, .customID).isEmpty,
          sources.considers(account: account, in: directory)
        else { continue }
        counts[organization] += 1
      }
    }
    return counts
  }

  private static func managedAccounts(of school: String, _ managed: [Int], _ directory: DirectorySnapshot) -> Int {
    directory.organizationIndex(externalID: school).map { managed[$0] } ?? 0
  }

  private static func externalID(_ organizationID: Int64, _ directory: DirectorySnapshot) -> String? {
    directory.organizationIndex(id: organizationID).flatMap { directory.organizations[$0].externalID }
  }
}
