import SyncEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Writes to standard error (messages that must not mix with report output).
func printError(_ message: String) {
  writeAll(message.hasSuffix("\n") ? message : message + "\n", to: STDERR_FILENO)
}

/// Writes a report to standard output, or atomically to a file readable by
/// its owner only (reports hold students' names).
func emit(_ text: String, to path: String?) throws {
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
