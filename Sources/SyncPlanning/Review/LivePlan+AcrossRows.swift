import ExportReading
import SyncDirectory
import SyncModel

/// What the live plan decides across rows, after each decision: the ID
/// changes over the whole export, the accounts disable-missing disables or
/// keeps, what protection holds back of them, and the thresholds they meet.
extension LivePlan {
  /// With disable-missing on: the managed, active accounts of the covered
  /// organizations that no row names (indexes into the snapshot), in
  /// directory order, less those whose person is on a row that is not
  /// applied (`KeptAccounts`).
  public func missingAccountDisables() -> [Int] {
    guard options.disableMissing else { return [] }
    return graceCache.disables
  }

  /// Accounts absent from the export that wait out the grace, and the
  /// pending disables the plan ends.
  public var pendingDisables: [PendingDisable] { graceCache.pending }
  public var clearedPendingDisables: [ClearedPendingDisable] { graceCache.cleared }

  /// The account's pending disable in this plan, if it waits out the grace.
  public func pendingDisable(account: Int) -> PendingDisable? {
    let id = directory.accountIDs[account]
    return graceCache.pending.first { $0.accountID == id }
  }

  /// The accounts disable-missing would disable, and those it spares. One
  /// pass over the per-account counts, and one over the rows' outcomes.
  func keptAccounts() -> (candidates: [Int], kept: KeptAccounts) {
    keptCache ?? (candidates: [], kept: KeptAccounts())
  }

  /// What depends on every row at once: the ID changes, then the accounts
  /// disable-missing spares (an account re-keyed is present). Each is
  /// worked out again only when a decision changed what it reads
  /// (`noteAcrossRows`): excluding a row that names its account changes
  /// neither. Returns the rows that became, or stopped being, ID changes.
  @discardableResult
  func refreshAcrossRows() -> Set<Int> {
    var moved = Set<Int>()
    if acrossRowsStale.idChanges {
      let rowsBefore = Set(idChanges.changes.keys)
      let accountsBefore = idChanges.accounts
      refreshIDChanges()
      moved = rowsBefore.symmetricDifference(idChanges.changes.keys)
      // The accounts re-keyed are present; rows re-keyed are applied.
      if !moved.isEmpty || idChanges.accounts != accountsBefore { acrossRowsStale.keptAccounts = true }
    }
    if acrossRowsStale.keptAccounts { refreshKeptAccounts() }
    if acrossRowsStale.idChanges || acrossRowsStale.keptAccounts { acrossRowsVersion += 1 }
    acrossRowsStale = .none
    return moved
  }

  func refreshIDChanges() {
    guard !state.possibleIDChanges.isEmpty, !isPreview else {
      idChanges = IDChanges()
      return
    }
    var absent: [Int] = []
    // A protected account is never re-keyed (it keeps its custom_id), nor
    // another source's.
    for account in 0..<directory.accountCount
    where state.presentCount[account] == 0 && directory.isManaged(account: account)
      && protectionIndex.account(account) == nil && options.sources.considers(account: account, in: directory)
    {
      absent.append(account)
    }
    idChanges = IDChanges(
      rows: state.possibleIDChanges.values.sorted { $0.position < $1.position }, absent: absent,
      directory: directory, decisions: decisions, localFields: localFieldIndex, organizationIndex: organizationIndex)
  }

