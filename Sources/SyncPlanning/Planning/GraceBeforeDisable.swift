import Foundation
import SyncDirectory
import SyncModel

/// How long an account absent from the export waits before disable-missing
/// disables it (`--disable-missing-after`, setting `disable_grace`): whole
/// days (`14d`) or hours (`36h`); `0` disables at once.
public struct GraceDuration: Sendable, Equatable, CustomStringConvertible {
  public let seconds: Int

  public static let none = GraceDuration(seconds: 0)

  init(seconds: Int) { self.seconds = seconds }

  /// `14d`, `36h` or `0`; nil for anything else.
  public init?(_ text: String) {
    let text = text.trimmingCharacters(in: .whitespaces).lowercased()
    if text == "0" {
      seconds = 0
      return
    }
    guard let unit = text.last, unit == "d" || unit == "h", let count = Int(text.dropLast()), count >= 0,
      count <= 36_500
    else { return nil }
    seconds = count * (unit == "d" ? 86_400 : 3_600)
  }

  public var description: String {
    if seconds == 0 { return "0" }
    return seconds % 86_400 == 0 ? "\(seconds / 86_400)d" : "\(seconds / 3_600)h"
  }
}

/// An account absent from this export whose disable waits out the grace.
public struct PendingDisable: Sendable, Equatable {
  public var accountID: Int64
  public var customID: String
  /// When a run first found it missing (now, for one first found by this plan).
  public var missingSince: String
  /// The first time a committed run disables it, if it is still missing.
  public var disableAfter: String
  /// First found missing by this plan: committing it records the account.
  public var isNew: Bool

  /// Whole days left before the disable (rounded up; 0 once it is due).
  public func daysLeft(at now: Date) -> Int {
    guard let after = RunClock.parse(disableAfter) else { return 0 }
    return max(0, Int((after.timeIntervalSince(now) / 86_400).rounded(.up)))
  }
}

/// A pending disable this plan ends: the person is back in the export, the
/// account is disabled (by this plan or otherwise), or no longer managed.
public struct ClearedPendingDisable: Sendable, Equatable {
  public var record: PendingDisableRecord
  public var customID: String
}

/// The split of the accounts disable-missing would disable into those
/// disabled now and those that wait, and the pending records to clear:
/// the one rule the planner and the live plan share.
struct GraceSplit {
  /// Accounts (snapshot indexes) disabled by this plan, in directory order.
  var disables: [Int] = []
  var pending: [PendingDisable] = []
  var cleared: [ClearedPendingDisable] = []

  init() {}

  /// `missing`: the accounts disable-missing would disable (none when it
  /// is off), in directory order. `isFoundBack`: a row names the account or
  /// its person.
  init(
    missing: [Int], directory: DirectorySnapshot, options: PlanOptions, isFoundBack: (Int) -> Bool
  ) {
    let now = options.now ?? RunClock.date()
    // Formatting costs more than re-planning a row: not when nobody is missing.
    let nowText = missing.isEmpty ? "" : RunClock.string(now)
    let grace = TimeInterval(options.disableGrace.seconds)
    var waiting = Set<Int64>()
    for account in missing {
      let id = directory.accountIDs[account]
      let record = directory.pendingDisables[id]
      let since = record.flatMap { RunClock.parse($0.missingSince) } ?? now
      let after = since.addingTimeInterval(grace)
      if after <= now {
        disables.append(account)
        continue
      }
      waiting.insert(id)
      pending.append(
        PendingDisable(
          accountID: id, customID: directory.accounts.value(row: account, column: .customID),
          missingSince: record?.missingSince ?? nowText, disableAfter: RunClock.string(after), isNew: record == nil))
    }
    let disabledNow = Set(disables)
    for record in directory.pendingDisables.values.sorted(by: { $0.accountID < $1.accountID })
    where !waiting.contains(record.accountID) {
      guard let account = directory.accountIndex(id: record.accountID) else { continue }
      let isActive =
        directory.isManaged(account: account)
        && directory.accounts.value(row: account, column: .status) == "Active"
      // Only the run's own source finds its person back (`--source`): the
      // SIS listing HR's staff member (E065) ends none of HR's grace.
      let foundBack = options.sources.considers(account: account, in: directory) && isFoundBack(account)
      guard disabledNow.contains(account) || !isActive || foundBack else { continue }
      cleared.append(
        ClearedPendingDisable(
          record: record, customID: directory.accounts.value(row: account, column: .customID)))
    }
  }
}
