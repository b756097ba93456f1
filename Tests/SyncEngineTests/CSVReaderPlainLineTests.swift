import Testing

@testable import ExportReading
@testable import SyncModel

/// Everything the reader says about each record, to compare two readings.
private struct Reading: Equatable {
  let line: Int
  let fields: [String]
  let rawFieldCount: Int
  let issues: [CSVIssue.Kind]
  let skippedBlankLines: [Int]
}

private func readings(_ bytes: [UInt8], limits: CSVLimits = .standard, chunkSize: Int) throws -> [Reading] {
  let reader = CSVReader(source: MemoryByteSource(bytes), limits: limits, chunkSize: chunkSize)
  var result: [Reading] = []
  while try reader.next() {
    result.append(
      Reading(
        line: reader.line, fields: (0..<reader.fieldCount).map { reader.fieldText($0) },
        rawFieldCount: reader.rawFieldCount, issues: reader.issues.map(\.kind),
        skippedBlankLines: reader.skippedBlankLines))
  }
  return result
}

/// The plain-line path (a whole unquoted line read in place, eight bytes at
/// a time) must read exactly what the byte-by-byte path reads.
@Suite struct CSVReaderPlainLineTests {
  /// Random lines of the bytes that matter (delimiters, quotes, CR, LF,
  /// spaces, tabs, UTF-8) read with a large chunk (plain lines take the
  /// fast path) and a one-byte chunk (no line fits: every record goes byte
  /// by byte) give the same records, fields, issues and lines.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func plainLinesReadAsByteByByte(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let pieces: [[UInt8]] = [
      Array("a".utf8), Array("bc".utf8), Array("0123456789".utf8), [0x2C], [0x2C], [0x0A], [0x0A], [0x0D, 0x0A],
      [0x0D], [0x22], [0x20], [0x09], Array("é".utf8), [0x7F], Array("long field value, ".utf8),
    ]
    var bytes: [UInt8] = []
    for _ in 0..<3_000 { bytes += pieces.randomElement(using: &generator)! }
    let fast = try readings(bytes, chunkSize: 1 << 20)
    let slow = try readings(bytes, chunkSize: 1)
    #expect(fast == slow)
    #expect(fast.count > 50)
  }

  /// The scanner (sixteen bytes at a time with SSE2) and its eight-byte
  /// loop agree with a byte model on lines of every length up to past two
  /// vectors, whichever byte spoils them and wherever, and at the field limit.
  @Test func theScannersAgreeWithAByteModel() {
    var generator = SeededGenerator(seed: 17)
    let spoilers: [UInt8] = [0x22, 0x00, 0x09, 0x0D, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]
    for length in 0..<70 {
      for trial in 0..<60 {
        var bytes = (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
        for index in bytes.indices where Int.random(in: 0..<6, using: &generator) == 0 { bytes[index] = 0x2C }
        if trial % 3 == 0, length > 0 {
          bytes[Int.random(in: 0..<length, using: &generator)] = spoilers.randomElement(using: &generator)!
        }
        bytes.append(0x0A)
        let maxFields = trial % 4 == 0 ? 3 : 64
        // A CR just before the line feed ends the line; it is not content.
        let content = bytes.dropLast().last == 0x0D ? Array(bytes.dropLast(2)) : Array(bytes.dropLast())
        let expected = modelScan(content, maxFields: maxFields)
        var ends = [Int](repeating: -1, count: 64)
        var wordEnds = [Int](repeating: -1, count: 64)
        let scanned = bytes.withUnsafeBytes { raw in
          ends.withUnsafeMutableBufferPointer {
            PlainLineScanner.scan(
              raw.baseAddress!, from: 0, to: raw.count, fieldEnds: $0.baseAddress!, maxFields: maxFields, maxBytes: 1000
            )
          }
        }
        let words = bytes.withUnsafeBytes { raw in
          wordEnds.withUnsafeMutableBufferPointer {
            PlainLineScanner.scanWords(
              raw.baseAddress!, length: content.count, fieldEnds: $0.baseAddress!, maxFields: maxFields)
          }
        }
        #expect(scanned.map { Array(ends[0..<$0.fieldCount]) } == expected.map(\.ends), "length \(length)")
        #expect(scanned.map(\.isPlainText) == expected.map(\.plain))
        #expect(scanned.map(\.lineFeed) == expected.map { _ in length })
        #expect(words.map { Array(wordEnds[0..<$0.count]) } == expected.map(\.ends))
        #expect(words.map { !$0.nonASCII } == expected.map(\.plain))
      }
    }
  }

  /// A plain line's field ends and whether it is ASCII; nil when not plain.
  private func modelScan(_ line: [UInt8], maxFields: Int) -> (ends: [Int], plain: Bool)? {
    if line.contains(where: { $0 == 0x22 || $0 < 0x20 || $0 == 0x7F }) { return nil }
    let ends = line.indices.filter { line[$0] == 0x2C } + [line.count]
    return ends.count > maxFields ? nil : (ends, !line.contains { $0 >= 0x80 })
  }

  @Test func knowsWhichValuesArePlainText() throws {
    let reader = CSVReader(source: MemoryByteSource("a,b\nJane,x\nJosé,x\n\"q\",y\nt\tab,z\nlast,row\r\n"))
    var plain: [Bool] = []
    var plainRecords: [Bool] = []
    while try reader.next() {
      plain.append(reader.isKnownPlainText(reader.field(0)))
      plainRecords.append(reader.isPlainTextRecord)
    }
    // Non-ASCII, a quote or a tab anywhere in the line: not known.
    #expect(plain == [true, true, false, false, false, true])
    #expect(plainRecords == plain)
    let elsewhere: [UInt8] = Array("Jane".utf8)
    elsewhere.withUnsafeBufferPointer { #expect(!reader.isKnownPlainText($0)) }
  }

  @Test func aPlainLinePastTheFieldLimitIsCutAndReported() throws {
    let line = String(repeating: "x", count: 300) + ",end\n"
    let read = try readings(Array(("a,b\n" + line).utf8), limits: CSVLimits(maxFieldBytes: 100), chunkSize: 1 << 20)
    #expect(read[1].fields == [String(repeating: "x", count: 100), "end"])
    #expect(read[1].issues == [.fieldTooLong(limit: 100)])
  }

  @Test func crlfLinesAreReadWithoutTheirCR() throws {
    let read = try readings(Array("a,b\r\n1,2\r\n\r\n3,\r\n".utf8), chunkSize: 1 << 20)
    #expect(read.map(\.fields) == [["a", "b"], ["1", "2"], ["3", ""]])
    #expect(read.map(\.line) == [1, 2, 4])
    #expect(read[2].skippedBlankLines == [3])
  }
}
