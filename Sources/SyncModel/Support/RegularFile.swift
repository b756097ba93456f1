#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A regular file opened once, so that every reader of it (the parts
/// of the validator, the SHA-256) reads the same file, and so that a change
/// made while it was read can be noticed (`checkUnchanged`).
///
/// Named pipes, devices, sockets and directories are refused before any
/// read: opening never waits (`O_NONBLOCK`), so a FIFO cannot hang the tool.
public final class RegularFile: @unchecked Sendable {
  public let path: String
  let descriptor: Int32
  public let size: Int
  private let version: FileVersion

  public init(path: String) throws(FileAccessError) {
    self.path = path
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw FileAccessError(path: path, reason: String(cString: strerror(errno)))
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw FileAccessError(path: path, reason: reason)
    }
    if let kind = Self.nonRegularKind(info.st_mode) {
      close(descriptor)
      throw FileAccessError(path: path, reason: "is \(kind), not a regular file; sis-sync reads regular files only")
    }
    // A regular file never blocks; reads go back to the ordinary mode.
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    self.descriptor = descriptor
    self.size = Int(info.st_size)
    self.version = FileVersion(info)
  }

  deinit { close(descriptor) }

  /// Refuses a file written to since it was opened (its size, modification
  /// time or change time moved; the change time catches a same-size rewrite
  /// whose modification time was put back) or whose path now names another
  /// file (replaced by a rename). What was read may then mix two versions.
  public func checkUnchanged() throws(FileAccessError) {
    var opened = stat()
    var atPath = stat()
    guard fstat(descriptor, &opened) == 0, FileVersion(opened) == version,
      stat(path, &atPath) == 0, FileVersion(atPath) == version
    else {
      throw FileAccessError(
        path: path,
        reason: "changed while it was being read (it was rewritten or replaced); what was read may mix two "
          + "versions, so none of it was used. Run again once the SIS has finished writing it.")
    }
  }

  /// A byte source over `range` of this file (the whole file by default).
  public func bytes(_ range: Range<Int>? = nil) -> FileByteSource {
    FileByteSource(file: self, range: range ?? 0..<size)
  }

  private static func nonRegularKind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFDIR: "a directory"
    case S_IFIFO: "a named pipe (FIFO)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "not a file"
    }
  }
}

/// What tells one version of a file from another.
private struct FileVersion: Equatable {
  let device: UInt64
  let inode: UInt64
  let size: Int64
  let modified: [Int]
  let changed: [Int]

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    #if canImport(Darwin)
      modified = [Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec)]
      changed = [Int(info.st_ctimespec.tv_sec), Int(info.st_ctimespec.tv_nsec)]
    #else
      modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
      changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
    #endif
  }
}
