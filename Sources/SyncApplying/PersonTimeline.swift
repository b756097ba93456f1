import ExportReading
import SyncDirectory
import SyncModel

/// Every run that touched one account, oldest first, each with its changes
/// of that account: what `sis-sync person` and the review's timeline show.
public struct PersonTimeline: Sendable {
  public struct Entry: Sendable {
    public let run: RunRecord
    public let changes: [RecordedChange]
  }
  public let accountID: Int64
  public let account: StoredAccount
  public let entries: [Entry]
}

/// A person asked for by custom_id, email or account ID.
public enum PersonLookupError: Error, Sendable, CustomStringConvertible {
  public struct Candidate: Sendable {
    public let accountID: Int64
    public let account: StoredAccount
    /// How the key matched it: "custom_id", "email" or "account ID".
    public let matchedBy: String
  }
  case notFound(String)
  case ambiguous(String, [Candidate])

  public var description: String {
    switch self {
    // The key is left out: it may be an email (personal data).
    case .notFound:
      return "no account has that custom_id, email or account ID"
    case .ambiguous(_, let candidates):
      let listed = candidates.map { "#\($0.accountID) (by \($0.matchedBy))" }.joined(separator: ", ")
      return "that key names more than one account: \(listed); ask for one as #ID"
    }
  }
}

extension DirectoryStore {
  /// The timeline of the account `key` names: its custom_id, its email
  /// (without regard to case), or its account ID (`#12` or `12`). A key
  /// that names different accounts in different ways is ambiguous; `#12`
  /// names only account 12.
  public func timeline(of key: String) throws -> PersonTimeline {
    try read { directory in
      let accountID = try PersonLookup.accountID(key, in: directory)
      guard let account = try directory.account(id: accountID) else { throw PersonLookupError.notFound(key) }
      var entries: [PersonTimeline.Entry] = []
      for run in try directory.runs().reversed() {
        let changes = try directory.changes(ofRun: run.id).filter { $0.accountID == accountID }
        if !changes.isEmpty { entries.append(PersonTimeline.Entry(run: run, changes: changes)) }
      }
      return PersonTimeline(accountID: accountID, account: account, entries: entries)
    }
  }
}

enum PersonLookup {
  static func accountID(_ key: String, in directory: any DirectoryReading) throws -> Int64 {
    if key.hasPrefix("#"), let id = Int64(key.dropFirst()) {
      guard try directory.account(id: id) != nil else { throw PersonLookupError.notFound(key) }
      return id
    }
    var matches: [(Int64, String)] = []
    // `otherThan: 0`: no account has ID 0, so every holder is found.
    if !key.isEmpty, let id = try directory.accountID(customID: key, otherThan: 0) { matches.append((id, "custom_id")) }
    if !key.isEmpty, let id = try directory.accountID(email: key, otherThan: 0) { matches.append((id, "email")) }
    if let id = Int64(key), try directory.account(id: id) != nil { matches.append((id, "account ID")) }
    var seen = Set<Int64>()
    let distinct = matches.filter { seen.insert($0.0).inserted }
    guard let first = distinct.first else { throw PersonLookupError.notFound(key) }
    guard distinct.count == 1 else {
      throw PersonLookupError.ambiguous(
        key,
        try distinct.map {
          PersonLookupError.Candidate(accountID: $0.0, account: try directory.account(id: $0.0)!, matchedBy: $0.1)
        })
    }
    return first.0
  }
}
