import Dispatch
import SyncModel

/// A column and a lowercased source value whose rows the mapping skips.
struct SkipGroup: Hashable {
  let column: ExportColumn
  let value: String
}

/// The state of one validation pass: reads the header, then each row
/// (assembling its values, then checking them), and at the end the
/// cross-row checks. The jobs live beside it: FileSniffing.swift (is it
/// CSV text?), ExportHeaderResolution.swift (columns, companions, preset),
/// ValueAssembly.swift (a row's values), ValueChecks.swift (their rules),
/// ValidationMessages.swift (the words of every finding).
final class ValidationRun {
  let name: String
  let options: ValidationOptions
  let reader: CSVReader
  private(set) var headerLine = 1
  /// Plans each row as it is read, when planning from scratch.
  let planner: (any RowPlanner)?
  /// What this run will likely read, to size its storage once.
  private let expectedBytes: Int
  private let expectedRows: Int
  private var headerRead = false
  private(set) var headers: [String] = []

  var findings: [Finding] = []
  var columns: [ResolvedColumn] = []
  // `columns` flattened into plain arrays, read once per value per row
  // (see `flattenColumns`).
  var sourceFields: [Int] = []
  var translates: [Bool] = []
  var usesMapper: [Bool] = []
  var constantValues: [UnsafeBufferPointer<UInt8>?] = []
  var defaultValues: [UnsafeBufferPointer<UInt8>?] = []
  /// Whether every column is a field as read or missing, with no mapping
  /// step and no override (a plain export): `assemblePlainValues` then
  /// reads `plainSourceFields`, a buffer (no array checks per value).
  var assemblesPlainly = false
  let plainSourceFields: UnsafeMutableBufferPointer<Int>
  /// Columns built by a mapping template (slot and templates); empty for
  /// plain exports. `emptyExplained`: the current row's empty value needs
  /// no "empty" finding (E053 said why, or the generate rule proposes an
  /// email).
  var templateColumns: [(slot: Int, templates: ColumnTemplates)] = []
  var emptyExplained = [Bool](repeating: false, count: ExportColumn.count)
  /// `[email] generate = …`: the rule, and the emails it made for rows
  /// without one, by line (the counter is added when planning).
  var emailGenerator: ResolvedTemplate?
  var proposedEmails: [Int: String] = [:]
  private var headerCount = 0
  private var rowCount = 0
  var rowHasError: [Bool] = []
  private var rowLines: [Int] = []
  private var table: ExportTable?

  // The current row's values, one slice per column. A slice points into
  // the reader's record when the value is used as read (the common case:
  // no copy), into `owned` when it had to be rewritten (Windows-1252,
  // translation), or into `fixed` for constants and canonical spellings.
  // (A buffer, not an array: it is written ten times a row, and an array
  // would check it is uniquely referenced each time.)
  let values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
  /// Per column: the current row's value is plain text (or empty), known
  /// to hold no control character and no non-ASCII byte.
  let plainValues: UnsafeMutableBufferPointer<Bool>
  let owned: [ByteSlot]
  let fixed = FixedValues()
  let allColumns = ExportColumn.allCases
  lazy var hasOverrides = !options.overrides.isEmpty
  lazy var hasExcludedLines = !options.overrides.excludedLines.isEmpty
  /// The directory's external IDs, read once (not per row).
  let knownOrganizations: Set<String>?
  /// The same, found from bytes (a constant: a variable map was copied,
  /// its arrays retained, per row).
  let organizationKeys: OrganizationKeys?
  /// What the current row's checks looked up that its planner needs too.
  var rowLookups = RowLookups()

  // Held here rather than read from statics in the per-row path (a static
  // costs a lazy-initialisation check on every access).
  let userTypes = Vocabulary.userTypeSet
  let statuses = Vocabulary.statusSet
  let grades = Vocabulary.gradeSet
  let studentIndex = Vocabulary.userTypes.firstIndex(of: "Student")!

