import Dispatch
import SyncDirectory
import SyncModel

extension PlanningRun {
  /// Managed, active accounts of the covered organizations that no row
  /// names are disabled, except those whose person is on a row that is not
  /// applied (`KeptAccounts`).
  mutating func planMissingAccounts() {
    // The directory in two halves on both cores (the end of a plan is
    // otherwise one core's work), then joined in directory order.
    let count = directory.accountCount
    let halves = [0..<count / 2, count / 2..<count]
    let found = UnsafeMutableBufferPointer<MissingAccounts>.allocate(capacity: halves.count)
    found.initialize(repeating: MissingAccounts())
    defer {
      _ = found.deinitialize()
      found.deallocate()
    }
    do {
      // The copy of the run ends with this block: while it lives, the run's
      // arrays have two owners, and the appends below would copy them.
      let results = UncheckedSendable(found)
      let run = UncheckedSendable(self)
      DispatchQueue.concurrentPerform(iterations: halves.count) { half in
        results.value[half] = run.value.missingAccounts(in: halves[half])
      }
    }
    var candidates: [Int] = []
    var disables: [PlannedChange] = []
    for half in found {
      candidates += half.candidates
      disables += half.disables
      heldBack += half.heldBack
      summary.heldBack += half.heldBack.count
    }
    let byExternalID = organizationByExternalID
    let kept = PhaseTimer.measure("matching unapplied rows to people") {
      KeptAccounts(
        candidates: candidates, rows: candidates.isEmpty ? [] : unappliedRows ?? unappliedRowsOfTable(),
        directory: directory, names: names?.value, organizationIndex: { byExternalID[$0] })
    }
    keptFindings = kept.findings
    let missing = candidates.filter { !kept.accounts.contains($0) }
    let present = present
    let grace = GraceSplit(missing: missing, directory: directory, options: options) {
      present[$0] || kept.accounts.contains($0)
    }
    self.grace = grace
    let disabledNow = Set(grace.disables)
    for (account, change) in zip(candidates, disables) where disabledNow.contains(account) {
      summary.disable += 1
      changes.append(change)
    }
  }

  /// The managed, active accounts of `range` in the covered organizations
  /// that no row names: the disables, and what protection holds back.
  private func missingAccounts(in range: Range<Int>) -> MissingAccounts {
    var found = MissingAccounts()
    let accountOrganizations = directory.accountOrganizations
    for account in range where !present[account] {
      guard coveredFlags[Int(accountOrganizations[account])], !accountRows.bytes(account, .customID).isEmpty,
        options.sources.considers(account: account, in: directory),
        let change = PlanAssembly.missingAccountDisable(account, directory, decisions)
      else { continue }
      if let held = protectionIndex.sparingFromDisableMissing(account, change, directory: directory) {
        found.heldBack.append(held)
        continue
      }
      found.candidates.append(account)
      found.disables.append(change)
    }
    return found
  }
}

/// What `planMissingAccounts` finds in one range of the directory.
private struct MissingAccounts {
  var candidates: [Int] = []
  var disables: [PlannedChange] = []
  var heldBack: [HeldBackChange] = []
}
