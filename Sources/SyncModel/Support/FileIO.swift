#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a small file whole, refusing one larger than `limit` bytes, and
/// anything but a regular file (a FIFO is never waited on); `kind` ("a
/// session file") names what the limit is for in the message.
package func readWholeFile(path: String, limit: Int, kind: String) throws(FileAccessError) -> [UInt8] {
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
      throw FileAccessError(
        path: path, reason: "larger than \(byteCountText(limit)), the limit for \(kind); is this the right file?")
    }
  }
}

/// 1 << 20 → "1 MiB", 64 << 20 → "64 MiB", 4 << 30 → "4 GiB": limits as
/// the man page states them.
package func byteCountText(_ bytes: Int) -> String {
  for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
    return "\(bytes / size) \(unit)"
  }
  return bytes == 1 ? "1 byte" : "\(bytes) bytes"
}

/// Writes `bytes` so that readers see either the old file or the whole new
/// one: a temporary file beside it, flushed to disk, then renamed over it.
/// `ownerOnly` creates it readable by its owner alone (files holding
/// personal data). (What `AtomicFileWriter` says of targets holds here.)
public func writeFileAtomically(_ bytes: [UInt8], to path: String, ownerOnly: Bool) throws(FileAccessError) {
  let file = try AtomicFileWriter(path: path, ownerOnly: ownerOnly)
  file.append(bytes)
  try file.commit()
}

/// A file written in pieces that appears whole or not at all: the pieces go
/// to a temporary file beside it, which `commit` flushes to disk and renames
/// over `path`. Dropped without `commit` (or after a failed write), the
/// temporary file is removed. Large reports are streamed through it, so they
/// are never held whole in memory.
///
/// A target that is not a regular file (`/dev/stdout`, `/dev/null`, a FIFO,
/// a terminal) is written through, never replaced: as root, renaming over
/// `/dev/null` would replace the system's. A symbolic link to a regular file
/// is followed (the link stays; the file it names is replaced).
public final class AtomicFileWriter {
  public let path: String
  /// Where the pieces go first; nil when writing through.
  private let temporary: String?
  /// The file renamed over at commit (the link's target for a link).
  private let target: String
  private var descriptor: Int32
  /// The first write error (errno), reported by `commit`.
  private var failure: Int32 = 0
  private var committed = false

  public init(path: String, ownerOnly: Bool) throws(FileAccessError) {
    self.path = path
    var target = path
    var writesThrough = false
    var info = stat()
    if stat(path, &info) == 0 {
      let kind = info.st_mode & S_IFMT
      if kind == S_IFDIR { throw FileAccessError(path: path, reason: "cannot write: it is a folder") }
      writesThrough = kind != S_IFREG || path.hasPrefix("/dev/") || path.hasPrefix("/proc/")
      if !writesThrough, let resolved = realpath(path, nil) {
        target = String(cString: resolved)
        free(resolved)
      }
    }
    self.target = target
    if writesThrough {
      temporary = nil
      if let inherited = Self.inheritedDescriptor(named: path) {
        // The caller's own descriptor, not the file opened again: a new
        // opening would write from the file's start, over what
        // `-o /dev/stdout >> log` was to append to.
        descriptor = fcntl(inherited, F_DUPFD_CLOEXEC, 0)
      } else {
        descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
      }
    } else {
      let temporary = target + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
      self.temporary = temporary
      descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, ownerOnly ? 0o600 : 0o644)
    }
    guard descriptor >= 0 else {
      throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(errno)))
    }
  }

  /// The descriptor number `path` names this process's own descriptor by
  /// (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`), if it
  /// does.
  static func inheritedDescriptor(named path: String) -> Int32? {
    switch path {
    case "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        return Int32(path.dropFirst(prefix.count))
      }
      return nil
    }
  }

  deinit {
    if !committed {
      if descriptor >= 0 { close(descriptor) }
      if let temporary { unlink(temporary) }
    }
  }

  /// Appends `bytes`; an error is kept for `commit` to report.
  public func append(_ bytes: [UInt8]) {
    guard failure == 0 else { return }
    bytes.withUnsafeBytes { raw in
      var written = 0
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
  }

  /// Flushes the file to disk and puts it in place of `path` (written
  /// through: closes it).
  public func commit() throws(FileAccessError) {
    guard let temporary else {
      close(descriptor)
      descriptor = -1
      committed = true
      if failure != 0 {
        throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(failure)))
      }
      return
    }
    if failure == 0, fsync(descriptor) != 0 { failure = errno }
    close(descriptor)
    descriptor = -1
    if failure == 0, rename(temporary, target) != 0 { failure = errno }
    if failure != 0 {
      throw FileAccessError(path: path, reason: "cannot write: " + String(cString: strerror(failure)))
    }
    committed = true
    // The rename itself reaches the disk once the folder is flushed too.
    let folder = target.lastIndex(of: "/").map { String(target[..<$0]) } ?? "."
    let folderDescriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderDescriptor >= 0 {
      fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }
}
