import Foundation
import SyncModel

/// How far loading an export for review has come, read by the screen while
/// the engine works on other threads: the phase, and the bytes of the
/// export read so far.
public final class LoadProgress: @unchecked Sendable {
  public enum Phase: String, Sendable {
    case reading = "reading and checking the export"
    case planning = "planning the changes"
    case resuming = "replaying the session's decisions"
  }

  private let lock = NSLock()
  private var currentPhase = Phase.reading
  private var bytesRead = 0
  public let totalBytes: Int

  public init(totalBytes: Int) { self.totalBytes = max(totalBytes, 0) }

  public var phase: Phase { lock.withLock { currentPhase } }

  /// The share of the export read, 0–1 (1 once reading is over).
  public var fractionRead: Double {
    lock.withLock {
      guard currentPhase == .reading else { return 1 }
      return totalBytes == 0 ? 0 : min(1, Double(bytesRead) / Double(totalBytes))
    }
  }

  package func enter(_ phase: Phase) { lock.withLock { currentPhase = phase } }
  func add(bytes: Int) { lock.withLock { bytesRead += bytes } }
}

/// A byte source that counts what passes through it into a `LoadProgress`
/// (once per chunk of 64 KiB or more, not per byte).
final class CountingByteSource: ByteSource {
  private let source: ByteSource
  private let progress: LoadProgress

  init(_ source: ByteSource, progress: LoadProgress) {
    self.source = source
    self.progress = progress
  }

  var sizeHint: Int? { source.sizeHint }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = try source.read(into: buffer)
    progress.add(bytes: count)
    return count
  }
}
