import SyncModel

/// The cleanup screen's staged changes as they are made (and undone), one
/// JSON line each, flushed before the key returns, beside the session file
/// (`SESSION.journal`): a cleanup stopped by a crash, a kill or a signal
/// before it was saved or committed is offered back when the screen opens
/// again on the same directory.
public final class CleanupJournal {
  public static let format = "sis-sync cleanup journal 1"

  public struct Header: Sendable, Equatable, Codable {
    public var format: String
    public var directoryID: String
    public var startedAt: String

    public init(directoryID: String) {
      format = CleanupJournal.format
      self.directoryID = directoryID
      startedAt = RunClock.now()
    }

    enum CodingKeys: String, CodingKey {
      case format
      case directoryID = "directory_id"
      case startedAt = "started_at"
    }
  }

  /// One line after the header: a staged change, or an undo of the last.
  struct Entry: Codable {
    var step: CleanupSession.SavedStep?
    var undo: Bool?
  }

  private let file: AppendOnlyJournal<Header, Entry>
  public var path: String { file.path }

  public init(path: String, directoryID: String) {
    file = AppendOnlyJournal(path: path, header: Header(directoryID: directoryID))
  }

  public var isStarted: Bool { file.isStarted }

  /// Records a staged change; starts the journal first with `earlier` (the
  /// changes staged before it) when it is not started.
  public func append(
    _ step: CleanupSession.SavedStep, earlier: () -> [CleanupSession.SavedStep]
  ) throws(FileAccessError) {
    if !isStarted { try file.start(with: earlier().map { Entry(step: $0) }) }
    try file.append(Entry(step: step))
  }

  /// Records an undo of the last staged change.
  public func appendUndo(earlier: () -> [CleanupSession.SavedStep]) throws(FileAccessError) {
    if isStarted { try file.append(Entry(undo: true)) } else { try file.start(with: earlier().map { Entry(step: $0) }) }
  }

  /// Starts afresh with these staged changes (restored ones).
  public func start(with steps: [CleanupSession.SavedStep]) throws(FileAccessError) {
    try file.start(with: steps.map { Entry(step: $0) })
  }

  public func discard() { file.discard() }
  public func discardIfStarted() { file.discardIfStarted() }

  /// The staged changes a journal left behind holds for this directory
  /// (undos taken back); nil when there is none, or it is for another
  /// directory (it stays, for that one).
  public static func recover(path: String, directoryID: String) throws(SessionError) -> [CleanupSession.SavedStep]? {
    let read: (header: Header, entries: [Entry])?
    do {
      read = try AppendOnlyJournal<Header, Entry>.read(path: path, limit: ReviewSession.fileSizeLimit) {
        $0.format == format ? nil : "unknown cleanup journal format '\($0.format)'"
      }
    } catch { throw SessionError.unreadable(path: path, reason: error.reason) }
    guard let read, read.header.directoryID == directoryID else { return nil }
    var steps: [CleanupSession.SavedStep] = []
    for entry in read.entries {
      if entry.undo == true {
        if !steps.isEmpty { steps.removeLast() }
      } else if let step = entry.step {
        steps.append(step)
      }
    }
    return steps
  }
}
