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
  static func findings(
    disabledAccountIDs: some Sequence<Int64>, directory: DirectorySnapshot, covered: [Bool]
  ) -> [Finding] {
    let disabledIDs = Array(disabledAccountIDs)
    guard disabledIDs.count >= 5 else { return [] }
    // Accounts are read in id order, so ids map back to indexes by search.
    // The snapshot's arrays are read once into locals: the snapshot is a
    // class of another module, and each property read would be a call.
    let accountIDs = directory.accountIDs
    let accountOrganizations = directory.accountOrganizations
    let accountCount = directory.accountCount
    var disabled = [Bool](repeating: false, count: accountCount)
    for id in disabledIDs {
      if let index = binarySearch(accountIDs, id) { disabled[index] = true }
    }
    // Counts per group, in flat arrays: a school (by organization index), a
    // user type, a grade of a school.
    let organizationCount = directory.organizations.count
    let gradeCount = Vocabulary.grades.count
    var schoolGroups = [Group](repeating: Group(), count: organizationCount)
    var typeGroups = [Group](repeating: Group(), count: Vocabulary.userTypes.count)
    var gradeGroups = [Group](repeating: Group(), count: organizationCount * gradeCount)
    let active = Array("Active".utf8)
    let studentType = Vocabulary.userTypes.firstIndex(of: "Student")!
    let userTypeSet = Vocabulary.userTypeSet
    let gradeSet = Vocabulary.gradeSet
    directory.accounts.withUnsafeRows { accounts in
      for account in 0..<accountCount {
        let organization = Int(accountOrganizations[account])
        guard covered[organization], !accounts.bytes(account, .customID).isEmpty,
          accounts.bytes(account, .status).elementsEqual(active)
        else { continue }
        let isDisabled = disabled[account]
        schoolGroups[organization].count(isDisabled)
        guard case .exact(let userType) = userTypeSet.match(accounts.bytes(account, .userType)) else {
          continue
        }
        typeGroups[userType].count(isDisabled)
        if userType == studentType, case .exact(let grade) = gradeSet.match(accounts.bytes(account, .grade)) {
          gradeGroups[organization * gradeCount + grade].count(isDisabled)
        }
      }
    }
    var messages: [String] = []
    func flag(_ group: Group, _ description: @autoclosure () -> String) {
      guard group.active >= 5 && group.disabled == group.active else { return }
      messages.append("\(description()) (\(group.active)) would be disabled")
    }
    for (organization, group) in schoolGroups.enumerated() {
      flag(group, "all active accounts of \(directory.organizations[organization].name)")
    }
    for (type, group) in typeGroups.enumerated() {
      flag(group, "all active \(Vocabulary.userTypes[type]) accounts")
    }
    for (index, group) in gradeGroups.enumerated() {
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

  /// Active accounts of a group, and how many of them would be disabled.
  private struct Group {
    var active = 0
    var disabled = 0

    mutating func count(_ isDisabled: Bool) {
      active += 1
      if isDisabled { disabled += 1 }
    }
  }
}
