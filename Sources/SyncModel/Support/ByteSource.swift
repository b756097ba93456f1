#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the CSV reader pulls its bytes from, a chunk at a time.
///
/// The reader never asks for the whole input: a file of any size is read in
/// fixed chunks, so memory depends on the longest record, not the file.
public protocol ByteSource: AnyObject {
  /// Fills up to `buffer.count` bytes; returns 0 at the end of input.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
  /// The total size in bytes when known up front (to size indexes).
  var sizeHint: Int? { get }
}

extension ByteSource {
  public var sizeHint: Int? { nil }
}

/// Bytes already in memory (tests, fuzzing, small inputs).
public final class MemoryByteSource: ByteSource {
  private let bytes: [UInt8]
  private var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }
  public var sizeHint: Int? { bytes.count }
  public convenience init(_ text: String) { self.init(Array(text.utf8)) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = min(buffer.count, bytes.count - offset)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
    }
    offset += count
    return count
  }
}

/// Why a file could not be read at all.
public struct FileAccessError: Error, CustomStringConvertible, Equatable {
  public let path: String
  public let reason: String
  public var description: String { "\(path): \(reason)" }

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
}

/// A file, or a byte range of an opened `RegularFile`, read with `pread(2)`.
///
/// Ranges let two readers work on parts of one export at once.
public final class FileByteSource: ByteSource {
  public let path: String
  private let descriptor: Int32
  /// The opened file this reads from, kept open while it is read (nil: the
  /// source opened, and closes, its own descriptor).
  private let file: RegularFile?
  private var offset: Int
  private let end: Int?

  public init(path: String) throws(FileAccessError) {
    self.path = path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw FileAccessError(path: path, reason: String(cString: strerror(errno)))
    }
    var info = stat()
    if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      close(descriptor)
      throw FileAccessError(path: path, reason: "is a directory, not a file")
    }
    self.descriptor = descriptor
    self.isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
    self.sizeHint = isRegularFile ? Int(info.st_size) : nil
    self.offset = 0
    self.end = nil
    self.file = nil
  }

  /// Bytes `range` of an opened regular file, sharing its descriptor.
  init(file: RegularFile, range: Range<Int>) {
    self.path = file.path
    self.file = file
    self.descriptor = file.descriptor
    self.isRegularFile = true
    self.sizeHint = range.count
    self.offset = range.lowerBound
    self.end = range.upperBound
  }

  public let sizeHint: Int?
  /// Only regular files can be read in ranges (not pipes or devices).
  public let isRegularFile: Bool

  deinit { if file == nil { close(descriptor) } }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let wanted = end.map { min(buffer.count, max(0, $0 - offset)) } ?? buffer.count
    guard wanted > 0 else { return 0 }
    while true {
      let count =
        isRegularFile
        ? pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
        : systemRead(descriptor, buffer.baseAddress, wanted)
      if count >= 0 {
        offset += count
        return count
      }
      if errno == EINTR { continue }
      throw FileAccessError(path: path, reason: String(cString: strerror(errno)))
    }
  }
}

#if canImport(Glibc)
  private let systemRead = Glibc.read
#else
  private let systemRead = Darwin.read
#endif
