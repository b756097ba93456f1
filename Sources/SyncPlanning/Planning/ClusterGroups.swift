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
  private let covered: [Bool]
  private let accountOrganizations: [Int32]
  // Held here rather than read from `Vocabulary` in the loop over every
  // account: a static is a guarded call each time.
  private let userTypeSet = Vocabulary.userTypeSet
  private let gradeSet = Vocabulary.gradeSet
  private let active = Array("Active".utf8)
  private let gradeCount = Vocabulary.grades.count
  private let studentType = Vocabulary.userTypes.firstIndex(of: "Student")!

  init(directory: DirectorySnapshot, covered: [Bool]) {
    self.covered = covered
    accountOrganizations = directory.accountOrganizations
    schools = Array(repeating: ClusterCheck.Group(), count: directory.organizations.count)
    userTypes = Array(repeating: ClusterCheck.Group(), count: Vocabulary.userTypes.count)
    grades = Array(
      repeating: ClusterCheck.Group(), count: directory.organizations.count * Vocabulary.grades.count)
    let accountCount = directory.accountCount
    directory.accounts.withUnsafeRows { accounts in
      for account in 0..<accountCount {
        forEachGroup(of: account, accounts: accounts) { $0.active += 1 }
      }
    }
  }

  /// Counts a disabled account in its groups (once per account).
  mutating func countDisabled(_ account: Int, accounts: UnsafeRows) {
    forEachGroup(of: account, accounts: accounts) { $0.disabled += 1 }
  }

  /// The groups an account counts in: an active managed account of a
  /// covered organization is in its school's, and, when its user type
  /// (and a student's grade) is one of the vocabulary's, in those too.
  private mutating func forEachGroup(
    of account: Int, accounts: UnsafeRows, _ body: (inout ClusterCheck.Group) -> Void
  ) {
    let organization = Int(accountOrganizations[account])
    guard covered[organization], !accounts.bytes(account, .customID).isEmpty,
      accounts.bytes(account, .status).elementsEqual(active)
    else { return }
    body(&schools[organization])
    guard case .exact(let userType) = userTypeSet.match(accounts.bytes(account, .userType)) else {
      return
    }
    body(&userTypes[userType])
    if userType == studentType,
      case .exact(let grade) = gradeSet.match(accounts.bytes(account, .grade))
    {
      body(&grades[organization * gradeCount + grade])
    }
  }
}
