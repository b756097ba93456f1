import ExportReading
import Foundation
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// A copy of the directory snapshot beside the database
/// (`<directory>.snapshot`, owner-only), so that planning again against an
/// unchanged directory reads a few large arrays instead of a million rows.
///
/// It is used only when it was made from the database's current state (its
/// directory ID, generation and random state token all match: a restored
/// backup written to again has another token). The file is untrusted input:
/// anyone who can write the folder can change it, and disks flip bits. So
/// every section is covered by a checksum and every offset and index is
/// checked before use; a cache that fails any check is ignored (and
/// replaced by the next read), never believed and never a crash. (A fast
/// checksum, not SHA-256: a warm plan waits for the cache, and a hash gains
/// nothing against someone who can rewrite the file and so recompute it.
/// Apply checks every change against the directory whatever planning read.)
///
/// The large sections (the accounts' values and the two key tables) are
/// read in place from a mapping of the file when only its owner can change
/// it (`FileMapping.isSafeToMap`), else copied; each section starts at a
/// multiple of 64 bytes so that either way its values are aligned.
enum SnapshotCache {
  static let magic = Array("sis-sync snapshot 4\n".utf8)
  /// Sections start at multiples of this, after zero bytes.
  static let sectionAlignment = 64

  static func path(forDirectory directory: String) -> String { directory + ".snapshot" }

  /// The cached snapshot, if it matches; nil otherwise (never an error: the
  /// database is the truth, the cache only saves time).
  static func load(directory: String, state: DirectoryState) -> DirectorySnapshot? {
    guard let file = CacheReader(path: path(forDirectory: directory)) else { return nil }
    return decode(file, state: state)
  }

