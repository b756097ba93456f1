import Dispatch
import ExportReading
import SyncDirectory
import SyncModel

/// The values of an export row that say who the person is.
public struct PersonKeys: Equatable, Sendable {
  public var customID: String
  public var email: String
  public var firstName: String
  public var lastName: String
  /// The row's school_district_external_id.
  public var building: String
  public var userType: String

  public init(
    customID: String, email: String, firstName: String, lastName: String, building: String, userType: String
  ) {
    self.customID = customID
    self.email = email
    self.firstName = firstName
    self.lastName = lastName
    self.building = building
    self.userType = userType
  }

  /// A row's keys, from its values by column.
  init(_ value: (ExportColumn) -> String) {
    self.init(
      customID: value(.customID), email: value(.email), firstName: value(.firstName), lastName: value(.lastName),
      building: value(.schoolExternalID), userType: value(.userType))
  }
}

/// Which of a row's keys found its accounts.
public enum PersonKey: String, Sendable {
  case customID = "custom_id"
  case email
  case name = "name, building and user type"
}

/// Who a row is among the candidate accounts.
public enum PersonMatch: Equatable, Sendable {
  /// Exactly this account (an index into the snapshot), which no other row
  /// matches.
  case account(Int, by: PersonKey)
  /// No candidate: the row names no account, or an account that is not a
  /// candidate.
  case none
  /// The row could be several candidates, or its candidate could be several
  /// rows: nothing is inferred.
  case ambiguous([Int])
}

/// Links export rows to managed accounts: by custom_id, else by email
/// (without regard to case), else by first and last name (without regard to
/// case) with building and user type. The first key that names an account
/// decides: a row whose email belongs to an account that is not a candidate
/// is that person, and is not looked for by name. Only candidates are
/// matched (planning passes the accounts disable-missing would disable), so
/// the name index covers them alone, and only the organizations rows ask
/// about.
public final class PersonMatcher {
  public let directory: DirectorySnapshot
  public let candidates: [Int]
  private let isCandidate: [Bool]
  /// The organization a building ID names (with review decisions).
  private let organizationIndex: (String) -> Int?
  private var candidatesByOrganization: [Int: [Int]]?
  private var byName: [Int: [PersonNameKey: [Int]]] = [:]
  /// A name index over a pool that holds every candidate, built ahead;
  /// nil to index the candidates here.
  private let names: PersonNameIndex?

  public convenience init(
    directory: DirectorySnapshot, candidates: [Int], organizationIndex: @escaping (String) -> Int?
  ) {
    self.init(directory: directory, candidates: candidates, names: nil, organizationIndex: organizationIndex)
  }

  init(
    directory: DirectorySnapshot, candidates: [Int], names: PersonNameIndex?,
    organizationIndex: @escaping (String) -> Int?
  ) {
    self.directory = directory
    self.candidates = candidates
    self.names = names
    self.organizationIndex = organizationIndex
    var isCandidate = [Bool](repeating: false, count: directory.accountCount)
    for account in candidates { isCandidate[account] = true }
    self.isCandidate = isCandidate
  }

  /// Each row's match, unique in both directions: a row that could be one
  /// candidate only, which no other row could be.
  public func match(_ people: [PersonKeys]) -> [PersonMatch] {
    match(count: people.count, emailOwners: nil) { people[$0] }
  }

  /// `match` of `count` rows, each row's keys made by `person` when it is
  /// looked up (on either core). With `emailOwners` (one a row), the rows'
  /// custom_ids name no account and their emails' accounts are known:
  /// planning looked both up already (`IDChanges`' rows are creates and
  /// email conflicts).
  func match(count: Int, emailOwners: [Int?]?, person: (Int) -> PersonKeys) -> [PersonMatch] {
    precondition(emailOwners == nil || emailOwners!.count == count)
    let found = possibleAccounts(count: count, emailOwners: emailOwners, person: person)
    // Rows with one name share one list of candidates: each list is counted
    // once, with its rows, not once a row (ten thousand rows of one name
    // and as many accounts would be a hundred million counts).
    var rowsPerAccount: [Int: Int] = [:]
    var rowsPerList: [CandidateListKey: (accounts: [Int], rows: Int)] = [:]
    for (accounts, _) in found {
      if accounts.count == 1 {
        rowsPerAccount[accounts[0], default: 0] += 1
      } else if !accounts.isEmpty {
        rowsPerList[CandidateListKey(accounts), default: (accounts, 0)].rows += 1
      }
    }
    for (accounts, rows) in rowsPerList.values {
      for account in accounts { rowsPerAccount[account, default: 0] += rows }
    }
    return found.map { accounts, key in
      guard let first = accounts.first else { return .none }
      if accounts.count == 1, rowsPerAccount[first] == 1, let key { return .account(first, by: key) }
      return .ambiguous(accounts)
    }
  }

