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
}

/// A file read with plain `read(2)` calls.
public final class FileByteSource: ByteSource {
  public let path: String
  private let descriptor: Int32

  public init(path: String) throws {
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
    self.sizeHint = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
  }

  public let sizeHint: Int?

  deinit { close(descriptor) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
      if count >= 0 { return count }
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