  /// The snapshot in a cache file, when it is a whole, undamaged cache of
  /// `state` (any state when nil). `verifiesChecksum: false` is for the fuzz
  /// harness only: the bounds checks must hold without the checksum's help.
  /// Each section has its own checksum: the sections are read and checked
  /// on both cores, each taking the next when done, the largest first (the
  /// arena alone on one core and the rest on the other left the first idle
  /// for a third of the read).
  static func decode(_ file: CacheReader, state: DirectoryState?, verifiesChecksum: Bool = true) -> DirectorySnapshot? {
    guard let header = file.bytes(magic.count), header == magic,
      let headerLength = file.integer(Int.self), headerLength > 0, headerLength < 64 << 20,
      let headerBytes = file.bytes(headerLength),
      let info = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)),
      state == nil || info.state == state!,
      info.accounts >= 0, info.accounts < Int(UInt32.max) / ExportColumn.count, info.arena >= 0,
      info.customIDSlots >= 0, info.emailSlots >= 0, info.checksums.count == 6,
      let layout = Layout(info, start: file.offset), layout.end == file.size
    else { return nil }
    let read = CacheSections()
    // Each section's checksum, unless the fuzz harness says not to.
    let sums = info.checksums.map { verifiesChecksum ? $0 : nil }
    DispatchQueue.concurrentPerform(iterations: 6) { part in
      switch part {
      case 0:
        read.arena = checked(file.values(info.arena, at: layout.arena), checksum: sums[3]) { _ in true }
      case 1:
        read.ends = checked(file.values(info.accounts * ExportColumn.count, at: layout.ends), checksum: sums[2]) {
          valuesFit(ends: $0, arenaCount: info.arena)
        }
      case 2:
        read.customIDSlots = checked(file.values(info.customIDSlots, at: layout.customIDSlots), checksum: sums[4]) {
          slotsFit($0, rows: info.accounts)
        }
      case 3:
        read.emailSlots = checked(file.values(info.emailSlots, at: layout.emailSlots), checksum: sums[5]) {
          slotsFit($0, rows: info.accounts)
        }
      case 4:
        read.ids = checked(file.array(info.accounts, at: layout.ids), checksum: sums[0]) { _ in true }
      default:
        read.organizations = checked(file.array(info.accounts, at: layout.organizations), checksum: sums[1]) {
          $0.allSatisfy { $0 >= 0 && Int($0) < info.organizations.count }
        }
      }
    }
    guard let arena = read.arena, let ends = read.ends, let ids = read.ids, let organizations = read.organizations,
      let customIDSlots = read.customIDSlots, let emailSlots = read.emailSlots,
      Int(ends.withUnsafeBufferPointer { $0.last } ?? 0) == arena.count
    else { return nil }
    return DirectorySnapshot(
      state: info.state, organizations: info.organizations,
      accounts: RowStore(arena: arena, ends: ends), accountIDs: ids, accountOrganizations: organizations,
      customIDs: KeyIndex(column: .customID, foldsCase: false, slots: customIDSlots),
      emails: KeyIndex(column: .email, foldsCase: true, slots: emailSlots))
  }

  /// Value end offsets never go back and end exactly at the arena's end.
  private static func valuesFit(ends: ReadOnlyValues<UInt32>, arenaCount: Int) -> Bool {
    ends.withUnsafeBufferPointer { ends in
      var previous: UInt32 = 0
      for end in ends {
        if end < previous { return false }
        previous = end
      }
      return Int(previous) == arenaCount
    }
  }

  /// A key index's table: a power of two with a free slot (a lookup stops
  /// at one), every used slot naming an existing row.
  private static func slotsFit(_ slots: ReadOnlyValues<UInt64>, rows: Int) -> Bool {
    guard slots.count >= 16, slots.count.nonzeroBitCount == 1, slots.count > rows else { return false }
    // Without branches on the slots' contents (half are empty, at random):
    // a used slot's row must be 1...rows.
    var used = 0
    var outside = false
    slots.withUnsafeBufferPointer { slots in
      for slot in slots {
        let row = Int(slot & 0xFFFF_FFFF)
        let isUsed = slot != 0
        used &+= isUsed ? 1 : 0
        // Unsigned: a used slot naming row 0 (a hash, no row) wraps to the
        // largest value, outside (as a signed -1 it passed, and a lookup
        // read before the values' ends: the fuzz harness found it).
        outside = outside || (isUsed && UInt(bitPattern: row &- 1) >= UInt(rows))
      }
    }
    return !outside && used < slots.count
  }

  /// `section` when it is whole and within its bounds (`fits`); nil
  /// otherwise. `expected`: its checksum (nil: not checked).
  private static func checked<Section: ChecksummedSection>(
    _ section: Section?, checksum expected: String?, fits: (Section) -> Bool
  ) -> Section? {
    guard let section, expected == nil || section.checksum == expected, fits(section) else { return nil }
    return section
  }

  fileprivate static func checksum(_ bytes: UnsafeRawBufferPointer) -> String {
    var sum = Checksum64()
    sum.update(bytes)
    return sum.finalize()
  }

  /// Where each section starts: they follow the header in this order.
  private struct Layout {
    var ids = 0
    var organizations = 0
    var ends = 0
    var arena = 0
    var customIDSlots = 0
    var emailSlots = 0
    var end = 0

    /// Nil when the sizes overflow.
    init?(_ info: Header, start: Int) {
      let sizes = [
        info.accounts.multipliedReportingOverflow(by: 8), info.accounts.multipliedReportingOverflow(by: 4),
        info.accounts.multipliedReportingOverflow(by: 4 * ExportColumn.count), (info.arena, false),
        info.customIDSlots.multipliedReportingOverflow(by: 8), info.emailSlots.multipliedReportingOverflow(by: 8),
      ]
      var offsets: [Int] = []
      var offset = start
      for (size, overflow) in sizes {
        guard !overflow, let aligned = SnapshotCache.aligned(offset) else { return nil }
        offset = aligned
        offsets.append(offset)
        let (next, beyond) = offset.addingReportingOverflow(size)
        guard !beyond else { return nil }
        offset = next
      }
      (ids, organizations, ends, arena, customIDSlots, emailSlots) = (
        offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5]
      )
      end = offset
    }
  }

  /// What the readers of `decode` found, each writing its own field (nil:
  /// missing, or failed its checks).
  private final class CacheSections: @unchecked Sendable {
    var arena: ReadOnlyValues<UInt8>?
    var ends: ReadOnlyValues<UInt32>?
    var customIDSlots: ReadOnlyValues<UInt64>?
    var emailSlots: ReadOnlyValues<UInt64>?
    var ids: [Int64]?
    var organizations: [Int32]?
  }

  /// `offset` rounded up to the next section start; nil on overflow.
  static func aligned(_ offset: Int) -> Int? {
    let (rounded, overflow) = offset.addingReportingOverflow(sectionAlignment - 1)
    return overflow ? nil : rounded - rounded % sectionAlignment
  }

  /// Writes the cache atomically; failures are ignored (it is only a cache).
  static func save(_ snapshot: DirectorySnapshot, directory: String) {
    snapshot.accounts.withSections { arena, ends in
      snapshot.accountIDs.withUnsafeBytes { ids in
        snapshot.accountOrganizations.withUnsafeBytes { organizations in
          snapshot.customIDs.slots.withUnsafeBufferPointer { customIDSlots in
            snapshot.emails.slots.withUnsafeBufferPointer { emailSlots in
              let sections = [
                ids, organizations, UnsafeRawBufferPointer(ends), UnsafeRawBufferPointer(arena),
                UnsafeRawBufferPointer(customIDSlots), UnsafeRawBufferPointer(emailSlots),
              ]
              let header = Header(
                state: snapshot.state, organizations: snapshot.organizations, accounts: snapshot.accountCount,
                arena: arena.count, customIDSlots: customIDSlots.count, emailSlots: emailSlots.count,
                checksums: sections.map(checksum))
              writeFile(header: header, sections: sections, to: path(forDirectory: directory))
            }
          }
        }
      }
    }
  }

  /// The magic, the header and the sections, each section at a multiple of
  /// `sectionAlignment`; to a new file renamed over `target`.
  private static func writeFile(header: Header, sections: [UnsafeRawBufferPointer], to target: String) {
    guard let headerBytes = try? JSONEncoder().encode(header) else { return }
    let temporary = target + ".tmp-\(getpid())-\(UUID().uuidString)"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return }
    var ok = true
    var written = 0
    func put(_ buffer: UnsafeRawBufferPointer) {
      var offset = 0
      while ok && offset < buffer.count {
        let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { ok = false } else { offset += count }
      }
      written += buffer.count
    }
    func put<T>(_ array: [T]) { array.withUnsafeBytes { if $0.count > 0 { put($0) } } }
    put(magic)
    put([headerBytes.count])
    put(Array(headerBytes))
    for section in sections {
      put([UInt8](repeating: 0, count: aligned(written)! - written))
      if section.count > 0 { put(section) }
    }
    close(descriptor)
    if !ok || rename(temporary, target) != 0 { unlink(temporary) }
  }

  struct Header: Codable {
    var state: DirectoryState
    var organizations: [Organization]
    var accounts: Int
    var arena: Int
    var customIDSlots: Int
    var emailSlots: Int
    /// Of each section after the header, in order (`Checksum64`).
    var checksums: [String]
  }
}

