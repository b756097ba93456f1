import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A copy of the directory snapshot beside the database
/// (`<directory>.snapshot`, owner-only), so that planning again against an
/// unchanged directory reads a few large arrays instead of a million rows.
///
/// It is used only when its directory ID and generation equal the
/// database's: every commit moves the generation on, so any write through
/// sis-sync makes the copy stale and the next read replaces it. (The
/// database must therefore be written by sis-sync only, which it is.)
enum SnapshotCache {
  static let magic = Array("sis-sync snapshot 1\n".utf8)

  static func path(forDirectory directory: String) -> String { directory + ".snapshot" }

  /// The cached snapshot, if it matches; nil otherwise (never an error: the
  /// database is the truth, the cache only saves time).
  static func load(directory: String, directoryID: String, generation: Int64) -> DirectorySnapshot? {
    guard let file = CacheReader(path: path(forDirectory: directory)) else { return nil }
    guard let header = file.bytes(magic.count), header == magic,
      let headerLength = file.integer(Int.self), headerLength < 64 << 20, let headerBytes = file.bytes(headerLength),
      let info = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)),
      info.directoryID == directoryID, info.generation == generation,
      let ids: [Int64] = file.array(info.accounts), let organizations: [Int32] = file.array(info.accounts),
      let ends: [UInt32] = file.array(info.accounts * ExportColumn.count), let arena: [UInt8] = file.array(info.arena),
      let customIDSlots: [UInt64] = file.array(info.customIDSlots),
      let emailSlots: [UInt64] = file.array(info.emailSlots),
      file.atEnd, Int(ends.last ?? 0) == arena.count
    else { return nil }
    return DirectorySnapshot(
      directoryID: directoryID, generation: generation, organizations: info.organizations,
      accounts: RowStore(arena: arena, ends: ends), accountIDs: ids, accountOrganizations: organizations,
      customIDs: KeyIndex(column: .customID, foldsCase: false, slots: customIDSlots),
      emails: KeyIndex(column: .email, foldsCase: true, slots: emailSlots))
  }

  /// Writes the cache atomically; failures are ignored (it is only a cache).
  static func save(_ snapshot: DirectorySnapshot, directory: String) {
    let header = Header(
      directoryID: snapshot.directoryID, generation: snapshot.generation, organizations: snapshot.organizations,
      accounts: snapshot.accountCount, arena: snapshot.accounts.rawArena.count,
      customIDSlots: snapshot.customIDs.slots.count, emailSlots: snapshot.emails.slots.count)
    guard let headerBytes = try? JSONEncoder().encode(header) else { return }
    let target = path(forDirectory: directory)
    let temporary = target + ".tmp-\(getpid())-\(UUID().uuidString)"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return }
    var ok = true
    func put(_ buffer: UnsafeRawBufferPointer) {
      var offset = 0
      while ok && offset < buffer.count {
        let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { ok = false } else { offset += count }
      }
    }
    func put<T>(_ array: [T]) { array.withUnsafeBytes { if $0.count > 0 { put($0) } } }
    put(magic)
    put([headerBytes.count])
    put(Array(headerBytes))
    put(snapshot.accountIDs)
    put(snapshot.accountOrganizations)
    put(snapshot.accounts.rawEnds)
    put(snapshot.accounts.rawArena)
    put(snapshot.customIDs.slots)
    put(snapshot.emails.slots)
    close(descriptor)
    if !ok || rename(temporary, target) != 0 { unlink(temporary) }
  }

  struct Header: Codable {
    var directoryID: String
    var generation: Int64
    var organizations: [Organization]
    var accounts: Int
    var arena: Int
    var customIDSlots: Int
    var emailSlots: Int
  }
}

/// Reads the cache file's sections straight into typed arrays.
private final class CacheReader {
  private let descriptor: Int32
  private let size: Int
  private var offset = 0

  init?(path: String) {
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      close(descriptor)
      return nil
    }
    size = Int(info.st_size)
  }

  deinit { close(descriptor) }

  var atEnd: Bool { offset == size }

  func array<T>(_ count: Int) -> [T]? {
    let bytes = count * MemoryLayout<T>.stride
    guard count >= 0, offset + bytes <= size else { return nil }
    var failed = false
    let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      var done = 0
      while done < bytes {
        let got = pread(descriptor, raw.baseAddress! + done, bytes - done, off_t(offset + done))
        if got < 0 && errno == EINTR { continue }
        if got <= 0 {
          failed = true
          break
        }
        done += got
      }
      initialized = failed ? 0 : count
    }
    guard !failed else { return nil }
    offset += bytes
    return result
  }

  func bytes(_ count: Int) -> [UInt8]? { array(count) }

  func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
    let values: [T]? = array(1)
    return values?.first
  }
}
