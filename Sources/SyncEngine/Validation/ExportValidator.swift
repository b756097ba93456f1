import Dispatch
import Foundation
import SyncModel

/// Reads an export through its column mapping and checks every rule of
/// SPEC §3: syntax, headers, values, duplicates and, when a directory is
/// given, building IDs. One pass over the bytes; duplicates are resolved at
/// the end so that every line involved is named.
public enum ExportValidator {
  /// Validates a file. A large file is read in two halves on two cores;
  /// the result is the same as reading it in one pass (tests compare the
  /// two). Refused when the file is not a regular file, or changed while it
  /// was read.
  public static func validate(
    file path: String, options: ValidationOptions = ValidationOptions()
  ) throws(FileAccessError) -> ValidationResult {
    let file = try RegularFile(path: path)
    let result = try validate(file: file, options: options)
    try file.checkUnchanged()
    return result
  }

  /// Validates an opened file; the caller checks it is unchanged once it
  /// has also hashed it.
  package static func validate(file: RegularFile, options: ValidationOptions) throws(FileAccessError)
    -> ValidationResult
  {
    try validate(file: file, options: options, planner: nil as (() -> PlansNothing)?).result
  }

  /// Validates, and with `planner` also plans every row as it is read (one
  /// planner per reading thread); returns the planners whose rows count, in
  /// file order, and the final error flag of each row. The caller checks
  /// the file is unchanged once it has also hashed it.
  package static func validate<Planning: RowPlanner>(
    file: RegularFile, options: ValidationOptions, planner makePlanner: (() -> Planning)?
  ) throws(FileAccessError) -> (result: ValidationResult, planners: [Planning], rowHasError: [Bool]) {
    let path = file.path
    do {
      let size = file.size
      // The first run absorbs the second half's rows: size it for all.
      let run = ValidationRun(
        source: PausingByteSource.wrap(file.bytes()), name: path, options: options, expectedBytes: size)
      let firstPlanner = makePlanner?()
      run.planner = firstPlanner
      guard try run.readHeader() else { return (run.finish(), [], []) }
      var planners = firstPlanner.map { [$0] } ?? []
      if size >= options.parallelThreshold, run.isUsable,
        let split = try firstLineStart(in: file, after: size / 2), split > run.reader.recordOffset
      {
        let secondPlanner = makePlanner?()
        if try readInTwoHalves(run, file: file, split: split, options: options, planner: secondPlanner) != nil,
          let secondPlanner
        {
          planners.append(secondPlanner)
        }
      } else {
        try run.readRows()
      }
      let result = run.finish()
      return (result, planners, run.finalRowErrors)
    } catch let error as FileAccessError {
      throw error
    } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
  }

  public static func validate(
    source: ByteSource, name: String, options: ValidationOptions = ValidationOptions()
  ) throws(FileAccessError) -> ValidationResult {
    do {
      return try ValidationRun(source: source, name: name, options: options).execute()
    } catch let error as FileAccessError {
      throw error
    } catch {
      throw FileAccessError(path: name, reason: "\(error)")
    }
  }

  /// Reads the rest of the file in two halves at once. The second half
  /// starts at `split`, a guess: the start of a line, which is a record start
  /// unless a quoted value spans it. The first reader stops at the first
  /// record at or after `split`; if that record starts exactly there, the
  /// guess was right and the halves are joined, else the second half's work
  /// is dropped and the first reader goes on to the end. Either way the
  /// result is that of one pass.
  /// Returns the second run when its rows were joined, nil otherwise.
  @discardableResult
  private static func readInTwoHalves(
    _ first: ValidationRun, file: RegularFile, split: Int, options: ValidationOptions,
    planner: (any RowPlanner)? = nil
  ) throws -> ValidationRun? {
    // Both halves read the one opened file (never the path again).
    let second = ValidationRun(
      source: file.bytes(split..<file.size), name: file.path, options: options,
      startOffset: split, expectedBytes: file.size - split)
    second.planner = planner
    second.adoptHeader(from: first)
    first.reader.stopOffset = split
    let runs = UncheckedSendable([first, second])
    let failure = UncheckedSendable(ErrorSlot())
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      do { try runs.value[index].readRows() } catch { failure.value.record(error) }
    }
    first.reader.stopOffset = nil
    if first.reader.stoppedAt == split {
      if let error = failure.value.error { throw error }
      // The second half numbered its lines from 1; it starts on the line
      // after the first half's last line.
      second.shiftLines(by: first.reader.currentLineNumber - 1)
      second.planner?.shiftLines(by: first.reader.currentLineNumber - 1)
      first.absorb(second)
      return second
    } else {
      // The guess fell inside a quoted value: whatever the second half
      // found (or failed on) does not count.
      try first.readRows()
      return nil
    }
  }

  /// The offset just after the first line feed at or after `offset`.
  private static func firstLineStart(in file: RegularFile, after offset: Int) throws -> Int? {
    let source = file.bytes(offset..<file.size)
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var position = offset
    while true {
      let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
      if count == 0 { return nil }
      if let index = buffer[0..<count].firstIndex(of: Byte.lineFeed) { return position + index + 1 }
      position += count
    }
  }
}