  // Keys seen for duplicate detection: this run's, plus those of the other
  // parts once absorbed (with the row number each part's rows start at).
  var customIDs = DuplicateFinder(foldsCase: false)
  var emails = DuplicateFinder(foldsCase: true)
  private var absorbedKeys: [(customIDs: DuplicateFinder, emails: DuplicateFinder, firstRow: Int)] = []
  /// Values ignored for the row's user type (grade, position), by column.
  var ignored: [ExportColumn: LineTally] = [:]
  var organizationSuggestions: [String: (text: String?, value: String?)] = [:]
  /// Each invalid user_type, status or grade value's advice (`ValueChecks`).
  var vocabularyAdvices: [VocabularyKey: Finding.VocabularyAdvice] = [:]
  static let vocabularyAdviceLimit = 10_000
  /// The known IDs indexed for those hints, at the first unknown one.
  lazy var organizationHints = knownOrganizations.map(OrganizationHints.init(known:))
  /// Mapping features beyond renames (companions, skips, lists, `when`).
  var mapper: RowMapper?
  /// The mapping's `home` rule (staff listed once per school), if any.
  private(set) var homeFilter: HomeSchoolFilter?
  /// Rows left out by `home`, with one example for the message.
  private var otherSchoolRows = LineTally()
  private var otherSchoolExample: (school: String, kept: String)?
  /// Rows the mapping left out, by column and value (first spelling kept).
  private var skips: [SkipGroup: (value: String, lines: LineTally)] = [:]
  private var skippedRowCount = 0
  /// More rows than `CSVLimits.maxRows`: the export is refused.
  private var stoppedAtRowLimit = false
  /// Rows whose source held a list, by column (an example kept).
  var lists: [ExportColumn: (example: String, lines: LineTally)] = [:]

  /// `startOffset` is where `source` starts in the file (a later part);
  /// `expectedBytes` how much of it this run is likely to read.
  init(
    source: ByteSource, name: String, options: ValidationOptions, startOffset: Int = 0, expectedBytes: Int? = nil,
    planner: (any RowPlanner)? = nil
  ) {
    self.name = name
    self.options = options
    self.reader = CSVReader(
      source: options.progress.map { CountingByteSource(source, progress: $0) } ?? source, limits: options.limits,
      startOffset: startOffset)
    self.values = .allocate(capacity: ExportColumn.count)
    self.values.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
    self.plainSourceFields = .allocate(capacity: ExportColumn.count)
    self.plainSourceFields.initialize(repeating: -1)
    self.plainValues = .allocate(capacity: ExportColumn.count)
    self.plainValues.initialize(repeating: false)
    self.knownOrganizations = options.directory?.organizationExternalIDs
    self.organizationKeys = OrganizationKeys(known: knownOrganizations, planner: planner)
    self.owned = (0..<ExportColumn.count).map { _ in ByteSlot() }
    // Size the duplicate finders up front (rows run about 100 bytes).
    self.expectedBytes = expectedBytes ?? source.sizeHint ?? 0
    let expectedRows = max(1 << 12, self.expectedBytes / 100)
    self.expectedRows = expectedRows
    // (Address space until written, as the finders'.)
    rowLines.reserveCapacityInHugePages(expectedRows)
    rowHasError.reserveCapacityInHugePages(expectedRows)
    customIDs = DuplicateFinder(foldsCase: false, expectedKeys: expectedRows)
    emails = DuplicateFinder(foldsCase: true, expectedKeys: expectedRows)
    self.planner = planner
    planner?.expectRows(expectedRows)
    reader.chunkWillBeReused = planner.map { planner in { planner.lentBytesWillChange() } }
  }

  deinit {
    values.deallocate()
    plainSourceFields.deallocate()
    plainValues.deallocate()
  }

  /// Reads and checks the whole input in one pass.
  func execute() throws -> ValidationResult {
    if try readHeader() { try readRows() }
    return finish()
  }

  // MARK: - Header

