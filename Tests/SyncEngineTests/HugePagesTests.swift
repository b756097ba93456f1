import Foundation
import Testing

@testable import ExportReading
@testable import SyncModel

/// The million-entry buffers are in memory marked for huge pages (one fault
/// per 2 MiB written, not per 4 KiB), and keep their contents as they grow.
/// The marks are read back from the kernel's own account of the process's
/// mappings (/proc/self/smaps: `hg` in a mapping's VmFlags is the mark).
@Suite struct HugePagesTests {
  #if os(Linux)
    @Test func aBlockStartsOnAHugePageIsMarkedAndKeepsItsBytesAsItGrows() throws {
      var block = try #require(HugePageBlock.map(atLeast: 3 << 20))
      defer { block.unmap() }
      #expect(UInt(bitPattern: block.base) % UInt(HugePages.size) == 0)
      #expect(block.byteCount == 4 << 20)
      #expect(try Mapping.containing(block.base).isMarkedForHugePages)
      block.base.storeBytes(of: 0x5A, toByteOffset: 0, as: UInt8.self)
      block.base.storeBytes(of: 0xA5, toByteOffset: block.byteCount - 1, as: UInt8.self)
      let firstSize = block.byteCount
      // Marked in its first 2 MiB only, the block is two mappings: it
      // grows all the same by moving its pages, not by a copy.
      #expect(try !Mapping.containing(block.base + (2 << 20)).isMarkedForHugePages)
      #expect(block.grow(toAtLeast: 9 << 20) == .byMovingPages)
      #expect(block.byteCount == 10 << 20)
      #expect(block.base.load(fromByteOffset: 0, as: UInt8.self) == 0x5A)
      #expect(block.base.load(fromByteOffset: firstSize - 1, as: UInt8.self) == 0xA5)
      // The room added reads as zeros; the whole huge pages of the 9 MB
      // asked for are marked, the rest of the 10 MB is not.
      #expect(block.base.load(fromByteOffset: block.byteCount - 1, as: UInt8.self) == 0)
      #expect(try Mapping.containing(block.base + (8 << 20) - 1).isMarkedForHugePages)
      #expect(try !Mapping.containing(block.base + (8 << 20)).isMarkedForHugePages)
      // And again from there (its unmarked end is now a mapping of its own).
      block.base.storeBytes(of: 0x3C, toByteOffset: block.byteCount - 1, as: UInt8.self)
      let secondSize = block.byteCount
      #expect(block.grow(toAtLeast: 32 << 20) == .byMovingPages)
      #expect(block.byteCount == 32 << 20)
      #expect(block.base.load(fromByteOffset: 0, as: UInt8.self) == 0x5A)
      #expect(block.base.load(fromByteOffset: secondSize - 1, as: UInt8.self) == 0x3C)
      #expect(try Mapping.containing(block.base + (32 << 20) - 1).isMarkedForHugePages)
    }

    @Test func anAppendBufferKeepsEveryValueFromMallocsBlockIntoAMappingAndBeyond() throws {
      // From 16 entries: grown by `realloc`, then moved into a mapping at
      // half a huge page, then grown by moving the mapping's pages.
      let buffer = AppendBuffer<UInt32>(capacity: 16)
      let count = 3_000_000
      for value in 0..<count { buffer.append(UInt32(value) &* 2_654_435_761) }
      #expect(buffer.count == count)
      #expect((0..<count).allSatisfy { buffer[$0] == UInt32($0) &* 2_654_435_761 })
      #expect(try Mapping.containing(buffer.base).isMarkedForHugePages)
      #expect(UInt(bitPattern: buffer.base) % UInt(HugePages.size) == 0)
      // A small buffer stays in `malloc`'s memory, unmarked.
      let small = AppendBuffer<UInt8>(capacity: 1_000)
      [UInt8]([1, 2, 3]).withUnsafeBufferPointer { small.append(contentsOf: $0) }
      #expect(Array(small.elements) == [1, 2, 3])
      #expect(try !Mapping.containing(small.base).isMarkedForHugePages)
    }

    @Test func aLargeReservedArrayIsMarkedInsideAndASmallOneIsLeftAlone() throws {
      var rows: [Int] = []
      rows.reserveCapacityInHugePages(1 << 20)
      #expect(rows.capacity >= 1 << 20)
      // The middle of 8 MB is inside a whole huge page of the room.
      let middleEntry = try rows.withUnsafeMutableBufferPointer { room in
        try #require(room.baseAddress) + (1 << 19)
      }
      #expect(try Mapping.containing(UnsafeRawPointer(middleEntry)).isMarkedForHugePages)
      for row in 0..<(1 << 20) { rows.append(row) }
      #expect(rows.count == 1 << 20 && rows.last == (1 << 20) - 1)

      var few: [Int] = []
      few.reserveCapacityInHugePages(100)
      #expect(few.capacity >= 100 && few.capacity < 1_000)
    }

    /// One mapping's line and flags in /proc/self/smaps.
    struct Mapping {
      let flags: [String]
      var isMarkedForHugePages: Bool { flags.contains("hg") }

      static func containing(_ address: UnsafeRawPointer) throws -> Mapping {
        // Read to its end: a /proc file's size says 0.
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? file.close() }
        let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        let target = UInt(bitPattern: address)
        var inside = false
        for line in smaps.split(separator: "\n") {
          let fields = line.split(separator: " ", omittingEmptySubsequences: true)
          if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
            let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
            inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
          } else if inside, fields.first == "VmFlags:" {
            return Mapping(flags: fields.dropFirst().map(String.init))
          }
        }
        throw MappingNotFound()
      }
    }

    struct MappingNotFound: Error {}
  #endif

  @Test func entriesOfMoreThanHalfAHugePageSortAsFewDo() {
    // 300,000 entries (2.4 MB, in part in huge pages): the same order as a
    // plain stable sort by hash.
    var state: UInt32 = 12_345
    let hashes = (0..<300_000).map { _ -> UInt32 in
      state = state &* 1_664_525 &+ 1_013_904_223
      return state >> 8  // repeats, so that equal hashes keep entry order
    }
    let expected = hashes.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
      .map { UInt64($0.element) << 32 | UInt64($0.offset) }
    #expect(hashes.withUnsafeBufferPointer(entriesSortedByHash) == expected)
  }
}