extension DirectorySnapshot {
  /// A snapshot cache file's bytes as the loader reads them (the fuzz
  /// harness's entry; see Fuzz/README.md).
  @_spi(Fuzzing) public static func fromCacheBytes(_ bytes: [UInt8], verifiesChecksum: Bool) -> DirectorySnapshot? {
    SnapshotCache.decode(CacheReader(bytes: bytes), state: nil, verifiesChecksum: verifiesChecksum)
  }
}

/// Reads the cache file's sections straight into typed arrays, or lends
/// them in place from a mapping of the file (`values`, when only its owner
/// can change it), from the file (regular files only: a FIFO there must not
/// hang planning) or from bytes in memory (the fuzz harness). Reads at an
/// offset change nothing, so two threads may make them at once (`decode`);
/// the moving cursor is used only before that.
final class CacheReader: @unchecked Sendable {
  private enum Source {
    case file(Int32)
    case bytes([UInt8])
  }
  private let source: Source
  private var mapping: FileMapping?
  let size: Int
  private(set) var offset = 0
  /// Whether sections are lent in place (`values`) rather than copied.
  var isMapped: Bool { mapping != nil }

  init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      return nil
    }
    source = .file(descriptor)
    size = Int(info.st_size)
    if FileMapping.isSafeToMap(descriptor: descriptor) { mapping = FileMapping(descriptor: descriptor, size: size) }
  }

  init(bytes: [UInt8]) {
    source = .bytes(bytes)
    size = bytes.count
  }

  deinit { if case .file(let descriptor) = source { close(descriptor) } }

  /// The next `count` values, moving on past them.
  func array<T>(_ count: Int) -> [T]? {
    guard let values: [T] = array(count, at: offset) else { return nil }
    offset += count * MemoryLayout<T>.stride
    return values
  }

  /// `count` values at `offset`, wherever the reader is (two threads may
  /// read different sections at once).
  func array<T>(_ count: Int, at offset: Int) -> [T]? {
    guard holds(count, stride: MemoryLayout<T>.stride, at: offset) else { return nil }
    var failed = false
    let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      failed = !read(
        into: UnsafeMutableRawBufferPointer(buffer), count: count, stride: MemoryLayout<T>.stride, at: offset)
      initialized = failed ? 0 : count
    }
    return failed ? nil : result
  }

  /// The same, lent in place from the file's mapping when there is one.
  func values<T: BitwiseCopyable>(_ count: Int, at offset: Int) -> ReadOnlyValues<T>? {
    if let mapping { return ReadOnlyValues(mapping: mapping, byteOffset: offset, count: count) }
    guard holds(count, stride: MemoryLayout<T>.stride, at: offset) else { return nil }
    return ReadOnlyValues(count: count) { buffer in
      read(into: UnsafeMutableRawBufferPointer(buffer), count: count, stride: MemoryLayout<T>.stride, at: offset)
    }
  }

  /// Whether `count` values of `stride` bytes at `offset` are all in the
  /// file: asked before any memory is set aside for them.
  private func holds(_ count: Int, stride: Int, at offset: Int) -> Bool {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: stride)
    return count >= 0 && !overflow && offset >= 0 && offset <= size && bytes <= size - offset
  }

  /// Copies `count` values of `stride` bytes at `offset` (in the file:
  /// `holds`) into `raw`; false when the file could not be read.
  private func read(into raw: UnsafeMutableRawBufferPointer, count: Int, stride: Int, at offset: Int) -> Bool {
    let bytes = count * stride
    switch source {
    case .bytes(let all):
      all.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + bytes])) }
    case .file(let descriptor):
      var done = 0
      while done < bytes {
        let got = pread(descriptor, raw.baseAddress! + done, bytes - done, off_t(offset + done))
        if got < 0 && errno == EINTR { continue }
        if got <= 0 { return false }
        done += got
      }
    }
    return true
  }

  func bytes(_ count: Int) -> [UInt8]? { array(count) }

  func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
    let values: [T]? = array(1)
    return values?.first
  }
}

/// A section of a cache file, with its checksum (`Checksum64`).
private protocol ChecksummedSection {
  var checksum: String { get }
}

extension ReadOnlyValues: ChecksummedSection {
  fileprivate var checksum: String { withUnsafeBufferPointer { SnapshotCache.checksum(UnsafeRawBufferPointer($0)) } }
}

extension Array: ChecksummedSection {
  fileprivate var checksum: String { withUnsafeBytes(SnapshotCache.checksum) }
}