  /// Reads the header row and resolves the columns; false when there are
  /// no rows to read (not CSV text, or empty).
  func readHeader() throws -> Bool {
    if let signature = FileSniffing.nonCSVSignature(try reader.peekPrefix(FileSniffing.prefixLength)) {
      findings.append(.notCSVText(name, signature))
      return false
    }
    guard try reader.next() else {
      findings.append(.emptyFile(name))
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
      let resolution = ExportHeaderResolution(headers, exportName: name, options: options)
      findings += resolution.findings
      columns = resolution.columns
      mapper = resolution.mapper
      switch HomeSchoolFilter.make(mapping: options.mapping, columns: columns, headers: headers) {
      case .filter(let filter)?: homeFilter = filter
      case .refused(let finding)?: findings.append(finding)
      case nil: break
      }
    }
    flattenColumns()
    if isUsable && options.keepsRows { table = ExportTable(expectedRows: expectedRows, expectedBytes: expectedBytes) }
    headerRead = true
    return true
  }

  /// Takes the resolved header of the run that read the first part.
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

  /// A header line with a syntax error makes every column guesswork: one
  /// fatal finding says so. (A stray quote is only a warning.)
  private func headerSyntaxProblem() -> Finding? {
    for issue in reader.issues {
      let finding = syntaxFinding(issue, line: reader.line)
      if finding.severity == .error { return .unreadableHeader(line: reader.line, field: issue.field + 1, finding) }
      findings.append(finding)
    }
    return nil
  }

  private func reportBlankLines() {
    guard !reader.skippedBlankLines.isEmpty else { return }
    for blank in reader.skippedBlankLines { findings.append(.blankLine(blank)) }
  }

  // MARK: - Parts

  /// Moves every line number but the rows' own by `delta` (a later part
  /// that numbered its lines from 1); `absorb` moves the rows' as it
  /// appends them (one pass over a million lines, not two).
  private func shiftLinesButRows(by delta: Int) {
    guard delta != 0 else { return }
    for index in findings.indices {
      findings[index].line = findings[index].line.map { $0 + delta }
      findings[index].relatedLines = findings[index].relatedLines.map { $0 + delta }
    }
    for column in ignored.keys { ignored[column]!.shift(by: delta) }
    for group in skips.keys { skips[group]!.lines.shift(by: delta) }
    for column in lists.keys { lists[column]!.lines.shift(by: delta) }
    otherSchoolRows.shift(by: delta)
    proposedEmails = Dictionary(uniqueKeysWithValues: proposedEmails.map { ($0.key + delta, $0.value) })
    table?.shiftLines(by: delta)
  }

