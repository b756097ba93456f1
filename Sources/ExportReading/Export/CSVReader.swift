import SyncModel

/// Streaming RFC 4180 reader over raw bytes.
///
/// Reads its source in fixed chunks, splits records on `,` and line breaks
/// (LF, CRLF, or a lone CR), honours quoting (commas, line breaks and doubled
/// quotes inside quoted fields), and remembers the physical line on which each
/// record starts. Fields are handed out as byte slices that stay valid until
/// the next call to `next()`; nothing is decoded here, so invalid UTF-8 is
/// left for the caller to report precisely.
public final class CSVReader {
  public let limits: CSVLimits

  // Line numbers are physical lines of the input (the header is line 1):
  // a quoted value with line breaks makes a record span several lines.

  /// The physical line on which the current record starts. (Findings name
  /// this line.)
  public private(set) var line = 0
  /// The physical line the next record starts on: one past the current
  /// record's last line. (A reader of a later part of a file numbers its
  /// lines from 1; the readers of the parts before say where they really
  /// start.)
  public var nextRecordLine: Int { physicalLine }
  /// Fields of the current record that were stored (at most `limits.maxFields`).
  public private(set) var fieldCount = 0
  /// Fields the current record really had, stored or not.
  public private(set) var rawFieldCount = 0
  /// Syntax problems of the current record.
  public private(set) var issues: [CSVIssue] = [] {
    didSet { hasIssues = !issues.isEmpty }
  }
  /// `!issues.isEmpty`, kept as a flag: asking the array costs a retain
  /// and a release on every record.
  public private(set) var hasIssues = false
  /// Lines holding nothing at all, skipped since the last record.
  public private(set) var skippedBlankLines: [Int] = []
  /// Bytes of earlier chunks (the current chunk is not counted).
  private var bytesConsumed = 0
  /// Where the source's first byte is in the file (a reader of a later part).
  private let startOffset: Int
  /// Offset in the file where the current record starts.
  public private(set) var recordOffset = 0
  /// When set, `next()` returns false instead of reading a record that
  /// starts at or after this offset (another reader has the rest).
  public var stopOffset: Int?
  /// The offset of the record `next()` stopped before, if it stopped.
  public private(set) var stoppedAt: Int?
  /// Whether the input started with a UTF-8 byte order mark (skipped).
  public private(set) var hadByteOrderMark = false
  /// Called before the chunk is overwritten with the next bytes of input:
  /// until then the fields of plain lines read from it stay where they are
  /// (`chunkBytes`), and whoever kept pointers to them must be done.
  public var chunkWillBeReused: (() -> Void)?

  private let source: ByteSource
  private let chunk: UnsafeMutableRawBufferPointer
  private var position = 0
  private var chunkEnd = 0
  private var atEndOfInput = false
  private var started = false
  /// The physical line the reader is on now, counting line breaks as it
  /// reads (inside quoted values too).
  private var physicalLine: Int
  private let startsFile: Bool

  private var storage: UnsafeMutablePointer<UInt8>
  private var storageCapacity = 4_096
  private var storageCount = 0
  /// Where the current record's fields are: `storage` (fields end to end)
  /// or, for a plain line, the chunk itself (fields a comma apart).
  private var fieldBase: UnsafePointer<UInt8>
  private var fieldGap = 0
  /// End of each stored field, from `fieldBase` (room for `maxFields`).
  private let fieldEnds: UnsafeMutablePointer<Int>
  /// The current record was a plain line (see `PlainLineScanner`) of ASCII
  /// text without control characters, and where its bytes are.
  private var recordIsPlainText = false
  private var plainRecordBytes = UnsafeRawBufferPointer(start: nil, count: 0)
  private var currentFieldStart = 0
  private var currentFieldTruncated = false
  private var currentRecordTruncated = false

  /// `startOffset` is where the source's first byte is in the file: 0 for
  /// a whole file, more when a reader takes over in the middle of one (which
  /// then has no byte order mark to look for). Chunks of 256 KiB stay in
  /// the core's cache while their rows are parsed (1 MiB chunks, the size
  /// of the whole cache here, made a warm million-row plan 4% slower).
  public init(
    source: ByteSource, limits: CSVLimits = .standard, chunkSize: Int = 1 << 18, startOffset: Int = 0
  ) {
    self.source = source
    self.limits = limits
    self.physicalLine = 1
    self.startOffset = startOffset
    self.startsFile = startOffset == 0
    self.chunk = .allocate(byteCount: max(chunkSize, 16), alignment: 16)
    self.storage = .allocate(capacity: storageCapacity)
    self.fieldBase = UnsafePointer(storage)
    self.fieldEnds = .allocate(capacity: max(limits.maxFields, 1))
  }

