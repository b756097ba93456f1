#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a small file whole, refusing one larger than `limit` bytes; `kind`
/// ("a session file") names what the limit is for in the message.
func readWholeFile(path: String, limit: Int, kind: String) throws(FileAccessError) -> [UInt8] {
  let source = try FileByteSource(path: path)
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
      throw FileAccessError(
        path: path, reason: "larger than \(byteCountText(limit)), the limit for \(kind); is this the right file?")
    }
  }
}

/// 1 << 20 → "1 MiB", 64 << 20 → "64 MiB", 4 << 30 → "4 GiB": limits as
/// the man page states them.
func byteCountText(_ bytes: Int) -> String {
  for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
    return "\(bytes / size) \(unit)"
  }
  return bytes == 1 ? "1 byte" : "\(bytes) bytes"
}

/// Writes `bytes` so that readers see either the old file or the whole new
/// one: a temporary file beside it, flushed to disk, then renamed over it.
/// `ownerOnly` creates it readable by its owner alone (files holding
/// personal data).
public func writeFileAtomically(_ bytes: [UInt8], to path: String, ownerOnly: Bool) throws(FileAccessError) {
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