  /// Appends the rows and findings of the run that read the next part of
  /// the file, its line numbers moved by `delta` (it numbered its lines
  /// from 1).
  func absorb(_ part: ValidationRun, shiftingLinesBy delta: Int) {
    part.shiftLinesButRows(by: delta)
    let rowOffset = rowCount
    rowCount += part.rowCount
    rowLines.append(contentsOf: part.rowLines.lazy.map { $0 + delta })
    rowHasError += part.rowHasError
    findings += part.findings
    proposedEmails.merge(part.proposedEmails) { first, _ in first }
    absorbedKeys.append((part.customIDs, part.emails, rowOffset))
    for (column, tally) in part.ignored { ignored[column, default: LineTally()].add(tally) }
    skippedRowCount += part.skippedRowCount
    stoppedAtRowLimit = stoppedAtRowLimit || part.stoppedAtRowLimit
    for (group, entry) in part.skips { skips[group, default: (entry.value, LineTally())].lines.add(entry.lines) }
    for (column, entry) in part.lists { lists[column, default: (entry.example, LineTally())].lines.add(entry.lines) }
    if let table, let other = part.table { table.append(contentsOf: other) }
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
      if usable, let homeFilter, let leftOut = homeFilter.leavesOut(reader) {
        skippedRowCount += 1
        otherSchoolRows.add(reader.line)
        if otherSchoolExample == nil { otherSchoolExample = leftOut }
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
    let shapeIsRight = reader.rawFieldCount == headerCount
    var readWhole = true
    // (Most records have no syntax issue: the list is not walked for them.)
    if reader.hasIssues {
      for issue in reader.issues { report(syntaxFinding(issue, line: line), row: row) }
      // An unterminated quote or an over-long field already explains the
      // row; checking its values would only add knock-on findings.
      readWhole = !reader.issues.contains {
        $0.kind == .unterminatedQuote || $0.kind == .fieldTooLong(limit: reader.limits.maxFieldBytes)
          || $0.kind == .recordTooLong(limit: reader.limits.maxRecordBytes)
      }
    }
    let tooManyFields =
      reader.hasIssues && reader.issues.contains { $0.kind == .tooManyFields(limit: reader.limits.maxFields) }
    if !shapeIsRight && readWhole && !tooManyFields {
      report(.wrongFieldCount(line: line, fields: reader.rawFieldCount, headerFields: headerCount), row: row)
    }
    if assemblesPlainly { assemblePlainValues(line: line) } else { assembleValues(line: line, row: row) }
    rowLookups = RowLookups()
    if shapeIsRight && readWhole { checkValues(line: line, row: row) }
    table?.append(line: line, values: UnsafeBufferPointer(values))
    planner?.process(
      line: line, values: UnsafeBufferPointer(values), hasError: rowHasError[row], lent: reader.chunkBytes,
      lookups: rowLookups)
  }

  private func noteSkipped(_ column: ExportColumn, _ value: String, line: Int) {
    skippedRowCount += 1
    skips[SkipGroup(column: column, value: value.lowercased()), default: (value, LineTally())].lines.add(line)
  }

  // MARK: - The end

  /// Cross-row checks once every row is read, and the result.
  func finish() -> ValidationResult {
    if stoppedAtRowLimit || rowCount > options.limits.maxRows {
      findings.append(.tooManyRows(name, limit: options.limits.maxRows))
    }
    if headerRead {
      if rowCount == 0 && isUsable { findings.append(.noDataRows(name, headerLine: headerLine)) }
      if isUsable { reportDuplicates() }
      reportIgnoredValues()
      reportMappingNotes()
      if options.directory == nil && isUsable { findings.append(.directoryChecksSkipped()) }
    }
    let rowsWithErrors = rowHasError.reduce(0) { $0 + ($1 ? 1 : 0) }
    let isUsable = isUsable
    // The run is done with its findings: they move to the result.
    var ordered: [Finding] = []
    swap(&ordered, &findings)
    ordered.putInReadingOrder()
    if let table {
      for (row, hasError) in rowHasError.enumerated() where hasError { table.markError(row: row) }
    }
    var result = ValidationResult(
      exportName: name, rowCount: rowCount, rowsWithErrors: rowsWithErrors,
      findings: ordered, headers: headers, mappingOrigin: options.mapping.origin,
      directoryChecked: options.directory != nil && isUsable, table: isUsable ? table : nil)
    result.rowsSkippedByMapping = skippedRowCount
    result.proposedEmails = proposedEmails
    result.sourceFields = columns.isEmpty ? [] : ExportColumn.allCases.map(fieldNumber)
    result.sourceColumns = SourceColumnNames.names(columns: columns, headers: headers, mapping: options.mapping)
    return result
  }

  var isUsable: Bool { !findings.containsCode { $0.isFatal } }

  /// Each row's error flag once duplicates are known (after `finish`).
  var finalRowErrors: [Bool] { rowHasError }

  private func reportIgnoredValues() {
    for (column, tally) in ignored.sorted(by: { $0.key < $1.key }) {
      findings.append(.ignoredValue(column, field: fieldNumber(column), tally))
    }
  }

  /// One finding per skipped value and per listed column, with a count.
  private func reportMappingNotes() {
    func sourceName(_ column: ExportColumn) -> String {
      // The header the file has (of the rule's alternatives), as read.
      if case .field(let index) = columns[column.rawValue].source, index < headers.count {
        return headers[index].trimmingCharacters(in: .whitespaces)
      }
      let source = options.mapping.rule(for: column).source ?? column.header
      guard let reference = CompanionReference(source),
        let file = options.mapping.companions.first(where: { $0.name == reference.file })
      else { return source }
      return "\(reference.header) (\(file.path))"
    }
    for (group, entry) in skips.sorted(by: { ($0.key.column, $0.key.value) < ($1.key.column, $1.key.value) }) {
      findings.append(
        .skippedByMapping(group.column, source: sourceName(group.column), value: entry.value, entry.lines))
    }
    for (column, entry) in lists.sorted(by: { $0.key < $1.key }) {
      findings.append(.firstOfList(column, source: sourceName(column), example: entry.example, entry.lines))
    }
    if let homeFilter, let example = otherSchoolExample {
      findings.append(.otherSchoolRows(homeFilter.rule, example: example, otherSchoolRows))
    }
  }

  /// Sorts this run's duplicate keys now (a part, on the core that read
  /// it); no row may be read after.
  func sortDuplicateKeys() {
    customIDs.sortEntries()
    emails.sortEntries()
  }

  private func reportDuplicates() {
    let customIDParts = [customIDs] + absorbedKeys.map(\.customIDs)
    let emailParts = [emails] + absorbedKeys.map(\.emails)
    // Parts read on two cores sorted their keys there (`sortDuplicateKeys`):
    // the searches here only walk them, the two columns a core each (they
    // allocate nothing large). Otherwise one sorts after the other, not one
    // a core: each sorts a million 8-byte entries with as much scratch, and
    // two at once would add 16 MB to the peak.
    let groups: [[[DuplicateFinder.Occurrence]]]
    if !absorbedKeys.isEmpty {
      var found = [[[DuplicateFinder.Occurrence]]](repeating: [], count: 2)
      let parts = UncheckedSendable([customIDParts, emailParts])
      found.withUnsafeMutableBufferPointer { found in
        let slots = UncheckedSendable(found)
        DispatchQueue.concurrentPerform(iterations: 2) { column in
          slots.value[column] = DuplicateFinder.duplicateGroups(parts.value[column])
        }
      }
      groups = found
    } else {
      groups = [DuplicateFinder.duplicateGroups(customIDParts), DuplicateFinder.duplicateGroups(emailParts)]
    }
    var duplicates: [Finding] = []
    func report(
      _ parts: [DuplicateFinder], _ found: [[DuplicateFinder.Occurrence]], code: FindingCode, column: ExportColumn
    ) {
      let firstRows = [0] + absorbedKeys.map(\.firstRow)
      for group in found {
        let rows = group.map { firstRows[$0.part] + Int(parts[$0.part].rows[$0.entry]) }
        let lines = rows.map { rowLines[$0] }
        // One message for the group, and at most `LineList.cap` related
        // lines per finding: a value shared by 100,000 rows costs linear
        // memory, not a list of every other line in each finding. Past the
        // first lines every finding lists the same ones, and the value is
        // mostly spelled the same: one copy of each is shared.
        let first = Array(lines.prefix(LineList.cap))
        let message = Finding.duplicateMessage(column, firstLines: first, total: lines.count)
        var value = ""
        for (position, occurrence) in group.enumerated() {
          rowHasError[rows[position]] = true
          let spelled = parts[occurrence.part].key(occurrence.entry)
          if spelled != value { value = spelled }
          duplicates.append(
            .duplicate(
              code, column, field: fieldNumber(column), value: value, message: message, line: lines[position],
              relatedLines: position < LineList.cap ? LineList.others(of: lines, except: position) : first,
              relatedCount: lines.count - 1))
        }
      }
    }
    report(customIDParts, groups[0], code: .duplicateCustomID, column: .customID)
    report(emailParts, groups[1], code: .duplicateEmail, column: .email)
    findings += duplicates
  }

  // MARK: - Helpers

  /// Records a finding about row `row`; an error marks the row.
  func report(_ finding: Finding, row: Int) {
    if finding.severity == .error { rowHasError[row] = true }
    findings.append(finding)
  }

  /// A CSV syntax issue as a finding, naming the column its field feeds.
  private func syntaxFinding(_ issue: CSVIssue, line: Int) -> Finding {
    let column = columns.first(where: {
      if case .field(let index) = $0.source { return index == issue.field }
      return false
    })?.column.header
    return .syntax(issue, line: line, column: column)
  }

  /// The 1-based position in the export's header of the field `column` is
  /// read from; nil for a constant, a companion's value or a missing column.
  func fieldNumber(_ column: ExportColumn) -> Int? {
    if case .field(let index) = columns[column.rawValue].source { return index + 1 }
    return nil
  }
}
