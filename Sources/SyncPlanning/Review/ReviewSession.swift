import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// A review in progress, saved so that it can be resumed (support picks up
/// where the customer left off): the decisions, and the export they were
/// made for, by content.
public struct ReviewSession: Sendable, Equatable, Codable {
  public static let format = "sis-sync session 1"

  /// The largest session file read (and written): 64 MiB. A decision takes
  /// 60–120 bytes in the file, so 100,000 decisions (a support session on a
  /// million-row district) take about 10 MB; an exclusion by filter of every
  /// row of the largest export read (2,500,000 lines) about 46 MB. Both fit;
  /// a file far larger is not a session (man sis-sync, LIMITS).
  public static let fileSizeLimit = 64 << 20

  public var format: String
  public var exportPath: String
  public var exportSHA256: String
  public var mapping: String
  public var savedAt: String
  public var decisions: [Decision]
  /// Who each decision is about, as the export had them (in step with
  /// `decisions`): what lets a new export of the same people resume the
  /// session. Absent in sessions of earlier versions, which only resume
  /// on the very export they were made for.
  public var anchors: [DecisionAnchor]?

  public init(
    exportPath: String, exportSHA256: String, mapping: String, decisions: [Decision], anchors: [DecisionAnchor]? = nil
  ) {
    self.format = Self.format
    self.exportPath = exportPath
    self.exportSHA256 = exportSHA256
    self.mapping = mapping
    self.savedAt = RunClock.now()
    self.decisions = decisions
    self.anchors = anchors
  }

  /// The session of a live plan's decisions, each with its anchor.
  public init(exportPath: String, mapping: String, plan: LivePlan) {
    let anchored = plan.anchoredDecisions
    self.init(
      exportPath: exportPath, exportSHA256: plan.exportSHA256, mapping: mapping, decisions: anchored.map(\.decision),
      anchors: anchored.map { $0.anchor ?? DecisionAnchor(rows: []) })
  }

  /// The decisions with their anchors (none when saved without).
  public var anchoredDecisions: [AnchoredDecision] {
    decisions.enumerated().map { index, decision in
      AnchoredDecision(decision: decision, anchor: anchors.flatMap { index < $0.count ? $0[index] : nil })
    }
  }

  enum CodingKeys: String, CodingKey {
    case format
    case exportPath = "export"
    case exportSHA256 = "export_sha256"
    case mapping
    case savedAt = "saved_at"
    case decisions
    case anchors
  }

  /// Writes the session atomically, readable by its owner only (decisions
  /// name students).
  public func save(to path: String) throws(FileAccessError) {
    try Self.writeSessionFile(self, to: path, whatIsTooLarge: "\(decisions.count) decisions take")
  }

  /// Writes a session file (a review's or a cleanup's) atomically and
  /// owner-only; one that could not be read back (over the limit) is not
  /// written, and `whatIsTooLarge` says why.
  static func writeSessionFile<T: Encodable>(
    _ value: T, to path: String, whatIsTooLarge: String
  ) throws(FileAccessError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data: Data
    do { data = try encoder.encode(value) } catch { throw FileAccessError(path: path, reason: "\(error)") }
    guard data.count <= fileSizeLimit else {
      throw FileAccessError(
        path: path,
        reason: "not saved: \(whatIsTooLarge) more than \(byteCountText(fileSizeLimit)), the limit for a session file")
    }
    try writeFileAtomically(Array(data), to: path, ownerOnly: true)
  }

  /// A session from the bytes of a session file (`path` names it in
  /// errors), whatever export it was made for.
  public static func decode(_ bytes: [UInt8], path: String) throws(SessionError) -> ReviewSession {
    let session: ReviewSession
    do { session = try JSONDecoder().decode(ReviewSession.self, from: Data(bytes)) } catch {
      throw SessionError.unreadable(path: path, reason: "not a sis-sync session file (\(error))")
    }
    guard session.format == format else {
      throw SessionError.unreadable(path: path, reason: "unknown session format '\(session.format)'")
    }
    return session
  }

  /// Reads a session, whatever export it was made for.
  public static func read(path: String) throws(SessionError) -> ReviewSession {
    let bytes: [UInt8]
    do { bytes = try readWholeFile(path: path, limit: fileSizeLimit, kind: "a session file") } catch {
      throw SessionError.unreadable(path: path, reason: error.reason)
    }
    return try decode(bytes, path: path)
  }

  /// Reads a session; refuses one made for different export content
  /// (`plan --session`: only the review screen re-anchors decisions).
  public static func load(path: String, exportSHA256: String) throws(SessionError) -> ReviewSession {
    let session = try read(path: path)
    guard session.exportSHA256 == exportSHA256 else {
      throw SessionError.differentExport(path: path, sessionExport: session.exportPath, savedAt: session.savedAt)
    }
    return session
  }
}

public enum SessionError: Error, Equatable, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case differentExport(path: String, sessionExport: String, savedAt: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): "\(path): \(reason)"
    case .differentExport(let path, let export, let savedAt):
      "\(path): this session was saved on \(savedAt) for a different export (\(export), other content); "
        + "its decisions were not applied. Start a new review, or open the export it was made for."
    }
  }
}
