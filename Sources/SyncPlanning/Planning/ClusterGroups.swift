import SyncDirectory
import SyncModel

/// The groups W044 watches (a school, a user type, a grade of a school),
/// each with its active managed accounts in the covered organizations.
/// Counting them reads every account of the directory, and depends only on
/// the directory and what the export covers, not on the disables: planning
/// counts them on the idle core while it works out ID changes and missing
/// accounts, and `ClusterCheck` then reads only the disabled accounts.
struct ClusterGroups: Sendable {
  private(set) var schools: [ClusterCheck.Group]
  private(set) var userTypes: [ClusterCheck.Group]
  /// By organization index × grade count + grade index.
  private(set) var grades: [ClusterCheck.Group]
  private let membership: GroupMembership

  init(directory: DirectorySnapshot, covered: [Bool]) {
    let membership = GroupMembership(covered: covered, accountOrganizations: directory.accountOrganizations)
    var schools = Array(repeating: ClusterCheck.Group(), count: directory.organizations.count)
    var userTypes = Array(repeating: ClusterCheck.Group(), count: Vocabulary.userTypes.count)
    var grades = Array(repeating: ClusterCheck.Group(), count: directory.organizations.count * membership.gradeCount)
    let accountCount = directory.accountCount
    directory.accounts.withUnsafeRows { accounts in
      for account in 0..<accountCount {
        guard let groups = membership.groups(of: account, accounts: accounts) else { continue }
        schools[groups.school].active += 1
        if groups.userType >= 0 { userTypes[groups.userType].active += 1 }
        if groups.grade >= 0 { grades[groups.grade].active += 1 }
      }
    }
    (self.schools, self.userTypes, self.grades, self.membership) = (schools, userTypes, grades, membership)
  }

  /// Counts a disabled account in its groups (once per account).
  mutating func countDisabled(_ account: Int, accounts: UnsafeRows) {
    guard let groups = membership.groups(of: account, accounts: accounts) else { return }
    schools[groups.school].disabled += 1
    if groups.userType >= 0 { userTypes[groups.userType].disabled += 1 }
    if groups.grade >= 0 { grades[groups.grade].disabled += 1 }
  }
}

/// Which of W044's groups an account is in. (Indexes, not a closure over
/// the groups: counting a million accounts through one cost twice as much.)
private struct GroupMembership: Sendable {
  let covered: [Bool]
  let accountOrganizations: [Int32]
  // Held here rather than read from `Vocabulary` in the loop over every
  // account: a static is a guarded call each time.
  let userTypeSet = Vocabulary.userTypeSet
  let gradeSet = Vocabulary.gradeSet
  let active = Array("Active".utf8)
  let gradeCount = Vocabulary.grades.count
  let studentType = Vocabulary.userTypes.firstIndex(of: "Student")!

  /// nil: no group; -1: not in that kind of group. An active managed
  /// account of a covered organization is in its school's, and, when its
  /// user type (and a student's grade) is one of the vocabulary's, in those
  /// too.
  func groups(of account: Int, accounts: UnsafeRows) -> (school: Int, userType: Int, grade: Int)? {
    let organization = Int(accountOrganizations[account])
    // (A byte compare: the generic `elementsEqual` was a third of counting.)
    guard covered[organization], !accounts.bytes(account, .customID).isEmpty,
      active.withUnsafeBufferPointer({ bytesEqual(accounts.bytes(account, .status), $0) })
    else { return nil }
    guard case .exact(let userType) = userTypeSet.match(accounts.bytes(account, .userType)) else {
      return (organization, -1, -1)
    }
    guard userType == studentType, case .exact(let grade) = gradeSet.match(accounts.bytes(account, .grade)) else {
      return (organization, userType, -1)
    }
    return (organization, userType, organization * gradeCount + grade)
  }
}
