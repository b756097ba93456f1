import ExportReading
import SyncDirectory
import SyncModel

/// A probable broken export (W044): every active managed account of a
/// school, of a grade within a school, or of a user type would be disabled.
/// Planning from scratch and the review screen's live plan both ask here,
/// so the confirm dialog, the report and the commit see the same warning.
enum ClusterCheck {
  /// The W044 findings for the accounts about to be disabled, among the
  /// organizations the export covers (`covered`, by organization index).
  /// `groups`: the active accounts per group, counted ahead (on the idle
  /// core while the rest of the plan is made); counted here when nil.
  static func findings(
    disabledAccountIDs: some Sequence<Int64>, directory: DirectorySnapshot, covered: [Bool],
    groups: ClusterGroups? = nil
  ) -> [Finding] {
    let disabledIDs = Array(disabledAccountIDs)
    guard disabledIDs.count >= 5 else { return [] }
    var groups = groups ?? ClusterGroups(directory: directory, covered: covered)
    let disabled = accountIndexes(of: disabledIDs, among: directory.accountIDs)
    directory.accounts.withUnsafeRows { accounts in
      for account in disabled { groups.countDisabled(account, accounts: accounts) }
    }
    var messages: [String] = []
    func flag(_ group: Group, _ description: @autoclosure () -> String) {
      guard group.active >= 5 && group.disabled == group.active else { return }
      messages.append("\(description()) (\(group.active)) would be disabled")
    }
    let gradeCount = Vocabulary.grades.count
    for (organization, group) in groups.schools.enumerated() {
      flag(group, "all active accounts of \(directory.organizations[organization].name)")
    }
    for (type, group) in groups.userTypes.enumerated() {
      flag(group, "all active \(Vocabulary.userTypes[type]) accounts")
    }
    for (index, group) in groups.grades.enumerated() {
      flag(
        group,
        "all active grade \(Vocabulary.grades[index % gradeCount]) students of "
          + directory.organizations[index / gradeCount].name)
    }
    return messages.sorted().map {
      Finding(
        code: .probableBrokenExport, line: nil, message: $0,
        suggestion: "check that the export is complete before applying")
    }
  }

  /// The indexes in `accountIDs` (ascending: accounts are read in id
  /// order) of the accounts `ids` names, each once, in ascending order; ids
  /// not among them are left out. The ids are sorted and both lists walked
  /// once: a search per id missed the cache at nearly every step, a
  /// twentieth of a second for a district's 50,000 disables.
  static func accountIndexes(of ids: [Int64], among accountIDs: [Int64]) -> [Int] {
    var indexes: [Int] = []
    indexes.reserveCapacity(ids.count)
    var next = 0
    for id in ids.sorted() {
      while next < accountIDs.count && accountIDs[next] < id { next += 1 }
      if next == accountIDs.count { break }
      if accountIDs[next] == id && indexes.last != next { indexes.append(next) }
    }
    return indexes
  }

  /// Active accounts of a group, and how many of them would be disabled.
  struct Group {
    var active = 0
    var disabled = 0
  }
}
