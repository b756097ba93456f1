import Dispatch
import SyncDirectory
import SyncModel

extension PlanningRun {
  /// Managed, active accounts of the covered organizations that no row
  /// names are disabled, except those whose person is on a row that is not
  /// applied (`KeptAccounts`). `scan`: the directory's halves, scanned
  /// ahead (`startMissingAccountScan`) while the ID changes were planned,
  /// and taken from it (their disables are moved into the plan); nil to
  /// scan them now.
  mutating func planMissingAccounts(scan: [Background<MissingAccounts>]? = nil) {
    var halves = scan?.map { $0.take() } ?? missingAccountScan().scanNow()
    // The ID changes re-keyed some accounts after the scan (they are
    // present now), and an account a row names is never missing.
    let present = present
    var candidates: [Int] = []
    for half in halves {
      candidates += half.candidates.lazy.filter { !present[$0] }
      for (account, held) in zip(half.heldBackAccounts, half.heldBack) where !present[account] {
        heldBack.append(held)
        summary.heldBack += 1
      }
    }
    let byExternalID = organizationByExternalID
    let kept = PhaseTimer.measure("matching unapplied rows to people") {
      KeptAccounts(
        candidates: candidates, rows: candidates.isEmpty ? [] : unappliedRows ?? unappliedRowsOfTable(),
        directory: directory, names: names?.value, organizationIndex: { byExternalID[$0] })
    }
    keptFindings = kept.findings
    let missing = candidates.filter { !kept.accounts.contains($0) }
    let grace = GraceSplit(missing: missing, directory: directory, options: options) {
      present[$0] || kept.accounts.contains($0)
    }
    self.grace = grace
    // In directory order: the halves in turn, each in its own order. Both
    // lists are in directory order: one walk pairs them, and each change is
    // moved out of the scan's list (dropped after), not copied.
    var next = 0
    let disables = grace.disables
    changes.reserveCapacity(changes.count + disables.count)
    for index in halves.indices {
      let candidates = halves[index].candidates
      halves[index].disables.withUnsafeMutableBufferPointer { scanned in
        for (position, account) in candidates.enumerated() where next < disables.count && disables[next] == account {
          next += 1
          summary.disable += 1
          changes.append(scanned.take(position))
        }
      }
    }
  }

  /// Starts scanning the directory for missing accounts, in two halves on
  /// both cores, with `present` as it is now. Nothing the scan reads
  /// changes afterwards but `present`, which only gains accounts (the ID
  /// changes' re-keyed ones): `planMissingAccounts` drops those.
  func startMissingAccountScan() -> [Background<MissingAccounts>] {
    let scan = UncheckedSendable(missingAccountScan())
    return scan.value.halves.map { range in Background { scan.value.accounts(in: range) } }
  }

  private func missingAccountScan() -> MissingAccountScan {
    MissingAccountScan(
      directory: directory, accountRows: accountRows, present: present, covered: coveredFlags,
      sources: options.sources, decisions: decisions, protections: protectionIndex)
  }
}

/// What the missing-account scan reads: the directory as the rows left it.
private struct MissingAccountScan {
  let directory: DirectorySnapshot
  let accountRows: UnsafeRows
  let present: [Bool]
  let covered: [Bool]
  let sources: PlanSources
  let decisions: ReviewDecisions
  let protections: ProtectionIndex

  /// The directory in two halves, one a core.
  var halves: [Range<Int>] { [0..<directory.accountCount / 2, directory.accountCount / 2..<directory.accountCount] }

  /// Both halves scanned now, this thread taking part (it may itself be a
  /// worker of the shared pool, which must not wait on queued work).
  func scanNow() -> [MissingAccounts] {
    let halves = halves
    let found = UnsafeMutableBufferPointer<MissingAccounts>.allocate(capacity: halves.count)
    found.initialize(repeating: MissingAccounts())
    defer {
      _ = found.deinitialize()
      found.deallocate()
    }
    let results = UncheckedSendable(found)
    let scan = UncheckedSendable(self)
    DispatchQueue.concurrentPerform(iterations: halves.count) { half in
      results.value[half] = scan.value.accounts(in: halves[half])
    }
    return Array(found)
  }

  /// The managed, active accounts of `range` in the covered organizations
  /// that no row names: the disables, and what protection holds back.
  func accounts(in range: Range<Int>) -> MissingAccounts {
    var found = MissingAccounts()
    let accountOrganizations = directory.accountOrganizations
    for account in range where !present[account] {
      guard covered[Int(accountOrganizations[account])], !accountRows.bytes(account, .customID).isEmpty,
        sources.considers(account: account, in: directory),
        let change = PlanAssembly.missingAccountDisable(account, directory, decisions)
      else { continue }
      if let held = protections.sparingFromDisableMissing(account, change, directory: directory) {
        found.heldBackAccounts.append(account)
        found.heldBack.append(held)
        continue
      }
      found.candidates.append(account)
      found.disables.append(change)
    }
    return found
  }
}

/// What the missing-account scan finds in one range of the directory.
struct MissingAccounts: Sendable {
  var candidates: [Int] = []
  var disables: [PlannedChange] = []
  var heldBackAccounts: [Int] = []
  var heldBack: [HeldBackChange] = []
}
