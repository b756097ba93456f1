import SyncModel

// The words of every finding the validator makes, in one place: the checks
// decide what is wrong, these functions say it (message, suggestion, the
// value shown).

extension Finding {
  // MARK: - The file

  static func notCSVText(_ name: String, _ signature: FileSniffing.Signature) -> Finding {
    let saveAsCSV = "save it as \"CSV UTF-8 (comma delimited)\" and try again"
    let (what, fix) =
      switch signature {
      case .zip: ("looks like an Excel workbook (.xlsx) or a zip archive", saveAsCSV)
      case .oldExcel: ("looks like an old Excel workbook (.xls)", saveAsCSV)
      case .pdf: ("is a PDF document", "export the data as CSV from the SIS")
      case .utf16: ("is UTF-16 text (\"Unicode text\")", saveAsCSV)
      case .binary(let controlCount, let prefixSize):
        ("holds binary data (\(controlCount) control bytes in its first \(prefixSize))", saveAsCSV)
      }
    return Finding(code: .notCSVText, line: nil, message: "\(name) \(what), not CSV text", suggestion: fix)
  }

  static func emptyFile(_ name: String) -> Finding {
    Finding(code: .emptyFile, line: nil, message: "\(name) is empty: no header row")
  }

  /// The header line has a syntax error (`cause`): no column can be trusted.
  static func unreadableHeader(line: Int, field: Int, _ cause: Finding) -> Finding {
    Finding(
      code: .missingHeader, line: line, field: field,
      message: "the header line cannot be read: \(cause.message)", suggestion: cause.suggestion)
  }

  static func presetFits(_ preset: MappingPreset, _ fit: PresetRecognition) -> Finding {
    Finding(
      code: .presetFits, line: 1, value: preset.name,
      message: "the headers look like a \(preset.title) (\(fit.matched) of the \(fit.total) headers the preset reads)",
      suggestion: "pass --mapping \(preset.name) (or --mapping auto)", suggestedValue: preset.name)
  }

  /// No preset fits: the one the file comes closest to, and what it lacks.
  static func closestPreset(_ preset: MappingPreset, _ closest: PresetRecognition) -> Finding {
    Finding(
      code: .presetFits, line: 1, value: preset.name,
      message:
        "no built-in preset fits these headers; the closest is \(preset.name) (\(preset.title)), with "
        + "\(closest.matched) of its \(closest.total) headers; missing: \(closest.missingDescription)",
      suggestion:
        "if this is an SIS export, describe its headers in a mapping file (man 5 sis-sync-mapping), starting "
        + "from the closest preset: sis-sync mapping show \(preset.name); a learning platform's user list "
        + "(Canvas, Moodle) lacks schools and user types and is not an SIS export")
  }

  static func tooManyRows(_ name: String, limit: Int) -> Finding {
    Finding(
      code: .tooManyRows, line: nil,
      message: "\(name) has more than \(limit) rows; sis-sync reads at most that many, so none is used",
      suggestion: "split the export (by school, for instance) and sync each part")
  }

  static func noDataRows(_ name: String, headerLine: Int) -> Finding {
    Finding(code: .noDataRows, line: headerLine, message: "\(name) has a header line but no rows")
  }

  static func directoryChecksSkipped() -> Finding {
    Finding(
      code: .directoryChecksSkipped, line: nil,
      message: "no directory given: building IDs were not checked against the directory")
  }

  // MARK: - Reading a record

  static func blankLine(_ line: Int) -> Finding {
    Finding(code: .blankLine, line: line, message: "the line is blank and was skipped")
  }

  static func wrongFieldCount(line: Int, fields: Int, headerFields: Int) -> Finding {
    Finding(
      code: .wrongFieldCount, line: line, value: nil,
      message: "the row has \(fields) fields; the header has \(headerFields)",
      suggestion: fields > headerFields
        ? "a value with a comma is probably not quoted" : "a value or a comma is missing")
  }

