import Foundation
import SyncModel

/// The review's decisions as they are made, one JSON line each, appended
/// and flushed to disk before the key returns (`AppendOnlyJournal`): a
/// crash, a kill or a closed laptop loses nothing. Beside the session file (`SESSION.journal`),
/// owner-only like it (it names students); saving the session takes its
/// decisions in and removes it. The first line says which export it is
/// for; the second and later lines are decisions (with their anchors) or
/// undos. A last line cut short by a crash is left out when read.
public final class DecisionJournal {
  public static let format = "sis-sync journal 1"

  public struct Header: Sendable, Equatable, Codable {
    public var format: String
    public var exportPath: String
    public var exportSHA256: String
    public var mapping: String
    public var startedAt: String

    public init(exportPath: String, exportSHA256: String, mapping: String) {
      format = DecisionJournal.format
      self.exportPath = exportPath
      self.exportSHA256 = exportSHA256
      self.mapping = mapping
      startedAt = RunClock.now()
    }

    enum CodingKeys: String, CodingKey {
      case format
      case exportPath = "export"
      case exportSHA256 = "export_sha256"
      case mapping
      case startedAt = "started_at"
    }
  }

  /// One line after the header.
  struct Entry: Codable {
    var decision: Decision?
    var anchor: DecisionAnchor?
    var undo: Bool?
  }

  /// What a journal left behind holds.
  public struct Recovered: Sendable, Equatable {
    public var header: Header
    public var decisions: [AnchoredDecision]
  }

  private let file: AppendOnlyJournal<Header, Entry>
  public var path: String { file.path }
  public var header: Header { file.header }

  /// The journal beside a session file.
  public static func path(forSession sessionPath: String) -> String { sessionPath + ".journal" }

  public init(path: String, header: Header) {
    file = AppendOnlyJournal(path: path, header: header)
  }

  public var isStarted: Bool { file.isStarted }

  /// Starts the journal afresh (replacing one left behind) with the
  /// decisions made so far.
  public func start(with decisions: [AnchoredDecision]) throws(FileAccessError) {
    try file.start(with: decisions.map { Entry(decision: $0.decision, anchor: $0.anchor) })
  }

  /// Appends a decision; starts the journal first with `earlier` (the
  /// decisions before it) when it is not started.
  public func append(
    _ decision: AnchoredDecision, earlier: () -> [AnchoredDecision]
  ) throws(FileAccessError) {
    if !isStarted { try start(with: earlier()) }
    try file.append(Entry(decision: decision.decision, anchor: decision.anchor))
  }

  /// Records an undo of the last decision.
  public func appendUndo(earlier: () -> [AnchoredDecision]) throws(FileAccessError) {
    if isStarted { try file.append(Entry(undo: true)) } else { try start(with: earlier()) }
  }

  /// Removes the journal (its decisions are in a saved session, or the
  /// reviewer chose to drop them).
  public func discard() { file.discard() }

  /// Removes the journal if this review wrote it (one left behind by
  /// another, and not restored, stays to be offered again).
  public func discardIfStarted() { file.discardIfStarted() }

  // MARK: - Reading one left behind

  /// The decisions of a journal left behind (undos taken back); nil when
  /// there is none. A bad line other than a last one cut short is an error
  /// naming its line.
  public static func recover(path: String) throws(SessionError) -> Recovered? {
    let read: (header: Header, entries: [Entry])?
    do {
      read = try AppendOnlyJournal<Header, Entry>.read(path: path, limit: ReviewSession.fileSizeLimit) {
        $0.format == format ? nil : "unknown journal format '\($0.format)'"
      }
    } catch { throw SessionError.unreadable(path: path, reason: error.reason) }
    guard let read else { return nil }
    var decisions: [AnchoredDecision] = []
    for entry in read.entries {
      if entry.undo == true {
        if !decisions.isEmpty { decisions.removeLast() }
      } else if let decision = entry.decision {
        decisions.append(AnchoredDecision(decision: decision, anchor: entry.anchor))
      }
    }
    return Recovered(header: read.header, decisions: decisions)
  }
}