  deinit {
    chunk.deallocate()
    storage.deallocate()
    fieldEnds.deallocate()
  }

  /// The first bytes of the input, for recognising files that are not CSV
  /// text at all (spreadsheets, UTF-16). Reading starts after them as usual.
  public func peekPrefix(_ count: Int = 8) throws -> [UInt8] {
    try startIfNeeded()
    return Array(UnsafeRawBufferPointer(rebasing: chunk[position..<min(chunkEnd, position + count)]))
  }

  /// The chunk the reader reads into: a plain line's fields lie in it and
  /// stay valid until `chunkWillBeReused` is called (other fields only
  /// until the next call to `next()`).
  public var chunkBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(chunk) }

  /// The bytes of field `index` of the current record.
  @inline(__always)
  public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    let start = index == 0 ? 0 : fieldEnds[index - 1] + fieldGap
    return UnsafeBufferPointer(start: fieldBase + start, count: fieldEnds[index] - start)
  }

  /// The current record's stored fields, held in locals by a loop over
  /// them (the reader's own properties are reloaded after every store the
  /// loop makes). Valid until the next call to `next()`.
  public struct Fields {
    let base: UnsafePointer<UInt8>
    let gap: Int
    let ends: UnsafePointer<Int>
    public let count: Int

    /// The bytes of field `index`, as `CSVReader.field(_:)`.
    @inline(__always)
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
      let start = index == 0 ? 0 : ends[index - 1] + gap
      return UnsafeBufferPointer(start: base + start, count: ends[index] - start)
    }
  }

  @inline(__always)
  public var fields: Fields { Fields(base: fieldBase, gap: fieldGap, ends: fieldEnds, count: fieldCount) }

  /// Whether `bytes` (a field, or part of one, of the current record) is
  /// known to be ASCII without control characters, so that it needs no
  /// encoding or control-character check. False when unknown.
  @inline(__always)
  public func isKnownPlainText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard recordIsPlainText, let start = bytes.baseAddress, let recordStart = plainRecordBytes.baseAddress else {
      return false
    }
    let offset = recordStart.distance(to: UnsafeRawPointer(start))
    return offset >= 0 && offset + bytes.count <= plainRecordBytes.count
  }

  /// Whether the whole current record is a plain line of ASCII text
  /// without control characters: then every field, and every part of one,
  /// is known plain text (see `isKnownPlainText`).
  @inline(__always)
  public var isPlainTextRecord: Bool { recordIsPlainText }

  /// Field `index` decoded leniently (for messages and headers).
  public func fieldText(_ index: Int) -> String {
    String(decoding: field(index), as: UTF8.self)
  }

  /// Advances to the next record; false at the end of input.
  public func next() throws -> Bool {
    try startIfNeeded()
    if !skippedBlankLines.isEmpty { skippedBlankLines.removeAll(keepingCapacity: true) }
    while true {
      guard try readRecord() else { return false }
      // A line with nothing on it is not a record (RFC 4180 has no empty
      // records); it is skipped but remembered so no line goes unaccounted.
      if rawFieldCount == 1 && !hasIssues && !lastRecordHadQuotes && isBlank(field(0)) {
        skippedBlankLines.append(line)
        continue
      }
      return true
    }
  }

  private func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.allSatisfy { $0 == Byte.space || $0 == Byte.tab }
  }

  // MARK: - Reading

  private var lastRecordHadQuotes = false
  /// Whether a quote may still open the current field (only spaces so far).
  private var allowQuoteAfterSpaces = false

  private func readRecord() throws -> Bool {
    storageCount = 0
    currentRecordTruncated = false
    fieldCount = 0
    if hasIssues { issues.removeAll(keepingCapacity: true) }
    rawFieldCount = 0
    lastRecordHadQuotes = false
    recordIsPlainText = false
    guard try ensureByte() else { return false }
    recordOffset = startOffset + bytesConsumed + position
    if let stopOffset, recordOffset >= stopOffset {
      stoppedAt = recordOffset
      return false
    }
    line = physicalLine
    if readPlainLine() { return true }
    fieldBase = UnsafePointer(storage)
    fieldGap = 0
    return try readRecordByteByByte()
  }

  /// The common record, a plain line, read in place (see `PlainLineScanner`).
  @inline(__always)
  private func readPlainLine() -> Bool {
    let base = UnsafeRawPointer(chunk.baseAddress!)
    guard
      let plain = PlainLineScanner.scan(
        base, from: position, to: chunkEnd, fieldEnds: fieldEnds, maxFields: limits.maxFields,
        maxBytes: min(limits.maxFieldBytes, limits.maxRecordBytes))
    else { return false }
    let start = base + position
    fieldBase = start.assumingMemoryBound(to: UInt8.self)
    fieldGap = 1
    fieldCount = plain.fieldCount
    rawFieldCount = plain.fieldCount
    recordIsPlainText = plain.isPlainText
    plainRecordBytes = UnsafeRawBufferPointer(start: start, count: fieldEnds[plain.fieldCount - 1])
    position = plain.lineFeed + 1
    physicalLine += 1
    return true
  }

  /// Any record, a byte at a time, through the chunks, into `storage`.
  private func readRecordByteByByte() throws -> Bool {
    while true {
      beginField()
      guard try ensureByte() else {
        endField()
        return true
      }
      if chunkByte(position) == Byte.quote {
        position += 1
        lastRecordHadQuotes = true
        try readQuotedField()
      } else {
        allowQuoteAfterSpaces = true
        try readUnquotedRun()
      }
      endField()
      // Now at a delimiter, a line break or the end of input.
      guard try ensureByte() else { return true }
      let byte = chunkByte(position)
      position += 1
      if byte == Byte.comma { continue }
      if byte == Byte.carriageReturn {
        if try ensureByte(), chunkByte(position) == Byte.lineFeed { position += 1 }
      }
      physicalLine += 1
      return true
    }
  }

  /// Reads unquoted bytes up to a comma, a line break or the end of input.
  /// A stray quote is kept as a literal character and reported.
  private func readUnquotedRun() throws {
    while true {
      guard try ensureByte() else { return }
      let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
      var index = position
      while index < chunkEnd && Byte.continuesUnquotedRun(base[index]) { index += 1 }
      append(base + position, index - position)
      position = index
      if index == chunkEnd { continue }
      guard base[index] == Byte.quote else { return }
      position += 1
      if allowQuoteAfterSpaces && isBlank(currentFieldBytes) {
        // ` "Teacher, Math"`: spaces before the opening quote are dropped
        // (values are trimmed anyway), and the field is read as quoted.
        storageCount = currentFieldStart
        lastRecordHadQuotes = true
        try readQuotedField()
        return
      }
      issues.append(CSVIssue(kind: .quoteInUnquotedField, field: rawFieldCount, line: physicalLine))
      append(base + index, 1)
    }
  }

  private var currentFieldBytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: storage + currentFieldStart, count: storageCount - currentFieldStart)
  }

  /// Reads a quoted field after its opening quote, through its closing quote;
  /// text between the closing quote and the next delimiter is kept and reported.
  private func readQuotedField() throws {
    let openedOnLine = physicalLine
    var previousWasCR = false
    while true {
      guard try ensureByte() else {
        issues.append(CSVIssue(kind: .unterminatedQuote, field: rawFieldCount, line: openedOnLine))
        return
      }
      let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
      var index = position
      while index < chunkEnd && base[index] != Byte.quote {
        // Line breaks inside the value still move the line count: LF, CRLF
        // (once) and a lone CR (old Mac files) each start a new line.
        let byte = base[index]
        if byte == Byte.carriageReturn || (byte == Byte.lineFeed && !previousWasCR) { physicalLine += 1 }
        previousWasCR = byte == Byte.carriageReturn
        index += 1
      }
      append(base + position, index - position)
      position = index
      if index == chunkEnd { continue }
      previousWasCR = false
      position += 1  // the quote
      if try ensureByte(), chunkByte(position) == Byte.quote {
        append(base + position, 1)
        position += 1
        continue
      }
      break
    }
    // Spaces between the closing quote and the delimiter are dropped.
    var spaces: [UInt8] = []
    while try ensureByte(), chunkByte(position) == Byte.space || chunkByte(position) == Byte.tab {
      spaces.append(chunkByte(position))
      position += 1
    }
    guard try ensureByte() else { return }
    let after = chunkByte(position)
    if after != Byte.comma && after != Byte.lineFeed && after != Byte.carriageReturn {
      issues.append(CSVIssue(kind: .textAfterClosingQuote, field: rawFieldCount, line: physicalLine))
      spaces.withUnsafeBufferPointer { if let base = $0.baseAddress { append(base, $0.count) } }
      allowQuoteAfterSpaces = false
      try readUnquotedRun()
    }
  }

  // MARK: - Field storage

  private func beginField() {
    currentFieldStart = storageCount
    currentFieldTruncated = false
  }

  private func endField() {
    rawFieldCount += 1
    if rawFieldCount <= limits.maxFields {
      fieldEnds[fieldCount] = storageCount
      fieldCount += 1
    } else {
      storageCount = currentFieldStart
      if rawFieldCount == limits.maxFields + 1 {
        issues.append(
          CSVIssue(kind: .tooManyFields(limit: limits.maxFields), field: rawFieldCount - 1, line: physicalLine))
      }
    }
  }

  @inline(__always)
  private func append(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
    guard count > 0 else { return }
    var count = count
    let room = limits.maxFieldBytes - (storageCount - currentFieldStart)
    if count > room {
      if !currentFieldTruncated {
        currentFieldTruncated = true
        issues.append(CSVIssue(kind: .fieldTooLong(limit: limits.maxFieldBytes), field: rawFieldCount, line: line))
      }
      count = max(room, 0)
      if count == 0 { return }
    }
    if rawFieldCount >= limits.maxFields { return }
    let recordRoom = limits.maxRecordBytes - storageCount
    if count > recordRoom {
      if !currentRecordTruncated {
        currentRecordTruncated = true
        issues.append(CSVIssue(kind: .recordTooLong(limit: limits.maxRecordBytes), field: rawFieldCount, line: line))
      }
      count = max(recordRoom, 0)
      if count == 0 { return }
    }
    if storageCount + count > storageCapacity { grow(toFit: storageCount + count) }
    (storage + storageCount).update(from: bytes, count: count)
    storageCount += count
  }

  private func grow(toFit needed: Int) {
    var capacity = storageCapacity
    while capacity < needed { capacity *= 2 }
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    larger.update(from: storage, count: storageCount)
    storage.deallocate()
    storage = larger
    fieldBase = UnsafePointer(larger)
    storageCapacity = capacity
  }

  // MARK: - Chunks

  @inline(__always)
  private func chunkByte(_ index: Int) -> UInt8 {
    chunk.load(fromByteOffset: index, as: UInt8.self)
  }

  /// Makes sure a byte is available at `position`; false at the end of input.
  @inline(__always)
  private func ensureByte() throws -> Bool {
    if position < chunkEnd { return true }
    return try refill()
  }

  private func refill() throws -> Bool {
    guard !atEndOfInput else { return false }
    chunkWillBeReused?()
    bytesConsumed += chunkEnd
    position = 0
    chunkEnd = 0
    while chunkEnd == 0 {
      let count = try source.read(into: chunk)
      if count == 0 {
        atEndOfInput = true
        return false
      }
      chunkEnd = count
    }
    return true
  }

  private func startIfNeeded() throws {
    guard !started else { return }
    started = true
    // Fill the first chunk completely when the source delivers in pieces,
    // so signatures and the byte order mark are seen whole.
    while chunkEnd < min(chunk.count, 4) {
      let count = try source.read(
        into: UnsafeMutableRawBufferPointer(rebasing: chunk[chunkEnd...]))
      if count == 0 {
        atEndOfInput = true
        break
      }
      chunkEnd += count
    }
    if startsFile, chunkEnd >= 3, chunkByte(0) == 0xEF, chunkByte(1) == 0xBB, chunkByte(2) == 0xBF {
      hadByteOrderMark = true
      position = 3
    }
  }
}

enum Byte {
  static let quote = UInt8(ascii: "\"")
  static let comma = UInt8(ascii: ",")
  static let lineFeed = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")

  /// Whether a byte belongs to unquoted field content (not `,` `"` CR LF).
  /// All four specials are below 0x2D, so most bytes take one comparison.
  @inline(__always)
  static func continuesUnquotedRun(_ byte: UInt8) -> Bool {
    byte > comma || (byte != comma && byte != quote && byte != lineFeed && byte != carriageReturn)
  }
}