  /// Each person's `possibleAccounts`. With a name index built ahead
  /// nothing is indexed meanwhile, so many rows (a first sync's creates)
  /// are looked up in two halves on both cores.
  private func possibleAccounts(count: Int, emailOwners: [Int?]?, person: (Int) -> PersonKeys) -> [(
    accounts: [Int], key: PersonKey?
  )] {
    guard names != nil, count >= 4096 else {
      return possibleAccounts(0..<count, emailOwners: emailOwners, person: person)
    }
    let middle = count / 2
    let halves = [0..<middle, middle..<count]
    let found = UnsafeMutableBufferPointer<[(accounts: [Int], key: PersonKey?)]>.allocate(capacity: 2)
    found.initialize(repeating: [])
    defer {
      _ = found.deinitialize()
      found.deallocate()
    }
    let results = UncheckedSendable(found)
    let matcher = UncheckedSendable(self)
    return withoutActuallyEscaping(person) { person in
      let keys = UncheckedSendable(person)
      DispatchQueue.concurrentPerform(iterations: 2) { half in
        results.value[half] = matcher.value.possibleAccounts(
          halves[half], emailOwners: emailOwners, person: keys.value)
      }
      return found[0] + found[1]
    }
  }

  /// `possibleAccounts` of the people at `rows`; rows with one name get one
  /// shared list of candidates (looked up once).
  private func possibleAccounts(_ rows: Range<Int>, emailOwners: [Int?]?, person: (Int) -> PersonKeys) -> [(
    accounts: [Int], key: PersonKey?
  )] {
    var named: [Int: [Int]] = [:]
    return rows.map { row in
      possibleAccounts(person(row), named: &named, knownEmailOwner: emailOwners.map { .some($0[row]) } ?? .none)
    }
  }

  /// The candidates one row could be, in directory order, and the key that
  /// found them (nil when none did).
  public func possibleAccounts(_ person: PersonKeys) -> (accounts: [Int], key: PersonKey?) {
    var named: [Int: [Int]] = [:]
    return possibleAccounts(person, named: &named)
  }

  /// `named`: the candidates of the names found so far, by their first
  /// (an account has one name, so its first account tells a list apart:
  /// rows of one name get the same list, which `match` counts once).
  /// `knownEmailOwner`: when set, the custom_id names no account and this
  /// is the account the email names (looked up already).
  private func possibleAccounts(
    _ person: PersonKeys, named: inout [Int: [Int]], knownEmailOwner: Int?? = .none
  ) -> (accounts: [Int], key: PersonKey?) {
    if knownEmailOwner == nil, let account = directory.account(customID: person.customID) {
      return isCandidate[account] ? ([account], .customID) : ([], nil)
    }
    if let account = knownEmailOwner ?? directory.account(email: person.email) {
      return isCandidate[account] ? ([account], .email) : ([], nil)
    }
    // (Most rows looked for by name are new people: no candidate, and
    // nothing to remember.)
    guard let key = nameKey(person) else { return ([], nil) }
    let found = accounts(named: key)
    guard let first = found.first else { return ([], nil) }
    if let shared = named[first] { return (shared, .name) }
    named[first] = found
    return (found, .name)
  }

  private func nameKey(_ person: PersonKeys) -> PersonNameKey? {
    guard !person.firstName.isEmpty, !person.lastName.isEmpty, !person.userType.isEmpty,
      let organization = organizationIndex(person.building)
    else { return nil }
    return PersonNameKey(
      organization: organization, lastName: person.lastName.lowercased(), firstName: person.firstName.lowercased(),
      userType: person.userType.lowercased())
  }

  /// Candidates by name, building and user type: indexed one organization
  /// at a time, at the first lookup in it, so that a row in one school does
  /// not make strings of every candidate of the district.
  private func accounts(named key: PersonNameKey) -> [Int] {
    if let names { return names.accounts(key) { isCandidate[$0] } }
    if let index = byName[key.organization] { return index[key] ?? [] }
    if candidatesByOrganization == nil {
      var grouped: [Int: [Int]] = [:]
      for account in candidates { grouped[Int(directory.accountOrganizations[account]), default: []].append(account) }
      candidatesByOrganization = grouped
    }
    let accounts = candidatesByOrganization?[key.organization] ?? []
    // Sized once: growing a dictionary of string keys rehashes every key.
    var index = [PersonNameKey: [Int]](minimumCapacity: accounts.count)
    directory.accounts.withUnsafeRows { rows in
      for account in accounts {
        let accountKey = PersonNameKey(
          organization: key.organization, lastName: rows.string(account, .lastName).lowercased(),
          firstName: rows.string(account, .firstName).lowercased(),
          userType: rows.string(account, .userType).lowercased())
        index[accountKey, default: []].append(account)
      }
    }
    byName[key.organization] = index
    return index[key] ?? []
  }
}
