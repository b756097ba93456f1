import SyncDirectory
import SyncModel

/// Who a person is by name: organization, last and first name and user
/// type, the names and type without regard to case.
struct PersonNameKey: Hashable, Sendable {
  var organization: Int
  var lastName: String
  var firstName: String
  var userType: String
}

/// Accounts by `PersonNameKey`, built once over a pool of accounts and
/// shared by the matchers of one plan (`IDChanges`, then `KeptAccounts`:
/// both look among the accounts no row names, and each keeps only its own
/// candidates). Built while the rows are joined, on the core that would
/// otherwise idle. Each key's accounts come back in directory order.
final class PersonNameIndex: Sendable {
  private let pool: [Int]
  /// The first position in `pool` of each key's accounts, and after each
  /// position the next one with the same key (-1 ends): one array for all
  /// keys rather than an array per key.
  private let first: [PersonNameKey: Int32]
  private let next: [Int32]

  /// `pool`: accounts in directory order.
  init(directory: DirectorySnapshot, pool: [Int]) {
    self.pool = pool
    var first = [PersonNameKey: Int32](minimumCapacity: pool.count)
    var next = [Int32](repeating: -1, count: pool.count)
    let accountOrganizations = directory.accountOrganizations
    directory.accounts.withUnsafeRows { rows in
      // Backwards, each account put in front of its key's chain: the
      // chains then read in directory order.
      for position in pool.indices.reversed() {
        let account = pool[position]
        let key = PersonNameKey(
          organization: Int(accountOrganizations[account]), lastName: rows.string(account, .lastName).lowercased(),
          firstName: rows.string(account, .firstName).lowercased(),
          userType: rows.string(account, .userType).lowercased())
        if let head = first.updateValue(Int32(position), forKey: key) { next[position] = head }
      }
    }
    self.first = first
    self.next = next
  }

  /// The pool's accounts with this key that `keep` accepts, in directory order.
  func accounts(_ key: PersonNameKey, where keep: (Int) -> Bool) -> [Int] {
    var accounts: [Int] = []
    var position = first[key] ?? -1
    while position >= 0 {
      let account = pool[Int(position)]
      if keep(account) { accounts.append(account) }
      position = next[Int(position)]
    }
    return accounts
  }
}