/// A column and a lowercased source value whose rows the mapping skips.
struct SkipGroup: Hashable {
  let column: ExportColumn
  let value: String
}

/// The state of one validation pass.
final class ValidationRun {
  let name: String
  let options: ValidationOptions
  let reader: CSVReader
  private(set) var headerLine = 1
  /// Plans each row as it is read, when planning from scratch.
  var planner: (any RowPlanner)?
  /// What this run will likely read, to size its storage once.
  private let expectedBytes: Int
  private let expectedRows: Int
  private var headerRead = false
  private var headers: [String] = []

  private var findings: [Finding] = []
  private var columns: [ResolvedColumn] = []
  // `columns` flattened into plain arrays, read once per value per row.
  private var sourceFields: [Int] = []
  private var translates: [Bool] = []
  private var headerCount = 0
  private var rowCount = 0
  private var rowHasError: [Bool] = []
  private var rowLines: [Int] = []
  private var table: ExportTable?

  // The current row's values, one slice per column. A slice points into
  // the reader's record when the value is used as read (the common case:
  // no copy), into `owned` when it had to be rewritten (Windows-1252,
  // translation), or into `fixed` for constants and canonical spellings.
  // (A buffer, not an array: it is written ten times a row, and an array
  // would check it is uniquely referenced each time.)
  private let values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
  private let owned: [ByteSlot]
  private let fixed = FixedValues()
  private let allColumns = ExportColumn.allCases
  private lazy var hasOverrides = !options.overrides.isEmpty
  /// The directory's external IDs, read once (not per row).
  private let knownOrganizations: Set<String>?
  /// The same, found from bytes without making a string per row.
  private let knownOrganizationKeys: SmallKeyMap?
  // Constants and defaults of the mapping, as fixed slices per column.
  private var constantValues: [UnsafeBufferPointer<UInt8>?] = []
  private var defaultValues: [UnsafeBufferPointer<UInt8>?] = []

  // Held here rather than read from statics in the per-row path (a static
  // costs a lazy-initialisation check on every access).
  private let userTypes = Vocabulary.userTypeSet
  private let statuses = Vocabulary.statusSet
  private let grades = Vocabulary.gradeSet
  private let studentIndex = Vocabulary.userTypes.firstIndex(of: "Student")!

  // Keys seen for duplicate detection: this run's, plus those of a second
  // half once absorbed (with the row number its rows start at).
  private var customIDs = DuplicateFinder(foldsCase: false)
  private var emails = DuplicateFinder(foldsCase: true)
  private var absorbedKeys: (customIDs: DuplicateFinder, emails: DuplicateFinder, firstRow: Int)?
  private var ignored: [ExportColumn: (count: Int, lines: [Int])] = [:]
  private var organizationSuggestions: [String: (text: String?, value: String?)] = [:]
  /// Mapping features beyond renames (companions, skips, lists, `when`).
  private var mapper: RowMapper?
  /// Rows the mapping left out, by column and value (first spelling kept).
  private var skips: [SkipGroup: (value: String, count: Int, lines: [Int])] = [:]
  private var skippedRowCount = 0
  /// More rows than `CSVLimits.maxRows`: the export is refused.
  private var stoppedAtRowLimit = false
  /// Rows whose source held a list, by column (an example kept).
  private var lists: [ExportColumn: (count: Int, lines: [Int], example: String)] = [:]

  /// `startOffset` is where `source` starts in the file (a second half);
  /// `expectedBytes` how much of it this run is likely to read.
  init(
    source: ByteSource, name: String, options: ValidationOptions, startOffset: Int = 0, expectedBytes: Int? = nil
  ) {
    self.name = name
    self.options = options
    self.reader = CSVReader(
      source: options.progress.map { CountingByteSource(source, progress: $0) } ?? source, limits: options.limits,
      startOffset: startOffset)
    self.values = .allocate(capacity: ExportColumn.count)
    self.values.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
    self.knownOrganizations = options.directory?.organizationExternalIDs
    self.knownOrganizationKeys = knownOrganizations.map { known in
      SmallKeyMap(Dictionary(uniqueKeysWithValues: known.enumerated().map { ($0.element, $0.offset) }))
    }
    self.owned = (0..<ExportColumn.count).map { _ in ByteSlot() }
    // Size the duplicate finders up front (rows run about 100 bytes).
    self.expectedBytes = expectedBytes ?? source.sizeHint ?? 0
    let expectedRows = max(1 << 12, self.expectedBytes / 100)
    self.expectedRows = expectedRows
    customIDs = DuplicateFinder(foldsCase: false, expectedKeys: expectedRows)
    emails = DuplicateFinder(foldsCase: true, expectedKeys: expectedRows)
  }

  deinit { values.deallocate() }

  /// Reads and checks the whole input in one pass.
  func execute() throws -> ValidationResult {
    if try readHeader() { try readRows() }
    return finish()
  }

