import Foundation

/// The files of a cleanup screen's session: where it is saved, what a
/// saved one holds, and what a journal left behind by a cleanup that never
/// saved holds. Read before the screen opens, so a bad file is refused
/// with its reason on the terminal as it was.
public struct CleanupSessionFiles: Sendable {
  /// The session file beside the working folder when none is named.
  public static let defaultPath = "cleanup.session"

  public var path: String
  public var saved: CleanupSession?
  /// Staged changes a journal kept that the saved session does not.
  public var recovered: [CleanupSession.SavedStep]?

  public var journalPath: String { Self.journalPath(forSession: path) }

  public static func journalPath(forSession path: String) -> String { path + ".journal" }

  public init(path: String, saved: CleanupSession? = nil, recovered: [CleanupSession.SavedStep]? = nil) {
    self.path = path
    self.saved = saved
    self.recovered = recovered
  }

  /// Reads the session at `path` when there is one (a new session
  /// otherwise) and the journal beside it.
  public static func open(path: String, directoryID: String) throws(SessionError) -> CleanupSessionFiles {
    let saved =
      FileManager.default.fileExists(atPath: path) ? try CleanupSession.read(path: path, directoryID: directoryID) : nil
    let journal = try CleanupJournal.recover(path: journalPath(forSession: path), directoryID: directoryID)
    let offered = journal.flatMap { $0.isEmpty || $0 == (saved?.steps ?? []) ? nil : $0 }
    return CleanupSessionFiles(path: path, saved: saved, recovered: offered)
  }
}
