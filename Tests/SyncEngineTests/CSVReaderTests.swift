import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// Reads every record of `text` as (line, fields, issue kinds).
private func records(
  _ bytes: [UInt8], limits: CSVLimits = .standard, chunkSize: Int = 1 << 20
) throws -> [(line: Int, fields: [String], issues: [CSVIssue.Kind])] {
  let reader = CSVReader(source: MemoryByteSource(bytes), limits: limits, chunkSize: chunkSize)
  var result: [(Int, [String], [CSVIssue.Kind])] = []
  while try reader.next() {
    result.append((reader.line, (0..<reader.fieldCount).map { reader.fieldText($0) }, reader.issues.map(\.kind)))
  }
  return result
}

private func records(_ text: String, chunkSize: Int = 1 << 20) throws -> [(
  line: Int, fields: [String], issues: [CSVIssue.Kind]
)] {
  try records(Array(text.utf8), chunkSize: chunkSize)
}

@Suite struct CSVReaderTests {
  @Test func splitsFieldsAndRecordsWithLineNumbers() throws {
    let read = try records("a,b,c\n1,2,3\n")
    #expect(read.map(\.line) == [1, 2])
    #expect(read[1].fields == ["1", "2", "3"])
  }

  @Test func quotedFieldsHoldCommasLineBreaksAndDoubledQuotes() throws {
    let read = try records("h1,h2\n\"Teacher, Math\",\"two\nlines\"\n\"say \"\"hi\"\"\",x\nlast,row\n")
    #expect(read[1].fields == ["Teacher, Math", "two\nlines"])
    #expect(read[1].line == 2)
    // The record after a two-line field starts on line 4.
    #expect(read[2].line == 4)
    #expect(read[2].fields == ["say \"hi\"", "x"])
    #expect(read[3].line == 5)
  }

  @Test func crlfAndLoneCRAndNoFinalNewline() throws {
    let read = try records("a,b\r\n1,2\r3,4")
    #expect(read.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
    #expect(read.map(\.line) == [1, 2, 3])
  }

  @Test func byteOrderMarkIsSkipped() throws {
    let reader = CSVReader(source: MemoryByteSource([0xEF, 0xBB, 0xBF] + Array("first,x\n".utf8)))
    #expect(try reader.next())
    #expect(reader.fieldText(0) == "first")
    #expect(reader.hadByteOrderMark)
  }

  @Test func blankLinesAreSkippedButRemembered() throws {
    let reader = CSVReader(source: MemoryByteSource("a\n\n\nb\n"))
    #expect(try reader.next())
    #expect(try reader.next())
    #expect(reader.fieldText(0) == "b")
    #expect(reader.line == 4)
    #expect(reader.skippedBlankLines == [2, 3])
  }

  @Test func quotedEmptyFieldIsNotABlankLine() throws {
    let read = try records("a\n\"\"\n")
    #expect(read.count == 2)
    #expect(read[1].fields == [""])
  }

  @Test func unterminatedQuoteNamesTheLineWhereItOpened() throws {
    let read = try records("a,b\n1,\"open\n2,3\n4,5\n")
    #expect(read.count == 2)
    #expect(read[1].issues == [.unterminatedQuote])
    let reader = CSVReader(source: MemoryByteSource("a,b\n1,\"open\n2,3\n"))
    _ = try reader.next()
    _ = try reader.next()
    #expect(reader.issues.first?.line == 2)
  }

  @Test func strayQuoteAndTextAfterClosingQuoteAreKeptAndReported() throws {
    let read = try records("a,b\nO\"Brien,\"Smith\"Jr\n")
    #expect(read[1].fields == ["O\"Brien", "SmithJr"])
    #expect(read[1].issues == [.quoteInUnquotedField, .textAfterClosingQuote])
  }

  @Test func hugeFieldIsCutAtTheLimitAndReportedOnce() throws {
    let big = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000)
    let read = try records(
      Array("a,b\n".utf8) + big + Array(",end\n".utf8), limits: CSVLimits(maxFieldBytes: 1_000), chunkSize: 64)
    #expect(read[1].fields[0].count == 1_000)
    #expect(read[1].fields[1] == "end")
    #expect(read[1].issues == [.fieldTooLong(limit: 1_000)])
  }

  @Test func tooManyFieldsAreCountedNotStored() throws {
    let reader = CSVReader(
      source: MemoryByteSource(String(repeating: "x,", count: 50) + "x\n"), limits: CSVLimits(maxFields: 10))
    #expect(try reader.next())
    #expect(reader.fieldCount == 10)
    #expect(reader.rawFieldCount == 51)
    #expect(reader.issues.map(\.kind) == [.tooManyFields(limit: 10)])
  }

  /// Every chunk size must give the same records: boundaries may fall inside
  /// a quote pair, a CRLF or a multi-byte character.
  @Test(arguments: [1, 2, 3, 5, 7, 64])
  func chunkBoundariesDoNotChangeTheResult(chunkSize: Int) throws {
    let text = "h1,h2\r\n\"a \"\"q\"\", b\",Zoë 王\r\n\"multi\r\nline\",x\r\n\r\nlast,\"\"\r\n"
    let whole = try records(text)
    let chunked = try records(text, chunkSize: chunkSize)
    #expect(chunked.map(\.fields) == whole.map(\.fields))
    #expect(chunked.map(\.line) == whole.map(\.line))
    #expect(whole.map(\.line) == [1, 2, 3, 6])
  }

  @Test func emptyInputHasNoRecords() throws {
    #expect(try records("").isEmpty)
    #expect(try records([0xEF, 0xBB, 0xBF]).isEmpty)
  }
}

@Suite struct CSVReaderLeniencyTests {
  /// Values are trimmed anyway, so spaces around a quoted value are not
  /// worth an error: ` "Teacher, Math" ,x` is two fields.
  @Test func spacesAroundQuotedFieldsAreDropped() throws {
    let read = try records("a,b\n  \"Teacher, Math\"  ,x\n")
    #expect(read[1].fields == ["Teacher, Math", "x"])
    #expect(read[1].issues.isEmpty)
  }

  @Test func whitespaceOnlyLinesAreBlank() throws {
    let reader = CSVReader(source: MemoryByteSource("a\n  \t\nb\n"))
    #expect(try reader.next())
    #expect(try reader.next())
    #expect(reader.fieldText(0) == "b")
    #expect(reader.skippedBlankLines == [2])
  }

  @Test func loneCRInsideQuotesCountsAsALine() throws {
    let read = try records("a\r\"x\ry\"\rnext\r")
    #expect(read.map(\.line) == [1, 2, 4])
  }
}