  /// Reads the header row and resolves the columns; false when there are
  /// no rows to read (not CSV text, or empty).
  func readHeader() throws -> Bool {
    if let problem = try fileSignatureProblem() {
      findings.append(problem)
      return false
    }
    guard try reader.next() else {
      findings.append(Finding(code: .emptyFile, line: nil, message: "\(name) is empty: no header row"))
      return false
    }
    reportBlankLines()
    headerLine = reader.line
    headers = (0..<reader.fieldCount).map { reader.fieldText($0) }
    headerCount = reader.rawFieldCount
    if let unreadable = headerSyntaxProblem() {
      // Resolving columns from a broken header would only add noise.
      findings.append(unreadable)
      columns = ExportColumn.allCases.map {
        ResolvedColumn(column: $0, source: .missing, defaultValue: nil, translations: [:], foldedTranslations: [:])
      }
    } else {
      var companions: [CompanionTable] = []
      for file in options.mapping.companions {
        switch CompanionTable.load(file, besides: name, origin: options.mapping.origin, limits: options.limits) {
        case .success(let table): companions.append(table)
        case .failure(let problem): findings.append(problem.finding)
        }
      }
      let resolution = HeaderResolver(mapping: options.mapping, companions: companions).resolve(headers)
      findings += resolution.findings
      if !resolution.isUsable, options.mapping.isIdentity, let fit = PresetRecognition.recognize(headers),
        let preset = MappingPreset.named(fit.preset)
      {
        findings.append(
          Finding(
            code: .presetFits, line: 1, value: preset.name,
            message:
              "the headers look like a \(preset.title) (\(fit.matched) of the \(fit.total) headers the preset reads)",
            suggestion: "pass --mapping \(preset.name) (or --mapping auto)", suggestedValue: preset.name))
      }
      columns = resolution.columns
      mapper = RowMapper(columns: columns, companions: companions, keyFields: resolution.companionKeyFields)
    }
    flattenColumns()
    if isUsable && options.keepsRows { table = ExportTable(expectedRows: expectedRows, expectedBytes: expectedBytes) }
    headerRead = true
    return true
  }

  /// Takes the resolved header of the run that read the first half.
  func adoptHeader(from first: ValidationRun) {
    headerLine = first.headerLine
    headers = first.headers
    headerCount = first.headerCount
    columns = first.columns
    mapper = first.mapper.map { RowMapper(copying: $0) }
    flattenColumns()
    if first.table != nil { table = ExportTable(expectedRows: expectedRows, expectedBytes: expectedBytes) }
    headerRead = true
  }

  /// Moves every line number by `delta` (a second half that numbered its
  /// lines from 1).
  func shiftLines(by delta: Int) {
    guard delta != 0 else { return }
    rowLines = rowLines.map { $0 + delta }
    for index in findings.indices {
      findings[index].line = findings[index].line.map { $0 + delta }
      findings[index].relatedLines = findings[index].relatedLines.map { $0 + delta }
    }
    for (column, entry) in ignored { ignored[column] = (entry.count, entry.lines.map { $0 + delta }) }
    for (group, entry) in skips { skips[group] = (entry.value, entry.count, entry.lines.map { $0 + delta }) }
    for (column, entry) in lists { lists[column] = (entry.count, entry.lines.map { $0 + delta }, entry.example) }
    table?.shiftLines(by: delta)
  }

  /// Appends the rows and findings of the run that read the second half.
  func absorb(_ second: ValidationRun) {
    let rowOffset = rowCount
    rowCount += second.rowCount
    rowLines += second.rowLines
    rowHasError += second.rowHasError
    findings += second.findings
    absorbedKeys = (second.customIDs, second.emails, rowOffset)
    for (column, entry) in second.ignored {
      var merged = ignored[column] ?? (0, [])
      merged.count += entry.count
      merged.lines += entry.lines.prefix(max(0, 10 - merged.lines.count))
      ignored[column] = merged
    }
    skippedRowCount += second.skippedRowCount
    stoppedAtRowLimit = stoppedAtRowLimit || second.stoppedAtRowLimit
    for (group, entry) in second.skips {
      var merged = skips[group] ?? (entry.value, 0, [])
      merged.count += entry.count
      merged.lines += entry.lines.prefix(max(0, 10 - merged.lines.count))
      skips[group] = merged
    }
    for (column, entry) in second.lists {
      var merged = lists[column] ?? (0, [], entry.example)
      merged.count += entry.count
      merged.lines += entry.lines.prefix(max(0, 10 - merged.lines.count))
      lists[column] = merged
    }
    if let table, let other = second.table { table.append(contentsOf: other) }
  }

  /// Cross-row checks once every row is read, and the result.
  func finish() -> ValidationResult {
    if stoppedAtRowLimit || rowCount > options.limits.maxRows {
      findings.append(
        Finding(
          code: .tooManyRows, line: nil,
          message:
            "\(name) has more than \(options.limits.maxRows) rows; sis-sync reads at most that many, so none is used",
          suggestion: "split the export (by school, for instance) and sync each part"))
    }
    if headerRead {
      if rowCount == 0 && isUsable {
        findings.append(
          Finding(code: .noDataRows, line: headerLine, message: "\(name) has a header line but no rows"))
      }
      if isUsable { reportDuplicates() }
      reportIgnoredValues()
      reportMappingNotes()
      if options.directory == nil && isUsable {
        findings.append(
          Finding(
            code: .directoryChecksSkipped, line: nil,
            message: "no directory given: building IDs were not checked against the directory"))
      }
    }
    let rowsWithErrors = rowHasError.reduce(0) { $0 + ($1 ? 1 : 0) }
    if let table {
      for (row, hasError) in rowHasError.enumerated() where hasError { table.markError(row: row) }
    }
    var result = ValidationResult(
      exportName: name, rowCount: rowCount, rowsWithErrors: rowsWithErrors,
      findings: findingsInReadingOrder(), headers: headers, mappingOrigin: options.mapping.origin,
      directoryChecked: options.directory != nil && isUsable, table: isUsable ? table : nil)
    result.rowsSkippedByMapping = skippedRowCount
    result.sourceFields = columns.isEmpty ? [] : ExportColumn.allCases.map(fieldNumber)
    return result
  }

