import Foundation
import SyncModel

/// A test hook, never set in use: with SIS_SYNC_TEST_PAUSE_READING=MARKER
/// the export's reader, after its first chunk, creates the file MARKER and
/// waits until it is deleted (at most 60 s), so a test can rewrite the
/// export at a known point of the read.
final class PausingByteSource: ByteSource {
  private let source: ByteSource
  private let marker: String
  private var paused = false

  private init(_ source: ByteSource, marker: String) {
    self.source = source
    self.marker = marker
  }

  /// `source` itself unless the hook is set.
  static func wrap(_ source: ByteSource) -> ByteSource {
    guard let marker = ProcessInfo.processInfo.environment["SIS_SYNC_TEST_PAUSE_READING"], !marker.isEmpty else {
      return source
    }
    return PausingByteSource(source, marker: marker)
  }

  var sizeHint: Int? { source.sizeHint }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = try source.read(into: buffer)
    if !paused {
      paused = true
      _ = FileManager.default.createFile(atPath: marker, contents: nil)
      let deadline = Date().addingTimeInterval(60)
      while FileManager.default.fileExists(atPath: marker), Date() < deadline { usleep(10_000) }
    }
    return count
  }
}
