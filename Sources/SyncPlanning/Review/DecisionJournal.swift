import Foundation
import SyncModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The review's decisions as they are made, one JSON line each, appended
/// and flushed to disk before the key returns: a crash, a kill or a closed
/// laptop loses nothing. Beside the session file (`SESSION.journal`),
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

  public let path: String
  public let header: Header
  private var descriptor: Int32 = -1

  /// The journal beside a session file.
  public static func path(forSession sessionPath: String) -> String { sessionPath + ".journal" }

  public init(path: String, header: Header) {
    self.path = path
    self.header = header
  }

  deinit { if descriptor >= 0 { close(descriptor) } }

  public var isStarted: Bool { descriptor >= 0 }

  /// Starts the journal afresh (replacing one left behind) with the
  /// decisions made so far.
  public func start(with decisions: [AnchoredDecision]) throws(FileAccessError) {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    var bytes = try Self.line(header, path: path)
    for decision in decisions {
      bytes += try Self.line(Entry(decision: decision.decision, anchor: decision.anchor), path: path)
    }
    try writeFileAtomically(bytes, to: path, ownerOnly: true)
    descriptor = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { throw Self.failure(path) }
  }

  /// Appends a decision; starts the journal first with `earlier` (the
  /// decisions before it) when it is not started.
  public func append(
    _ decision: AnchoredDecision, earlier: () -> [AnchoredDecision]
  ) throws(FileAccessError) {
    if !isStarted { try start(with: earlier()) }
    try writeEntry(Entry(decision: decision.decision, anchor: decision.anchor))
  }

  /// Records an undo of the last decision.
  public func appendUndo(earlier: () -> [AnchoredDecision]) throws(FileAccessError) {
    if !isStarted {
      try start(with: earlier())
      return
    }
    try writeEntry(Entry(undo: true))
  }

  /// Removes the journal (its decisions are in a saved session, or the
  /// reviewer chose to drop them).
  public func discard() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    unlink(path)
  }

  /// Removes the journal if this review wrote it (one left behind by
  /// another, and not restored, stays to be offered again).
  public func discardIfStarted() {
    if isStarted { discard() }
  }

  private func writeEntry(_ entry: Entry) throws(FileAccessError) {
    let bytes = try Self.line(entry, path: path)
    let failed = bytes.withUnsafeBytes { raw -> Bool in
      var written = 0
      while written < raw.count {
        let count = write(descriptor, raw.baseAddress! + written, raw.count - written)
        if count < 0 {
          if errno == EINTR { continue }
          return true
        }
        written += count
      }
      return fsync(descriptor) != 0
    }
    if failed { throw Self.failure(path) }
  }

  private static func line<T: Encodable>(_ value: T, path: String) throws(FileAccessError) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do { return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")] } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
  }

  private static func failure(_ path: String) -> FileAccessError {
    FileAccessError(path: path, reason: "cannot write the journal: " + String(cString: strerror(errno)))
  }

  // MARK: - Reading one left behind

  /// The decisions of a journal left behind (undos taken back); nil when
  /// there is none. A bad line other than a last one cut short is an error
  /// naming its line.
  public static func recover(path: String) throws(SessionError) -> Recovered? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let bytes: [UInt8]
    do { bytes = try readWholeFile(path: path, limit: ReviewSession.fileSizeLimit, kind: "a journal") } catch {
      throw SessionError.unreadable(path: path, reason: error.reason)
    }
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    // With a final newline the last piece is empty; without one it was
    // cut short by a crash: either way it is not read.
    let complete = lines.count - 1
    guard complete >= 1 else { return nil }
    let decoder = JSONDecoder()
    let header: Header
    do { header = try decoder.decode(Header.self, from: Data(lines[0])) } catch {
      throw SessionError.unreadable(path: path, reason: "line 1: not a sis-sync journal")
    }
    guard header.format == format else {
      throw SessionError.unreadable(path: path, reason: "line 1: unknown journal format '\(header.format)'")
    }
    var decisions: [AnchoredDecision] = []
    for number in 1..<complete {
      let entry: Entry
      do { entry = try decoder.decode(Entry.self, from: Data(lines[number])) } catch {
        throw SessionError.unreadable(path: path, reason: "line \(number + 1): not a journal entry")
      }
      if entry.undo == true {
        if !decisions.isEmpty { decisions.removeLast() }
      } else if let decision = entry.decision {
        decisions.append(AnchoredDecision(decision: decision, anchor: entry.anchor))
      }
    }
    return Recovered(header: header, decisions: decisions)
  }
}