  func refreshKeptAccounts() {
    let idChanged = idChanges.accounts
    guard options.disableMissing else {
      // A pending disable still ends when its person is back.
      if !directory.pendingDisables.isEmpty {
        graceCache = GraceSplit(missing: [], directory: directory, options: options) {
          state.presentCount[$0] > 0 || idChanged.contains($0)
        }
      }
      return
    }
    var candidates: [Int] = []
    heldBackMissing = []
    heldBackMissingAccounts = []
    for account in 0..<directory.accountCount
    where state.presentCount[account] == 0 && !idChanges.accounts.contains(account) {
      guard state.coveredCount[Int(directory.accountOrganizations[account])] > 0,
        directory.isManaged(account: account), options.sources.considers(account: account, in: directory),
        directory.accounts.withBytes(row: account, column: .status, { $0.elementsEqual("Active".utf8) })
      else { continue }
      if !protectionIndex.isEmpty, let change = PlanAssembly.missingAccountDisable(account, directory, decisions),
        let held = protectionIndex.sparingFromDisableMissing(account, change, directory: directory)
      {
        heldBackMissing.append(held)
        heldBackMissingAccounts.append(account)
        continue
      }
      candidates.append(account)
    }
    var unapplied: [UnappliedRow] = []
    if !candidates.isEmpty {
      // A row naming an account by custom_id makes it present already.
      for row in 0..<table.rowCount where state.accountOfRow[row] < 0 {
        let outcome = outcome(row: row)
        guard outcome == .error || outcome == .excluded else { continue }
        unapplied.append(
          UnappliedRow(
            line: table.line(ofRow: row), excluded: outcome == .excluded,
            person: PersonKeys { effectiveValue(row: row, column: $0) }))
      }
    }
    let kept = KeptAccounts(
      candidates: candidates, rows: unapplied, directory: directory, organizationIndex: organizationIndex)
    keptCache = (candidates, kept)
    let missing = kept.accounts.isEmpty ? candidates : candidates.filter { !kept.accounts.contains($0) }
    graceCache = GraceSplit(missing: missing, directory: directory, options: options) {
      state.presentCount[$0] > 0 || idChanged.contains($0) || kept.accounts.contains($0)
    }
  }

  /// The thresholds the plan would be held by now, without building the
  /// whole plan (`plan()` gives the same holds).
  public func thresholdHolds() -> [ThresholdHold] { thresholdJudgement().holds }

  /// The same holds, with what the rollover profile explains (nil without
  /// it): `plan()` gives the same.
  public func thresholdJudgement() -> (holds: [ThresholdHold], rollover: RolloverOutcome?) {
    var summary = summary
    let missing = missingAccountDisables()
    summary.disable += missing.count
    summary.organizationExternalIDs = PlanAssembly.organizationChanges(decisions, directory).count
    // The changes themselves only when the rollover or a school's own
    // threshold needs them (the counts are enough otherwise).
    var changes: [PlannedChange] = []
    if PlanThresholds.needsChanges(options) {
      changes = (0..<table.rowCount).compactMap(change(row:)) + missing.compactMap(missingAccountDisable)
    }
    let judgement = PlanThresholds.judge(
      changes: changes, summary: summary, covered: state.coveredCount.map { $0 > 0 }, directory: directory,
      options: options, managedByOrganization: managedByOrganization)
    return (judgement.holds, judgement.rollover)
  }

  /// With a source (`--source`): the source that manages the account the
  /// row names (nil when none does, or the row names none); nil without one.
  public func source(row: Int) -> (owner: String?, run: String)? {
    guard let run = options.sources.source else { return nil }
    let account = state.accountOfRow[row]
    guard account >= 0 else { return (nil, run) }
    return (options.sources.owner(ofAccount: Int(account), in: directory), run)
  }

  /// The disable of an absent account, as the plan will carry it.
  public func missingAccountDisable(_ account: Int) -> PlannedChange? {
    PlanAssembly.missingAccountDisable(account, directory, decisions)
  }
  public func outcome(row: Int) -> RowOutcome { idChanges.changes[row] != nil ? .idChange : state.outcomes[row] }
  public func change(row: Int) -> PlannedChange? { idChanges.changes[row] ?? state.changes[row] }
  /// What protection held back of the row's change.
  public func heldBack(row: Int) -> HeldBackChange? { state.heldBack[row] }
  /// What the row's account kept of its local fields when nothing else of
  /// it changes (a change lists its own in `keptLocal`).
  public func keptLocal(row: Int) -> KeptLocalFields? { state.keptLocal[row] }
  /// The disables of absent accounts protection held back (with disable-missing).
  public var heldBackAbsentAccounts: [HeldBackChange] { heldBackMissing }
  /// The same accounts, as indexes into the snapshot.
  public var heldBackAbsentAccountIndexes: [Int] { heldBackMissingAccounts }
  /// What protection held back of an absent account's disable.
  public func heldBackAbsentAccount(_ account: Int) -> HeldBackChange? {
    heldBackMissingAccounts.firstIndex(of: account).map { heldBackMissing[$0] }
  }
}
