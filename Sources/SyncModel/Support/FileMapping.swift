import CFileSystem

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file's bytes mapped read-only into memory, unmapped when the last
/// holder lets go. The mapping shares the page cache's pages, where reading
/// the file copies them into new memory: on this machine kind a fresh page
/// costs several microseconds, so reading the 170 MB snapshot cache of a
/// million accounts into arrays cost six times what mapping and checking it
/// costs (Benchmarks/README.md, round nine).
///
/// A mapped file must not shrink while it is mapped: reading a page past its
/// new end is a SIGBUS. So only files that no one else may write are mapped
/// (`isSafeToMap`), and never files on a network file system, where another
/// host may remove them.
package final class FileMapping: @unchecked Sendable {
  package let bytes: UnsafeRawBufferPointer

  /// Maps the first `size` bytes of an open file; nil when it cannot.
  package init?(descriptor: Int32, size: Int) {
    guard size > 0 else { return nil }
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else { return nil }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }

  /// Whether the open file is one only its owner can change: a regular
  /// file of this process's user, writable by no group or other user, on a
  /// local file system. (Whoever else can truncate it could make a reader
  /// of the mapping crash; the folder's other writers can only replace it,
  /// which leaves the mapped file as it was.)
  package static func isSafeToMap(descriptor: Int32) -> Bool {
    #if os(Linux)
      var info = stat()
      guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
        info.st_mode & (S_IWGRP | S_IWOTH) == 0
      else { return false }
      return localFileSystems.contains(UInt64(sis_file_system_type(descriptor)))
    #else
      return false
    #endif
  }

  /// `statfs` types of local file systems (linux/magic.h): ext2/3/4, XFS,
  /// Btrfs, tmpfs, overlayfs, ZFS, F2FS, bcachefs.
  private static let localFileSystems: Set<UInt64> = [
    0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0x794C_7630, 0x2FC1_2FC1, 0xF2F5_2010, 0xCA45_1A4E,
  ]
}

/// Values that never change once made, read by pointer: either memory of
/// their own or a section of a `FileMapping` (the snapshot cache's), which
/// they keep alive. The pointer is lent only inside `withUnsafeBufferPointer`:
/// the values (and so their memory) are alive until `body` returns.
@usableFromInline
package struct ReadOnlyValues<Value: BitwiseCopyable>: @unchecked Sendable {
  @usableFromInline let owner: AnyObject
  @usableFromInline let buffer: UnsafeBufferPointer<Value>

  @inlinable package var count: Int { buffer.count }

  @inlinable @inline(__always)
  package func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Value>) throws -> Result) rethrows
    -> Result
  {
    try body(buffer)
  }

  /// A copy of the values.
  package var array: [Value] { withUnsafeBufferPointer { Array($0) } }

  /// `count` values written by `initialize`, which must set every one; nil
  /// when it returns false (the values are then discarded).
  package init?(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Value>) -> Bool) {
    let memory = OwnedValues<Value>(count: count)
    guard initialize(memory.buffer) else { return nil }
    owner = memory
    buffer = UnsafeBufferPointer(memory.buffer)
  }

  /// `count` values set to `value`.
  package init(repeating value: Value, count: Int) {
    let memory = OwnedValues<Value>(count: count)
    memory.buffer.initialize(repeating: value)
    owner = memory
    buffer = UnsafeBufferPointer(memory.buffer)
  }

  /// `count` values at `byteOffset` of the mapping, read in place; nil when
  /// they do not fit in it or are not aligned for `Value`.
  package init?(mapping: FileMapping, byteOffset: Int, count: Int) {
    let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Value>.stride)
    guard count >= 0, !overflow, byteOffset >= 0, byteOffset <= mapping.bytes.count,
      byteCount <= mapping.bytes.count - byteOffset, let base = mapping.bytes.baseAddress,
      Int(bitPattern: base + byteOffset) % MemoryLayout<Value>.alignment == 0
    else { return nil }
    owner = mapping
    buffer = UnsafeBufferPointer(start: (base + byteOffset).bindMemory(to: Value.self, capacity: count), count: count)
  }
}

/// Memory of `ReadOnlyValues`' own, freed with the last holder.
private final class OwnedValues<Value: BitwiseCopyable> {
  let buffer: UnsafeMutableBufferPointer<Value>
  init(count: Int) { buffer = .allocate(capacity: count) }
  deinit { buffer.deallocate() }
}
