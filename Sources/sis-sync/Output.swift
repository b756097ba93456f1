import Foundation
import SyncEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Writes to standard error (messages that must not mix with report output).
/// File names, paths and values in a message may hold control or bidi
/// characters: they are written visibly (`VisibleText`), never raw.
func printError(_ message: String) {
  let visible = VisibleText.escapedKeepingLines(message)
  WrittenErrors.shared.record(visible)
  writeAll(visible.hasSuffix("\n") ? visible : visible + "\n", to: STDERR_FILENO)
}

/// What this process wrote to stderr, kept for the summary an apply hands
/// its `--on-finish` command (stderr never holds a name or an email).
final class WrittenErrors: @unchecked Sendable {
  static let shared = WrittenErrors()
  /// Enough for any refusal's first lines; a long list is cut.
  private static let limit = 200
  private let lock = NSLock()
  private var kept: [String] = []

  func record(_ text: String) {
    lock.lock()
    defer { lock.unlock() }
    for line in text.split(separator: "\n") where kept.count < Self.limit { kept.append(String(line)) }
  }

  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return kept
  }
}

/// How a report is written out.
enum ReportForm {
  /// For people: control and bidi characters (in a path, a name) are
  /// written visibly here, at the one place text leaves the program.
  case text
  /// JSON and CSV reports: their writers escape every value themselves
  /// (JSON's `\uXXXX`, CSV fields through `VisibleText`), and a CSV
  /// record's CRLF must stay as it is.
  case exact
}

/// Writes a report to standard output, or atomically to a file readable by
/// its owner only (reports hold students' names).
func emit(_ text: String, to path: String?, form: ReportForm = .text) throws {
  let text = form == .text ? VisibleText.escapedKeepingLines(text) : text
  guard let path else {
    writeAll(text, to: STDOUT_FILENO)
    return
  }
  do {
    try writeFileAtomically(Array(text.utf8), to: path, ownerOnly: true)
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.unusableExport
  }
}

/// Like `emit`, for a report written in pieces: `write` hands each piece to
/// the sink it is given, which passes it on to standard output or to the
/// file (written atomically, owner-only).
func emitStreaming(to path: String?, _ write: (([UInt8]) -> Void) -> Void) throws {
  guard let path else {
    write { writeAll($0, to: STDOUT_FILENO) }
    return
  }
  do {
    let file = try AtomicFileWriter(path: path, ownerOnly: true)
    write { file.append($0) }
    try file.commit()
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.unusableExport
  }
}

/// Plain `write(2)` calls: no shared C stream, so nothing Swift 6 objects to,
/// and nothing buffered is lost when the process exits with a code.
private func writeAll(_ text: String, to descriptor: Int32) {
  var text = text
  text.withUTF8 { writeAll($0, to: descriptor) }
}

private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
  bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
}

private func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
  var offset = 0
  while offset < bytes.count {
    let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
    if count < 0 {
      if errno == EINTR { continue }
      return
    }
    offset += count
  }
}
