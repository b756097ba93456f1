import Foundation
import Testing

/// The documented bounds (man sis-sync(1), LIMITS): each is enforced with a
/// clear message, and memory stays flat on inputs built to exhaust it.
@Suite struct LimitTests {
  /// Writes `count` bytes of `unit` repeated, after `prefix`, without
  /// holding them in memory.
  static func write(_ path: String, prefix: String, repeating unit: String, count: Int, suffix: String = "") throws {
    FileManager.default.createFile(atPath: path, contents: Data(prefix.utf8))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    let block = Data(String(repeating: unit, count: 1 << 20 / unit.utf8.count).utf8)
    var written = 0
    while written < count {
      let piece = block.prefix(min(block.count, count - written))
      try handle.write(contentsOf: piece)
      written += piece.count
    }
    try handle.write(contentsOf: Data(suffix.utf8))
  }

  static func peakMemoryMB(_ stderr: String) -> Int? {
    stderr.split(separator: "\n").last { $0.hasPrefix("timing: peak memory") }
      .flatMap { Int($0.split(separator: " ")[3]) }
  }

  @Test func aFiveMegabyteFieldIsCutAndReported() throws {
    let scratch = try ScratchFolder()
    let path = scratch.url.appendingPathComponent("field.csv").path
    try Self.write(
      path, prefix: exportHeader + "\nAna,,", repeating: "x", count: 5 << 20,
      suffix: ",ana@x.org,1,S1,Student,,5,Active\nBo,,Li,bo@x.org,2,S1,Student,,4,Active\n")
    let result = try SisSyncProcess.run(["validate", path], environment: ["SIS_SYNC_TIMING": "1"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("line 2, last_name: field 3 is longer than 1024 KiB; only its start was kept"))
    #expect(result.stdout.contains("2 rows, 1 with errors, 1 valid"))
    let peak = try #require(Self.peakMemoryMB(result.stderr))
    #expect(peak < 120, "peak \(peak) MB for a 5 MB field")
  }

  @Test func aFileWithoutLineBreaksIsOneCutRecordAndMemoryStaysFlat() throws {
    let scratch = try ScratchFolder()
    let path = scratch.url.appendingPathComponent("one-line.csv").path
    // 120 MB of short fields and no line break: one record.
    try Self.write(path, prefix: exportHeader + "\n", repeating: "abc,", count: 120 << 20)
    let result = try SisSyncProcess.run(["validate", path], environment: ["SIS_SYNC_TIMING": "1"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("the row has more than 1024 fields") || result.stdout.contains("longer than 8 MiB"))
    let peak = try #require(Self.peakMemoryMB(result.stderr))
    #expect(peak < 120, "peak \(peak) MB for 120 MB without a line break")

    // Sixteen fields of almost 1 MiB each: the record limit (8 MiB) cuts it.
    let wide = scratch.url.appendingPathComponent("wide.csv").path
    try Self.write(
      wide, prefix: exportHeader + "\n", repeating: String(repeating: "y", count: (1 << 20) - 1) + ",",
      count: 16 << 20)
    let cut = try SisSyncProcess.run(["validate", wide], environment: ["SIS_SYNC_TIMING": "1"])
    #expect(cut.stdout.contains("the row is longer than 8 MiB (is the file missing its line breaks?)"))
    #expect((Self.peakMemoryMB(cut.stderr) ?? 999) < 120)
  }
}