  /// A CSV syntax issue of the record read on `line`; `column` is the
  /// header of the column its field feeds, if any.
  static func syntax(_ issue: CSVIssue, line: Int, column: String?) -> Finding {
    let field = issue.field + 1
    switch issue.kind {
    case .unterminatedQuote:
      return Finding(
        code: .unterminatedQuote, line: issue.line, column: column, field: field,
        message: "a quoted field opens here and is never closed; the rest of the file was read as one field",
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

  static func windows1252(_ column: ExportColumn, field: Int, line: Int, readAs value: String) -> Finding {
    Finding(
      code: .windows1252, line: line, column: column.header, field: field, value: value,
      message: "\(column.header) is not valid UTF-8; read as Windows-1252")
  }

  // MARK: - What the mapping did

  /// A repeated header whose copies hold different values on this row.
  static func copiesDisagree(
    _ column: ExportColumn, header: String, read: Int, other: Int, line: Int, readValue: String, otherValue: String
  ) -> Finding {
    Finding(
      code: .copiesDisagree, line: line, column: column.header, field: other + 1, value: otherValue,
      message:
        "the header '\(header)' appears in columns \(read + 1) and \(other + 1), which differ on this row: "
        + "column \(read + 1) ('\(readValue)') is read for \(column.header), column \(other + 1) holds '\(otherValue)'",
      suggestion: "remove the extra column, or choose it in a mapping: [\(column.header)] from = \(header) #2")
  }

  static func noCompanionRow(_ companion: CompanionTable, line: Int) -> Finding {
    Finding(
      code: .noCompanionRow, line: line, column: nil, value: nil,
      message: "\(companion.path) has no row whose \(companion.file.key) is this row's \(companion.file.matches)")
  }

  /// Rows of staff at another school than the one whose row is kept.
  static func otherSchoolRows(
    _ rule: HomeSchool, example: (school: String, kept: String), _ tally: LineTally
  ) -> Finding {
    let rows = tally.count == 1 ? "1 row" : "\(tally.count) rows"
    let kept = rule == .first ? "their first row" : "their home school's row (\(rule.text))"
    return Finding(
      code: .otherSchoolRows, line: tally.lines.first, column: ExportColumn.schoolExternalID.header,
      value: example.school,
      message:
        "\(rows) of people listed at several schools left out: \(kept) is kept (such as school '\(example.kept)' "
        + "kept, '\(example.school)' left out; " + (tally.lines.count == 1 ? "line " : "lines ")
        + tally.lines.map(String.init).joined(separator: ", ") + (tally.count > tally.lines.count ? ", …)" : ")"),
      relatedLines: Array(tally.lines.dropFirst()), relatedCount: tally.count - 1)
  }

  /// Rows whose `source` held `value`, which the mapping skips.
  static func skippedByMapping(_ column: ExportColumn, source: String, value: String, _ tally: LineTally) -> Finding {
    let rows = tally.count == 1 ? "1 row" : "\(tally.count) rows"
    return Finding(
      code: .skippedByMapping, line: tally.lines.first, column: column.header, value: value,
      message:
        "\(rows) with \(source) '\(value)' left out by the mapping ("
        + (tally.lines.count == 1 ? "line " : "lines ") + tally.lines.map(String.init).joined(separator: ", ")
        + (tally.count > tally.lines.count ? ", …)" : ")"),
      relatedLines: Array(tally.lines.dropFirst()), relatedCount: tally.count - 1)
  }

  /// Rows whose `source` held a list (such as `example`), cut to its first item.
  static func firstOfList(_ column: ExportColumn, source: String, example: String, _ tally: LineTally) -> Finding {
    Finding(
      code: .firstOfList, line: tally.lines.first, column: column.header, value: example,
      message:
        "\(tally.count == 1 ? "1 row lists" : "\(tally.count) rows list") several values in \(source) "
        + "(such as '\(example)'); the first is used",
      relatedLines: Array(tally.lines.dropFirst()), relatedCount: tally.count - 1)
  }

  // MARK: - Values

  static func missingValue(_ column: ExportColumn, field: Int?, line: Int) -> Finding {
    Finding(
      code: .missingValue, line: line, column: column.header, field: field, value: "",
      message: "\(column.header) is empty")
  }

  static func controlCharacter(
    _ control: Unicode.Scalar, _ column: ExportColumn, field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>
  ) -> Finding {
    let name =
      switch control.value {
      case 0: "a NUL byte"
      case 0x80...: "the control character " + VisibleText.escape(control).dropFirst().dropLast()
      default: "the control character 0x" + String(control.value, radix: 16, uppercase: true)
      }
    return Finding(
      code: .controlCharacter, line: line, column: column.header, field: field, value: shown(value),
      message: "\(column.header) contains \(name)")
  }

  static func bidiControl(
    _ bidi: Unicode.Scalar, _ column: ExportColumn, field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>
  ) -> Finding {
    let code = VisibleText.escape(bidi).dropFirst().dropLast()
    return Finding(
      code: .bidiControl, line: line, column: column.header, field: field, value: shown(value),
      message: "\(column.header) holds the bidi control \(code), which changes the order the text displays in")
  }

  static func lineBreakInName(
    _ column: ExportColumn, field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>
  ) -> Finding {
    Finding(
      code: .lineBreakInName, line: line, column: column.header, field: field, value: shown(value),
      message: "\(column.header) spans more than one line")
  }

  static func valueTooLong(
    _ column: ExportColumn, field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>, length: Int
  ) -> Finding {
    Finding(
      code: .valueTooLong, line: line, column: column.header, field: field, value: shown(value),
      message: "\(column.header) is \(length) characters long; at most \(column.maximumLength) are accepted")
  }

  static func invalidEmail(field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>) -> Finding {
    let shown = shown(value)
    let repaired = ValueRules.repairedEmail(shown)
    return Finding(
      code: .invalidEmail, line: line, column: ExportColumn.email.header, field: field, value: shown,
      message: "'\(shown)' is not a valid email address", suggestion: repaired.map { "did you mean '\($0)'?" },
      suggestedValue: repaired)
  }

  static func spreadsheetMangledID(field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>) -> Finding {
    Finding(
      code: .spreadsheetMangledID, line: line, column: ExportColumn.customID.header, field: field,
      value: shown(value), message: "custom_id '\(shown(value))' looks like a number reformatted by a spreadsheet",
      suggestion: "format the ID column as Text and export again")
  }

  static func caseNormalised(
    _ column: ExportColumn, field: Int?, line: Int, value: UnsafeBufferPointer<UInt8>, canonical: String
  ) -> Finding {
    Finding(
      code: .caseNormalised, line: line, column: column.header, field: field, value: shown(value),
      message: "\(column.header) '\(shown(value))' was read as '\(canonical)'", suggestedValue: canonical)
  }

  /// What a user_type, status or grade outside its vocabulary is told:
  /// the likely meant value, if any, and the suggestion. Worked out once per
  /// distinct value (`ValidationRun.vocabularyAdvice`): a file repeats its
  /// bad values, and the guess compares spellings.
  struct VocabularyAdvice {
    var guess: String?
    var suggestion: String

    init(_ column: ExportColumn, shown: String, allowed: [String]) {
      guess = ValueRules.suggestedVocabularyValue(shown, column: column)
      suggestion = "use one of " + allowed.joined(separator: ", ")
      if let guess {
        suggestion =
          "did you mean '\(guess)'? A mapping file can translate every such value: [\(column.header)] value \(shown) = \(guess)"
      }
    }
  }

  /// A user_type, status or grade outside its vocabulary; `shown` is the
  /// value as `shown(_:)` gives it.
  static func invalidVocabulary(
    _ column: ExportColumn, field: Int?, line: Int, shown: String, advice: VocabularyAdvice
  ) -> Finding {
    let code: FindingCode =
      switch column {
      case .userType: .invalidUserType
      case .status: .invalidStatus
      default: .invalidGrade
      }
    return Finding(
      code: code, line: line, column: column.header, field: field, value: shown,
      message: "'\(shown)' is not a valid \(column.header)", suggestion: advice.suggestion,
      suggestedValue: advice.guess)
  }

  static func unknownOrganization(
    _ id: String, field: Int?, line: Int, hint: (text: String?, value: String?)
  ) -> Finding {
    Finding(
      code: .unknownOrganization, line: line, column: ExportColumn.schoolExternalID.header, field: field, value: id,
      message: "no organization in the directory has the external ID '\(id)'", suggestion: hint.text,
      suggestedValue: hint.value)
  }

  /// A value set for a user type that does not use it, on `tally` rows.
  static func ignoredValue(_ column: ExportColumn, field: Int?, _ tally: LineTally) -> Finding {
    let who = column == .grade ? "rows that are not students" : "students"
    return Finding(
      code: .ignoredValue, line: tally.lines.first, column: column.header, field: field,
      message: "\(column.header) is ignored for \(tally.count) \(who)"
        + (tally.count > tally.lines.count ? " (first lines listed)" : ""),
      relatedLines: Array(tally.lines.dropFirst()), relatedCount: tally.count - 1)
  }

  // MARK: - Across rows

  /// The message every finding of a duplicate group shares: "the same
  /// custom_id is on lines 2, 5". The validator and the review screen's
  /// live plan both word it here.
  package static func duplicateMessage(_ column: ExportColumn, firstLines: [Int], total: Int) -> String {
    "the same \(column.header) is on " + LineList.describe(first: firstLines, total: total)
  }

  /// One occurrence of a duplicated custom_id or email.
  static func duplicate(
    _ code: FindingCode, _ column: ExportColumn, field: Int?, value: String, message: String, line: Int,
    relatedLines: [Int], relatedCount: Int
  ) -> Finding {
    Finding(
      code: code, line: line, column: column.header, field: field, value: value, message: message,
      suggestion: "keep one row per person; correct or exclude the others", relatedLines: relatedLines,
      relatedCount: relatedCount)
  }

  // MARK: - Values as shown

  /// A value as shown in a finding: whole up to 200 characters, then cut
  /// with its length, so one runaway field cannot bloat a report.
  static func shown(_ value: UnsafeBufferPointer<UInt8>) -> String {
    let limit = 200
    guard value.count > limit * 4 || ValueRules.scalarCount(value) > limit else {
      return String(decoding: value, as: UTF8.self)
    }
    let whole = String(decoding: value, as: UTF8.self)
    return String(whole.unicodeScalars.prefix(limit)) + "… (\(whole.unicodeScalars.count) characters)"
  }
}
