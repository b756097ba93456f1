import Foundation
import SyncDirectory
import SyncModel

/// A cleanup in progress, saved so that it can be resumed (or handed to a
/// colleague to commit): the filter on screen and the staged changes, each
/// with the accounts it is for. Accounts are named by their directory id
/// (which never changes) with the custom_id and email they had, so a
/// resumed session says who an account was when it is gone.
public struct CleanupSession: Sendable, Equatable, Codable {
  public static let format = "sis-sync cleanup session 1"

  /// An account a staged change is for.
  public struct AccountAnchor: Sendable, Equatable, Codable {
    public var account: Int64
    public var customID: String
    public var email: String

    public init(account: Int64, customID: String, email: String) {
      self.account = account
      self.customID = customID
      self.email = email
    }

    enum CodingKeys: String, CodingKey {
      case account
      case customID = "custom_id"
      case email
    }
  }

  /// A staged change as saved.
  public struct SavedStep: Sendable, Equatable, Codable {
    public var action: CleanupAction
    public var accounts: [AccountAnchor]

    public init(action: CleanupAction, accounts: [AccountAnchor]) {
      self.action = action
      self.accounts = accounts
    }

    /// The step with its accounts named as `directory` has them.
    public init(_ step: CleanupStep, in directory: DirectorySnapshot) {
      action = step.action
      accounts = step.accounts.map { account in
        let values = directory.values(ofAccount: account)
        return AccountAnchor(
          account: directory.accountIDs[account], customID: values[.customID], email: values[.email])
      }
    }
  }

  /// What resuming made of a session on the directory as it is now.
  public struct Resumed: Sendable, Equatable {
    public var steps: [CleanupStep]
    /// What no longer fits, each with why (listed on the screen).
    public var notApplied: [String]
  }

  public var format: String
  public var directoryID: String
  public var savedAt: String
  public var filter: String
  public var steps: [SavedStep]

  public init(directoryID: String, filter: String, steps: [SavedStep]) {
    format = Self.format
    self.directoryID = directoryID
    savedAt = RunClock.now()
    self.filter = filter
    self.steps = steps
  }

  enum CodingKeys: String, CodingKey {
    case format
    case directoryID = "directory_id"
    case savedAt = "saved_at"
    case filter
    case steps
  }

  /// The staged changes on the directory as it is now: an account no
  /// longer there is left out of its step, a step whose action cannot be
  /// planned any more (its building is gone) is left out whole; each is
  /// listed with why, never dropped silently.
  public static func resume(_ steps: [SavedStep], in directory: DirectorySnapshot) -> Resumed {
    var resumed = Resumed(steps: [], notApplied: [])
    for saved in steps {
      do { try CleanupPlan.check(saved.action, directory) } catch {
        resumed.notApplied.append(
          "\(saved.action.text) (\(saved.accounts.count) accounts): \(error.message); not staged")
        continue
      }
      var accounts: [Int] = []
      for anchor in saved.accounts {
        if let account = directory.accountIndex(id: anchor.account) {
          accounts.append(account)
        } else {
          let who = anchor.customID.isEmpty ? anchor.email : "\(anchor.customID) (\(anchor.email))"
          resumed.notApplied.append(
            "\(saved.action.text): account \(anchor.account), \(who), is no longer in the directory; left out")
        }
      }
      if !accounts.isEmpty { resumed.steps.append(CleanupStep(accounts: accounts, action: saved.action)) }
    }
    return resumed
  }

  /// Writes the session atomically, readable by its owner only (it names
  /// students).
  public func save(to path: String) throws(FileAccessError) {
    try ReviewSession.writeSessionFile(self, to: path, whatIsTooLarge: "the staged changes take")
  }

  /// Reads a session; refuses one saved for another directory.
  public static func read(path: String, directoryID: String) throws(SessionError) -> CleanupSession {
    let bytes: [UInt8]
    do { bytes = try readWholeFile(path: path, limit: ReviewSession.fileSizeLimit, kind: "a session file") } catch {
      throw SessionError.unreadable(path: path, reason: error.reason)
    }
    let session: CleanupSession
    do { session = try JSONDecoder().decode(CleanupSession.self, from: Data(bytes)) } catch {
      throw SessionError.unreadable(path: path, reason: "not a sis-sync cleanup session file (\(error))")
    }
    guard session.format == format else {
      throw SessionError.unreadable(path: path, reason: "unknown cleanup session format '\(session.format)'")
    }
    guard session.directoryID == directoryID else {
      throw SessionError.unreadable(
        path: path,
        reason: "this cleanup session was saved on \(session.savedAt) for another directory "
          + "(\(session.directoryID)); nothing of it was staged")
    }
    return session
  }
}

extension CleanupAction: Codable {
  enum CodingKeys: String, CodingKey {
    case kind
    case value
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    let value = { () throws -> String in try container.decode(String.self, forKey: .value) }
    switch kind {
    case "disable": self = .disable
    case "reactivate": self = .reactivate
    case "move_to": self = .moveTo(try value())
    case "set_grade": self = .setGrade(try value())
    case "set_position": self = .setPosition(try value())
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "unknown cleanup action '\(kind)'")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .disable: try container.encode("disable", forKey: .kind)
    case .reactivate: try container.encode("reactivate", forKey: .kind)
    case .moveTo(let building):
      try container.encode("move_to", forKey: .kind)
      try container.encode(building, forKey: .value)
    case .setGrade(let grade):
      try container.encode("set_grade", forKey: .kind)
      try container.encode(grade, forKey: .value)
    case .setPosition(let position):
      try container.encode("set_position", forKey: .kind)
      try container.encode(position, forKey: .value)
    }
  }
}
