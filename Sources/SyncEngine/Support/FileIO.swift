#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a small file whole, refusing one larger than `limit` bytes, and
/// anything but a regular file (a FIFO is never waited on).
func readWholeFile(path: String, limit: Int) throws(FileAccessError) -> [UInt8] {
  let source = try RegularFile(path: path).bytes()
  var result: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 64 * 1024)
  while true {
    let count: Int
    do {
      count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
    } catch let error as FileAccessError {
      throw error
    } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
    if count == 0 { return result }
    result.append(contentsOf: buffer[0..<count])
    if result.count > limit {
      throw FileAccessError(path: path, reason: "larger than \(limit / 1024) KiB; is this the right file?")
    }
  }
}

/// Writes `bytes` so that readers see either the old file or the whole new
/// one: a temporary file beside it, flushed to disk, then renamed over it.
/// `ownerOnly` creates it readable by its owner alone (files holding
/// personal data).
///
/// A target that is not a regular file (`/dev/stdout`, `/dev/null`, a
/// FIFO, a terminal) is written through, never replaced: as root, renaming
/// over `/dev/null` would replace the system's. A symbolic link to a
/// regular file is followed (the link stays; its file is replaced).
public func writeFileAtomically(_ bytes: [UInt8], to path: String, ownerOnly: Bool) throws(FileAccessError) {
  var info = stat()
  if stat(path, &info) == 0 {
    let kind = info.st_mode & S_IFMT
    if kind == S_IFDIR { throw FileAccessError(path: path, reason: "cannot write: it is a folder") }
    if kind != S_IFREG || path.hasPrefix("/dev/") || path.hasPrefix("/proc/") {
      return try writeThrough(bytes, to: path)
    }
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      let target = String(cString: resolved)
      if target != path { return try replaceAtomically(bytes, at: target, ownerOnly: ownerOnly) }
    }
  }
  try replaceAtomically(bytes, at: path, ownerOnly: ownerOnly)
}

/// Writes into an existing node that is not a regular file.
private func writeThrough(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
  let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
  guard descriptor >= 0 else {
    throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(errno)))
  }
  defer { close(descriptor) }
  var written = 0
  while written < bytes.count {
    let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
    if count < 0 {
      if errno == EINTR { continue }
      throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(errno)))
    }
    written += count
  }
}

private func replaceAtomically(_ bytes: [UInt8], at path: String, ownerOnly: Bool) throws(FileAccessError) {
  let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
  let mode: mode_t = ownerOnly ? 0o600 : 0o644
  let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
  guard descriptor >= 0 else {
    throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(errno)))
  }
  var written = 0
  var failure: Int32 = 0
  bytes.withUnsafeBytes { raw in
    while written < raw.count {
      let count = write(descriptor, raw.baseAddress! + written, raw.count - written)
      if count < 0 {
        if errno == EINTR { continue }
        failure = errno
        return
      }
      written += count
    }
  }
  if failure == 0, fsync(descriptor) != 0 { failure = errno }
  close(descriptor)
  if failure == 0, rename(temporary, path) != 0 { failure = errno }
  if failure != 0 {
    unlink(temporary)
    throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(failure)))
  }
  // The rename itself reaches the disk once the folder is flushed too.
  let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
  let folderDescriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  if folderDescriptor >= 0 {
    fsync(folderDescriptor)
    close(folderDescriptor)
  }
}
