import Foundation
import Testing

@testable import SyncModel

/// `FileMapping` and the `ReadOnlyValues` lent from it (the snapshot cache's
/// sections, read in place).
@Suite struct FileMappingTests {
  /// A file of the words 0, 1, 2, … (UInt32, little-endian), owner-only.
  static func wordsFile(_ count: Int, mode: Int = 0o600) throws -> (path: String, descriptor: Int32) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-\(UUID().uuidString)").path
    let words = (0..<UInt32(count)).map { $0.littleEndian }
    try words.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    return (path, open(path, O_RDONLY))
  }

  @Test func valuesAreReadInPlaceWhenAlignedAndInside() throws {
    let (path, descriptor) = try Self.wordsFile(1024)
    defer {
      close(descriptor)
      unlink(path)
    }
    let mapping = try #require(FileMapping(descriptor: descriptor, size: 4096))
    let values = try #require(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 64, count: 3))
    #expect(values.array == [16, 17, 18])
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 4092, count: 1)?.array == [1023])
    // Past the end, a negative count, or not on a UInt32 boundary: refused.
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 4092, count: 2) == nil)
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 4100, count: 0) == nil)
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 0, count: -1) == nil)
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 2, count: 1) == nil)
    #expect(ReadOnlyValues<UInt64>(mapping: mapping, byteOffset: 4, count: 1) == nil)
    #expect(ReadOnlyValues<UInt32>(mapping: mapping, byteOffset: 0, count: Int.max / 2) == nil)
  }

  /// The values keep the mapping alive after every other holder let go.
  @Test func valuesKeepTheirMapping() throws {
    let (path, descriptor) = try Self.wordsFile(1024)
    var values: ReadOnlyValues<UInt32>?
    do {
      let mapping = try #require(FileMapping(descriptor: descriptor, size: 4096))
      values = ReadOnlyValues(mapping: mapping, byteOffset: 400, count: 2)
    }
    close(descriptor)
    unlink(path)
    #expect(values?.array == [100, 101])
  }

  @Test func onlyAFileNoOneElseCanWriteIsSafeToMap() throws {
    for (mode, safe) in [(0o600, true), (0o644, true), (0o400, true), (0o620, false), (0o602, false), (0o666, false)] {
      let (path, descriptor) = try Self.wordsFile(16, mode: mode)
      #expect(FileMapping.isSafeToMap(descriptor: descriptor) == safe, "mode \(String(mode, radix: 8))")
      close(descriptor)
      unlink(path)
    }
  }

  @Test func valuesOfTheirOwnAreWhatWasWritten() {
    #expect(ReadOnlyValues<UInt16>(repeating: 7, count: 3).array == [7, 7, 7])
    #expect(ReadOnlyValues<UInt8>(count: 4) { _ in false } == nil)
    #expect(
      ReadOnlyValues<UInt8>(count: 2) {
        $0.initialize(repeating: 9)
        return true
      }?.array == [9, 9])
  }
}
