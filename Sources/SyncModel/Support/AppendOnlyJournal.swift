import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file of JSON lines written as work is done: a header line, then one
/// line per entry, each appended and flushed to disk before `append`
/// returns, so a crash, a kill or a closed laptop loses nothing. Owner-only
/// (what it records names students). A last line cut short by a crash is
/// left out when read. The review's decisions and the cleanup screen's
/// staged changes are journaled with it.
package final class AppendOnlyJournal<Header: Codable, Entry: Codable> {
  package let path: String
  package let header: Header
  private var descriptor: Int32 = -1

  package init(path: String, header: Header) {
    self.path = path
    self.header = header
  }

  deinit { if descriptor >= 0 { close(descriptor) } }

  package var isStarted: Bool { descriptor >= 0 }

  /// Starts the journal afresh (replacing one left behind) with `entries`.
  package func start(with entries: [Entry]) throws(FileAccessError) {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    var bytes = try Self.line(header, path: path)
    for entry in entries { bytes += try Self.line(entry, path: path) }
    try writeFileAtomically(bytes, to: path, ownerOnly: true)
    descriptor = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else { throw failure() }
  }

  /// Appends an entry to a started journal.
  package func append(_ entry: Entry) throws(FileAccessError) {
    let bytes = try Self.line(entry, path: path)
    let failed = bytes.withUnsafeBytes { raw -> Bool in
      var written = 0
      while written < raw.count {
        let count = write(descriptor, raw.baseAddress! + written, raw.count - written)
        if count < 0 {
          if errno == EINTR { continue }
          return true
        }
        written += count
      }
      return fsync(descriptor) != 0
    }
    if failed { throw failure() }
  }

  /// Removes the journal (what it held is saved elsewhere, applied, or
  /// dropped on purpose).
  package func discard() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    unlink(path)
  }

  /// Removes the journal if this process wrote it (one left behind by
  /// another, and not restored, stays to be offered again).
  package func discardIfStarted() {
    if isStarted { discard() }
  }

  private func failure() -> FileAccessError {
    FileAccessError(path: path, reason: "cannot write the journal: " + String(cString: strerror(errno)))
  }

  private static func line<T: Encodable>(_ value: T, path: String) throws(FileAccessError) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do { return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")] } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
  }

  // MARK: - Reading one left behind

  /// The header and entries of a journal left behind; nil when there is
  /// none (or only a header cut short). A bad line other than a last one
  /// cut short is an error naming its line; `isExpected` checks the header.
  package static func read(
    path: String, limit: Int, isExpected: (Header) -> String?
  ) throws(FileAccessError) -> (header: Header, entries: [Entry])? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let bytes = try readWholeFile(path: path, limit: limit, kind: "a journal")
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    // With a final newline the last piece is empty; without one it was
    // cut short by a crash: either way it is not read.
    let complete = lines.count - 1
    guard complete >= 1 else { return nil }
    let decoder = JSONDecoder()
    let header: Header
    do { header = try decoder.decode(Header.self, from: Data(lines[0])) } catch {
      throw FileAccessError(path: path, reason: "line 1: not a sis-sync journal")
    }
    if let problem = isExpected(header) { throw FileAccessError(path: path, reason: "line 1: " + problem) }
    var entries: [Entry] = []
    for number in 1..<complete {
      do { entries.append(try decoder.decode(Entry.self, from: Data(lines[number]))) } catch {
        throw FileAccessError(path: path, reason: "line \(number + 1): not a journal entry")
      }
    }
    return (header, entries)
  }
}