  var isUsable: Bool { !findings.contains { $0.code.isFatal } }

  /// Each row's error flag once duplicates are known (after `finish`).
  var finalRowErrors: [Bool] { rowHasError }

  // MARK: - File and header

  private func fileSignatureProblem() throws -> Finding? {
    let prefix = try reader.peekPrefix(4_096)
    func problem(_ what: String, _ fix: String) -> Finding {
      Finding(code: .notCSVText, line: nil, message: "\(name) \(what), not CSV text", suggestion: fix)
    }
    let saveAsCSV = "save it as \"CSV UTF-8 (comma delimited)\" and try again"
    if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
      return problem("looks like an Excel workbook (.xlsx) or a zip archive", saveAsCSV)
    }
    if prefix.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
      return problem("looks like an old Excel workbook (.xls)", saveAsCSV)
    }
    if prefix.starts(with: Array("%PDF".utf8)) {
      return problem("is a PDF document", "export the data as CSV from the SIS")
    }
    if prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF]) {
      return problem("is UTF-16 text (\"Unicode text\")", saveAsCSV)
    }
    let nulCount = prefix.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    if nulCount > 0 && nulCount * 8 >= prefix.count / 8 {
      return problem("holds binary data (\(nulCount) NUL bytes in its first \(prefix.count))", saveAsCSV)
    }
    return nil
  }

  /// A header line with a syntax error makes every column guesswork: one
  /// fatal finding says so. (A stray quote is only a warning.)
  private func headerSyntaxProblem() -> Finding? {
    for issue in reader.issues {
      let finding = syntaxFinding(issue, line: reader.line)
      if finding.severity == .error {
        return Finding(
          code: .missingHeader, line: reader.line, field: issue.field + 1,
          message: "the header line cannot be read: \(finding.message)", suggestion: finding.suggestion)
      }
      findings.append(finding)
    }
    return nil
  }

  private func reportBlankLines() {
    for blank in reader.skippedBlankLines {
      findings.append(Finding(code: .blankLine, line: blank, message: "the line is blank and was skipped"))
    }
  }

  private func flattenColumns() {
    sourceFields = columns.map {
      if case .field(let index) = $0.source { return index }
      return -1
    }
    constantValues = columns.map {
      if case .constant(let bytes) = $0.source { return fixed.keep(bytes) }
      return nil
    }
    defaultValues = columns.map { $0.defaultValue.map { fixed.keep($0) } }
    translates = columns.map(\.hasTranslations)
  }

  // MARK: - Rows

  func readRows() throws {
    let usable = isUsable
    while try reader.next() {
      reportBlankLines()
      // Memory grows with rows: past the limit, stop reading (refused at the end).
      if rowCount >= reader.limits.maxRows {
        stoppedAtRowLimit = true
        break
      }
      if usable, let mapper, let skip = mapper.skipMatch(reader) {
        noteSkipped(skip.column, skip.value, line: reader.line)
        continue
      }
      let row = rowCount
      rowCount += 1
      rowLines.append(reader.line)
      rowHasError.append(false)
      if usable { processRow(row) }
    }
    reportBlankLines()
  }

  private func processRow(_ row: Int) {
    let line = reader.line
    for issue in reader.issues {
      let finding = syntaxFinding(issue, line: line)
      findings.append(finding)
      if finding.severity == .error { rowHasError[row] = true }
    }
    let shapeIsRight = reader.rawFieldCount == headerCount
    // An unterminated quote or an over-long field already explains the row;
    // checking its values would only add knock-on findings.
    let readWhole = !reader.issues.contains {
      $0.kind == .unterminatedQuote || $0.kind == .fieldTooLong(limit: reader.limits.maxFieldBytes)
        || $0.kind == .recordTooLong(limit: reader.limits.maxRecordBytes)
    }
    let tooManyFields = reader.issues.contains { $0.kind == .tooManyFields(limit: reader.limits.maxFields) }
    if !shapeIsRight && readWhole && !tooManyFields {
      findings.append(
        Finding(
          code: .wrongFieldCount, line: line, value: nil,
          message: "the row has \(reader.rawFieldCount) fields; the header has \(headerCount)",
          suggestion: reader.rawFieldCount > headerCount
            ? "a value with a comma is probably not quoted" : "a value or a comma is missing"))
      rowHasError[row] = true
    }
    buildValues(line: line, row: row)
    if shapeIsRight && readWhole { checkValues(line: line, row: row) }
    table?.append(line: line, values: UnsafeBufferPointer(values))
    planner?.process(line: line, values: UnsafeBufferPointer(values), hasError: rowHasError[row])
  }

  /// Points `values` at each column's value: decoded (Windows-1252 when not
  /// UTF-8), trimmed, translated, defaulted.
  private func buildValues(line: Int, row: Int) {
    if let mapper {
      buildMappedValues(mapper, line: line)
      return
    }
    for column in allColumns {
      let slot = column.rawValue
      var value = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
      let fieldIndex = sourceFields[slot]
      if fieldIndex >= 0 {
        if fieldIndex < reader.fieldCount {
          value = decoded(trimmed(reader.field(fieldIndex)), column: column, field: fieldIndex + 1, line: line)
        }
      } else if let constant = constantValues[slot] {
        value = constant
      }
      if translates[slot], !value.isEmpty,
        let translated = columns[slot].translate(String(decoding: value, as: UTF8.self))
      {
        value = owned[slot].store(translated.utf8)
      }
      if value.isEmpty, let defaultValue = defaultValues[slot] { value = defaultValue }
      values[slot] = value
    }
    if hasOverrides { applyOverrides(line: line) }
  }

  /// `buildValues` for mappings with companions, lists or `when` rules.
  private func buildMappedValues(_ mapper: RowMapper, line: Int) {
    mapper.prepare(reader)
    var missingCompanion: CompanionTable?
    for column in allColumns {
      let slot = column.rawValue
      let resolved = columns[slot]
      var value = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
      switch resolved.source {
      case .field(let index) where index < reader.fieldCount:
        value = decoded(trimmed(reader.field(index)), column: column, field: index + 1, line: line)
      case .constant:
        value = constantValues[slot] ?? value
      case .companion(let companion, let field):
        if let text = mapper.companionValue(companion, field) {
          value = owned[slot].store(text.utf8)
        } else {
          missingCompanion = mapper.missingCompanion(for: resolved)
        }
      default:
        break
      }
      if resolved.firstOfList, value.contains(0x2C) {
        let text = String(decoding: value, as: UTF8.self)
        value = owned[slot].store(RowMapper.firstItem(text).first.utf8)
        noteList(column, text, line: line)
      }
      if translates[slot], !value.isEmpty, let translated = resolved.translate(String(decoding: value, as: UTF8.self)) {
        value = owned[slot].store(translated.utf8)
      }
      if let target = mapper.conditionTarget(resolved, reader) { value = owned[slot].store(target) }
      if value.isEmpty, let defaultValue = defaultValues[slot] { value = defaultValue }
      values[slot] = value
    }
    if let missingCompanion {
      let key = missingCompanion.file.matches
      findings.append(
        Finding(
          code: .noCompanionRow, line: line, column: nil, value: nil,
          message: "\(missingCompanion.path) has no row whose \(missingCompanion.file.key) is this row's \(key)"))
    }
    if hasOverrides { applyOverrides(line: line) }
  }

  private func noteSkipped(_ column: ExportColumn, _ value: String, line: Int) {
    skippedRowCount += 1
    let group = SkipGroup(column: column, value: value.lowercased())
    var entry = skips[group] ?? (value, 0, [])
    entry.count += 1
    if entry.lines.count < 10 { entry.lines.append(line) }
    skips[group] = entry
  }

  private func noteList(_ column: ExportColumn, _ value: String, line: Int) {
    var entry = lists[column] ?? (0, [], value)
    entry.count += 1
    if entry.lines.count < 10 { entry.lines.append(line) }
    lists[column] = entry
  }

  /// One finding per skipped value and per listed column, with a count.
  private func reportMappingNotes() {
    func sourceName(_ column: ExportColumn) -> String {
      let source = options.mapping.rule(for: column).source ?? column.header
      guard let reference = CompanionReference(source),
        let file = options.mapping.companions.first(where: { $0.name == reference.file })
      else { return source }
      return "\(reference.header) (\(file.path))"
    }
    for (group, entry) in skips.sorted(by: { ($0.key.column, $0.key.value) < ($1.key.column, $1.key.value) }) {
      let source = sourceName(group.column)
      let rows = entry.count == 1 ? "1 row" : "\(entry.count) rows"
      findings.append(
        Finding(
          code: .skippedByMapping, line: entry.lines.first, column: group.column.header, value: entry.value,
          message:
            "\(rows) with \(source) '\(entry.value)' left out by the mapping ("
            + (entry.lines.count == 1 ? "line " : "lines ") + entry.lines.map(String.init).joined(separator: ", ")
            + (entry.count > entry.lines.count ? ", …)" : ")"),
          relatedLines: Array(entry.lines.dropFirst()), relatedCount: entry.count - 1))
    }
    for (column, entry) in lists.sorted(by: { $0.key < $1.key }) {
      let source = sourceName(column)
      findings.append(
        Finding(
          code: .firstOfList, line: entry.lines.first, column: column.header, value: entry.example,
          message:
            "\(entry.count == 1 ? "1 row lists" : "\(entry.count) rows list") several values in \(source) "
            + "(such as '\(entry.example)'); the first is used",
          relatedLines: Array(entry.lines.dropFirst()), relatedCount: entry.count - 1))
    }
  }

  /// Review decisions: a replaced custom_id or building ID on one line, and
  /// building IDs remapped for every row.
  private func applyOverrides(line: Int) {
    let school = ExportColumn.schoolExternalID.rawValue
    if !options.overrides.buildingRemaps.isEmpty,
      let remapped = options.overrides.buildingRemaps[String(decoding: values[school], as: UTF8.self)]
    {
      values[school] = owned[school].store(remapped.utf8)
    }
    for (column, map) in options.overrides.valueMaps {
      let slot = column.rawValue
      if let mapped = map[String(decoding: values[slot], as: UTF8.self).lowercased()] {
        values[slot] = owned[slot].store(mapped.utf8)
      }
    }
    for (column, value) in options.overrides.byLine[line] ?? [:] {
      values[column.rawValue] = owned[column.rawValue].store(value.utf8)
    }
  }

  /// The value itself when it is UTF-8; else its Windows-1252 reading,
  /// reported so the reviewer can check the name.
  private func decoded(
    _ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, field: Int, line: Int
  ) -> UnsafeBufferPointer<UInt8> {
    if !TextDecoding.classify(value).hasNonASCII || TextDecoding.isValidUTF8(value) { return value }
    let text = TextDecoding.windows1252ToUTF8(value)
    findings.append(
      Finding(
        code: .windows1252, line: line, column: column.header, field: field,
        value: String(decoding: text, as: UTF8.self),
        message: "\(column.header) is not valid UTF-8; read as Windows-1252"))
    return owned[column.rawValue].store(text)
  }

  /// Without leading and trailing spaces, tabs, line breaks and no-break
  /// spaces (U+00A0, common in spreadsheet exports).
  private func trimmed(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard let base = value.baseAddress, !value.isEmpty else { return value }
    var start = 0
    var end = value.count
    while start < end {
      let byte = base[start]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        start += 1
      } else if byte == 0xC2, start + 1 < end, base[start + 1] == 0xA0 {
        start += 2
      } else {
        break
      }
    }
    while end > start {
      let byte = base[end - 1]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        end -= 1
      } else if byte == 0xA0, end - 2 >= start, base[end - 2] == 0xC2 {
        end -= 2
      } else {
        break
      }
    }
    return UnsafeBufferPointer(start: base + start, count: end - start)
  }

  // MARK: - Checks

  private func checkValues(line: Int, row: Int) {
    var userType: Int?
    var userTypeValid = true
    do {
      for column in allColumns {
        let value = values[column.rawValue]
        if !checkGeneric(value, column: column, line: line, row: row) { continue }
        switch column {
        case .email:
          checkEmail(value, line: line, row: row)
        case .customID:
          checkCustomID(value, line: line, row: row)
        case .userType:
          userType = checkVocabulary(value, column: .userType, line: line, row: row)
          userTypeValid = userType != nil
        case .status:
          _ = checkVocabulary(value, column: .status, line: line, row: row)
        case .schoolExternalID:
          checkOrganization(value, line: line, row: row)
        default:
          break
        }
      }
      guard userTypeValid, let userType else { return }
      let isStudent = userType == studentIndex
      let grade = values[ExportColumn.grade.rawValue]
      let position = values[ExportColumn.position.rawValue]
      if isStudent {
        if grade.isEmpty {
          values[ExportColumn.grade.rawValue] = fixed.grades[0]  // Unspecified
        } else if ValueRules.forbiddenControlCharacter(in: grade, column: .grade) == nil {
          _ = checkVocabulary(grade, column: .grade, line: line, row: row)
        }
        if !position.isEmpty { noteIgnored(.position, line: line) }
      } else if !grade.isEmpty {
        noteIgnored(.grade, line: line)
        values[ExportColumn.grade.rawValue] = fixed.empty
      }
      if isStudent && !position.isEmpty { values[ExportColumn.position.rawValue] = fixed.empty }
    }
  }

  /// Control characters, required values and lengths. False when the value
  /// is already in error (or empty) and needs no further checks.
  private func checkGeneric(_ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, line: Int, row: Int) -> Bool {
    let field = fieldNumber(column)
    if value.isEmpty {
      if column.isRequired && !(column == .customID && options.customIDOptional) {
        error(.missingValue, line, row, column, value: "", "\(column.header) is empty")
      }
      return false
    }
    let classes = TextDecoding.classify(value)
    // C1 controls and bidi controls are multi-byte: only non-ASCII values
    // are scanned for them.
    if classes.hasControl || classes.hasNonASCII,
      let control = ValueRules.forbiddenControlCharacter(in: value, column: column)
    {
      let name =
        switch control.value {
        case 0: "a NUL byte"
        case 0x80...: "the control character " + VisibleText.escape(control).dropFirst().dropLast()
        default: "the control character 0x" + String(control.value, radix: 16, uppercase: true)
        }
      error(.controlCharacter, line, row, column, value: text(value), "\(column.header) contains \(name)")
      return false
    }
    if classes.hasNonASCII, let bidi = ValueRules.bidiControl(in: value) {
      let code = VisibleText.escape(bidi).dropFirst().dropLast()
      findings.append(
        Finding(
          code: .bidiControl, line: line, column: column.header, field: field, value: text(value),
          message: "\(column.header) holds the bidi control \(code), which changes the order the text displays in"))
    }
    if classes.hasControl, column == .firstName || column == .middleName || column == .lastName,
      value.contains(0x0A) || value.contains(0x0D)
    {
      findings.append(
        Finding(
          code: .lineBreakInName, line: line, column: column.header, field: field, value: text(value),
          message: "\(column.header) spans more than one line"))
    }
    let length = classes.hasNonASCII ? ValueRules.scalarCount(value) : value.count
    if length > column.maximumLength {
      error(
        .valueTooLong, line, row, column, value: text(value),
        "\(column.header) is \(length) characters long; at most \(column.maximumLength) are accepted")
      return false
    }
    return true
  }

  private func checkEmail(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    if !ValueRules.isValidEmail(value) {
      let shown = text(value)
      let repaired = ValueRules.repairedEmail(shown)
      error(
        .invalidEmail, line, row, .email, value: shown, "'\(shown)' is not a valid email address",
        suggestion: repaired.map { "did you mean '\($0)'?" }, suggestedValue: repaired)
    }
    emails.add(value, row: row)
  }

  private func checkCustomID(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    if ValueRules.looksSpreadsheetMangled(value) {
      findings.append(
        Finding(
          code: .spreadsheetMangledID, line: line, column: ExportColumn.customID.header,
          field: fieldNumber(.customID), value: text(value),
          message: "custom_id '\(text(value))' looks like a number reformatted by a spreadsheet",
          suggestion: "format the ID column as Text and export again"))
    }
    customIDs.add(value, row: row)
  }

  /// Checks an enum value; returns its canonical index when accepted.
  private func checkVocabulary(
    _ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, line: Int, row: Int
  ) -> Int? {
    // Matched on the stored sets directly: copying one would retain its arrays.
    let match =
      switch column {
      case .userType: userTypes.match(value)
      case .status: statuses.match(value)
      default: grades.match(value)
      }
    if case .exact(let index) = match { return index }
    let set =
      switch column {
      case .userType: userTypes
      case .status: statuses
      default: grades
      }
    switch match {
    case .exact(let index):
      return index
    case .caseInsensitive(let index):
      let canonical = set.values[index]
      findings.append(
        Finding(
          code: .caseNormalised, line: line, column: column.header, field: fieldNumber(column),
          value: text(value), message: "\(column.header) '\(text(value))' was read as '\(canonical)'",
          suggestedValue: canonical))
      values[column.rawValue] =
        switch column {
        case .userType: fixed.userTypes[index]
        case .status: fixed.statuses[index]
        default: fixed.grades[index]
        }
      return index
    case .none:
      let shown = text(value)
      let code: FindingCode =
        switch column {
        case .userType: .invalidUserType
        case .status: .invalidStatus
        default: .invalidGrade
        }
      let guess = ValueRules.suggestedVocabularyValue(shown, column: column)
      var suggestion = "use one of " + set.values.joined(separator: ", ")
      if let guess {
        suggestion =
          "did you mean '\(guess)'? A mapping file can translate every such value: [\(column.header)] value \(shown) = \(guess)"
      }
      error(
        code, line, row, column, value: shown, "'\(shown)' is not a valid \(column.header)",
        suggestion: suggestion, suggestedValue: guess)
      return nil
    }
  }

  private func checkOrganization(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    guard let known = knownOrganizations, knownOrganizationKeys?.find(value) == nil else { return }
    let id = text(value)
    let hint =
      organizationSuggestions[id]
      ?? {
        let computed = Self.organizationSuggestion(for: id, known: known)
        organizationSuggestions[id] = computed
        return computed
      }()
    error(
      .unknownOrganization, line, row, .schoolExternalID, value: id,
      "no organization in the directory has the external ID '\(id)'",
      suggestion: hint.text, suggestedValue: hint.value)
  }

  /// A known external ID equal once leading zeros are restored or removed, or
  /// the single known ID one edit away.
  static func organizationSuggestion(for id: String, known: Set<String>) -> (text: String?, value: String?) {
    let stripped = id.drop(while: { $0 == "0" })
    let candidates = known.filter { $0 != id && !stripped.isEmpty && $0.drop(while: { $0 == "0" }) == stripped }
    if let zeros = candidates.min() {
      return ("did you mean '\(zeros)'? (leading zeros differ)", zeros)
    }
    let near = known.filter { isOneEditAway($0, id) }.sorted()
    if near.count == 1 { return ("did you mean '\(near[0])'? (one character differs)", near[0]) }
    if near.count > 1 { return ("close to " + near.map { "'\($0)'" }.joined(separator: ", "), nil) }
    return ("set this external ID on an organization in the directory, or correct it in the SIS", nil)
  }

  private func noteIgnored(_ column: ExportColumn, line: Int) {
    var entry = ignored[column] ?? (0, [])
    entry.count += 1
    if entry.lines.count < 10 { entry.lines.append(line) }
    ignored[column] = entry
  }

  private func reportIgnoredValues() {
    for (column, entry) in ignored.sorted(by: { $0.key < $1.key }) {
      let who = column == .grade ? "rows that are not students" : "students"
      findings.append(
        Finding(
          code: .ignoredValue, line: entry.lines.first, column: column.header, field: fieldNumber(column),
          message: "\(column.header) is ignored for \(entry.count) \(who)"
            + (entry.count > entry.lines.count ? " (first lines listed)" : ""),
          relatedLines: Array(entry.lines.dropFirst()), relatedCount: entry.count - 1))
    }
  }

  private func reportDuplicates() {
    var duplicates: [Finding] = []
    func report(_ parts: [DuplicateFinder], code: FindingCode, column: ExportColumn) {
      let firstRows = [0, absorbedKeys?.firstRow ?? 0]
      for group in DuplicateFinder.duplicateGroups(parts) {
        let rows = group.map { firstRows[$0.part] + Int(parts[$0.part].rows[$0.entry]) }
        let lines = rows.map { rowLines[$0] }
        // One message for the group, and at most `LineList.cap` related
        // lines per finding: a value shared by 100,000 rows costs linear
        // memory, not a list of every other line in each finding. Past the
        // first lines every finding lists the same ones, and the value is
        // mostly spelled the same: one copy of each is shared.
        let first = Array(lines.prefix(LineList.cap))
        let message = "the same \(column.header) is on " + LineList.describe(first: first, total: lines.count)
        var value = ""
        for (position, occurrence) in group.enumerated() {
          rowHasError[rows[position]] = true
          let spelled = parts[occurrence.part].key(occurrence.entry)
          if spelled != value { value = spelled }
          duplicates.append(
            Finding(
              code: code, line: lines[position], column: column.header, field: fieldNumber(column),
              value: value, message: message,
              suggestion: "keep one row per person; correct or exclude the others",
              relatedLines: position < LineList.cap ? LineList.others(of: lines, except: position) : first,
              relatedCount: lines.count - 1))
        }
      }
    }
    report([customIDs] + (absorbedKeys.map { [$0.customIDs] } ?? []), code: .duplicateCustomID, column: .customID)
    report([emails] + (absorbedKeys.map { [$0.emails] } ?? []), code: .duplicateEmail, column: .email)
    findings += duplicates
  }

  // MARK: - Helpers

  private func findingsInReadingOrder() -> [Finding] {
    findings.enumerated().sorted { lhs, rhs in
      let left = lhs.element
      let right = rhs.element
      if (left.line ?? 0) != (right.line ?? 0) { return (left.line ?? 0) < (right.line ?? 0) }
      if (left.field ?? 0) != (right.field ?? 0) { return (left.field ?? 0) < (right.field ?? 0) }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }

  private func syntaxFinding(_ issue: CSVIssue, line: Int) -> Finding {
    let field = issue.field + 1
    let column = columns.first(where: {
      if case .field(let index) = $0.source { return index == issue.field }
      return false
    })?.column.header
    switch issue.kind {
    case .unterminatedQuote:
      return Finding(
        code: .unterminatedQuote, line: issue.line, column: column, field: field,
        message:
          "a quoted field opens here and is never closed; the rest of the file was read as one field",
        suggestion: "a value probably holds a single \" that should be doubled")
    case .fieldTooLong(let limit):
      return Finding(
        code: .fieldTooLong, line: line, column: column, field: field,
        message: "field \(field) is longer than \(limit / 1024) KiB; only its start was kept")
    case .quoteInUnquotedField:
      return Finding(
        code: .strayQuote, line: issue.line, column: column, field: field,
        message: "field \(field) has a \" inside an unquoted value; kept as a literal quote")
    case .textAfterClosingQuote:
      return Finding(
        code: .textAfterQuote, line: issue.line, column: column, field: field,
        message: "field \(field) has text after its closing quote")
    case .tooManyFields(let limit):
      return Finding(
        code: .wrongFieldCount, line: line, field: field,
        message: "the row has more than \(limit) fields; the extra ones were not read")
    case .recordTooLong(let limit):
      return Finding(
        code: .fieldTooLong, line: line, field: field,
        message:
          "the row is longer than \(limit >> 20) MiB (is the file missing its line breaks?); only its start was kept",
        suggestion: "save the file again as CSV, one person per line")
    }
  }

  private func fieldNumber(_ column: ExportColumn) -> Int? {
    if case .field(let index) = columns[column.rawValue].source { return index + 1 }
    return nil
  }

  /// A value as shown in a finding: whole up to 200 characters, then cut
  /// with its length, so one runaway field cannot bloat a report.
  private func text(_ value: UnsafeBufferPointer<UInt8>) -> String {
    let limit = 200
    guard value.count > limit * 4 || ValueRules.scalarCount(value) > limit else {
      return String(decoding: value, as: UTF8.self)
    }
    let whole = String(decoding: value, as: UTF8.self)
    return String(whole.unicodeScalars.prefix(limit)) + "… (\(whole.unicodeScalars.count) characters)"
  }

  private func error(
    _ code: FindingCode, _ line: Int, _ row: Int, _ column: ExportColumn, value: String, _ message: String,
    suggestion: String? = nil, suggestedValue: String? = nil
  ) {
    rowHasError[row] = true
    findings.append(
      Finding(
        code: code, line: line, column: column.header, field: fieldNumber(column), value: value,
        message: message, suggestion: suggestion, suggestedValue: suggestedValue))
  }
}
