import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// The three forms of a validation report: JSON for scripts (SPEC §7), text
/// for people, CSV for a spreadsheet.
public enum ValidationReport {
  // MARK: JSON

  public static func json(_ result: ValidationResult) -> String {
    var json = JSONWriter()
    json.beginObject()
    writeJSONBody(result, into: &json)
    json.endObject()
    json.newline()
    return json.output
  }

  /// The same report handed to `sink` in pieces of about 64 KiB: 100,000
  /// findings (a value shared by every row) are about 35 MB of JSON, which
  /// is never held whole in memory.
  public static func streamJSON(_ result: ValidationResult, to sink: ([UInt8]) -> Void) {
    var json = JSONWriter()
    json.beginObject()
    withoutActuallyEscaping(sink) { writeJSONBody(result, into: &json, flushingTo: $0) }
    json.endObject()
    json.newline()
    json.flush(to: sink)
  }

  /// The members of the `validate` report (SPEC §7) inside its object; with
  /// a `sink`, the findings are flushed to it as they are written.
  public static func writeJSONBody(
    _ result: ValidationResult, into json: inout JSONWriter, flushingTo sink: (([UInt8]) -> Void)? = nil
  ) {
    json.field("export", result.exportName)
    json.field("mapping", result.mappingOrigin)
    json.field("usable", result.isUsable)
    json.field("rows", result.rowCount)
    json.key("summary")
    json.beginObject()
    json.field("errors", result.count(.error))
    json.field("warnings", result.count(.warning))
    json.field("infos", result.count(.info))
    json.field("rows_with_errors", result.rowsWithErrors)
    json.field("valid_rows", result.validRowCount)
    json.field("skipped_by_mapping", result.rowsSkippedByMapping)
    json.field("directory_checks", result.directoryChecked ? "done" : "skipped")
    json.endObject()
    writeFindings(result, into: &json, flushingTo: sink)
  }

  /// The `findings` member: shared by validate and plan output.
  public static func writeFindings(
    _ result: ValidationResult, into json: inout JSONWriter, flushingTo sink: (([UInt8]) -> Void)? = nil
  ) {
    json.key("findings")
    json.beginArray()
    for finding in result.findings {
      if let sink, json.pendingByteCount >= 1 << 16 { json.flush(to: sink) }
      json.beginObject()
      json.field("code", finding.code.id)
      json.field("name", finding.code.name)
      json.field("severity", finding.severity.rawValue)
      json.field("line", finding.line)
      json.field("column", finding.column)
      json.field("field", finding.field)
      // Where the mapping renamed the column: the SIS's own name for it.
      if let source = result.sourceColumn(of: finding) { json.field("source_column", source) }
      json.field("value", finding.value)
      json.field("message", finding.message)
      if let suggestion = finding.suggestion { json.field("suggestion", suggestion) }
      if let value = finding.suggestedValue { json.field("suggested_value", value) }
      if finding.relatedCount > 0 {
        // The first lines only (at most `LineList.cap`); the count is exact.
        json.key("related_lines")
        json.beginArray()
        for line in finding.relatedLines { json.number(line) }
        json.endArray()
        json.field("related_count", finding.relatedCount)
      }
      json.endObject()
    }
    json.endArray()
  }

  // MARK: CSV

  public static let csvHeader = [
    "line", "column", "field", "code", "severity", "value", "message", "suggestion", "source_column",
  ]

  /// One finding a row. Values a spreadsheet would run as a formula are
  /// prefixed with `'` (CSV injection), as OWASP recommends; control and
  /// bidi characters are written visibly (`VisibleText`), since people read
  /// this file. (`csvField` alone stays exact: `directory export` uses it.)
  public static func csv(_ result: ValidationResult) -> String {
    var output = csvHeader.joined(separator: ",") + "\r\n"
    for finding in result.findings {
      let fields: [String] = [
        finding.line.map(String.init) ?? "", finding.column ?? "", finding.field.map(String.init) ?? "",
        finding.code.id, finding.severity.rawValue, finding.value ?? "", finding.message,
        finding.suggestion ?? "", result.sourceColumn(of: finding) ?? "",
      ]
      output += fields.map { csvField(spreadsheetSafe(VisibleText.escaped($0))) }.joined(separator: ",") + "\r\n"
    }
    return output
  }

  static func spreadsheetSafe(_ value: String) -> String {
    guard let first = value.unicodeScalars.first else { return value }
    return "=+-@\t\r".unicodeScalars.contains(first) ? "'" + value : value
  }

  // MARK: Text

  /// Grouped by code, most severe first, so a customer reads "E030: the same
  /// custom_id on lines 3 and 7" rather than a wall of lines. At most
  /// `perCode` findings are listed per code (0: all); the rest are counted.
  public static func text(_ result: ValidationResult, perCode: Int = 20) -> String {
    var out = "\(result.exportName): \(result.rowCount) \(plural(result.rowCount, "row"))"
    if result.isUsable {
      out += ", \(result.rowsWithErrors) with errors, \(result.validRowCount) valid"
    }
    if result.rowsSkippedByMapping > 0 {
      out += "; \(result.rowsSkippedByMapping) more left out by the mapping (I045)"
    }
    out += "\n"
    out += "\(result.count(.error)) \(plural(result.count(.error), "error")), "
    out += "\(result.count(.warning)) \(plural(result.count(.warning), "warning")), "
    out += "\(result.count(.info)) \(plural(result.count(.info), "note"))"
    if result.mappingOrigin != ColumnMapping.identity.origin { out += " (mapping: \(result.mappingOrigin))" }
    out += "\n"
    if !result.isUsable {
      out += "The export cannot be used as it is: fix the problems below first.\n"
    }
    // Each code's findings by position (a million rows may have tens of
    // thousands of findings: copying each into its group cost more than
    // writing the few shown).
    var groups: [FindingCode: [Int]] = [:]
    for index in result.findings.indices { groups[result.findings[index].code, default: []].append(index) }
    let order = groups.keys.sorted { ($0.severity, $0.id) < ($1.severity, $1.id) }
    for code in order {
      let findings = groups[code]!
      out += "\n\(code.id) \(code.title) (\(findings.count))\n"
      let shown = perCode > 0 ? findings.prefix(perCode) : findings[...]
      for index in shown {
        let finding = result.findings[index]
        out += "  " + location(finding, in: result) + printable(finding.message)
        if let value = finding.value, !finding.message.contains(value) || value.isEmpty {
          out += value.isEmpty ? "" : " [value: \(printable(value))]"
        }
        out += "\n"
        if let suggestion = finding.suggestion { out += "      → \(printable(suggestion))\n" }
      }
      if findings.count > shown.count {
        let rest = findings[shown.count...]
        let lines = rest.lazy.compactMap { result.findings[$0].line }.prefix(12).map(String.init).joined(
          separator: ", ")
        out +=
          "  … and \(rest.count) more" + (lines.isEmpty ? "" : " (lines \(lines)\(rest.count > 12 ? ", …" : ""))")
          + "\n"
      }
    }
    if !order.isEmpty {
      out += "\nFor what a code means and how to fix it at the source: sis-sync explain CODE\n"
    }
    let untranslated = VocabularyGroup.untranslated(in: result.findings)
    if !untranslated.isEmpty {
      out += "\nValues no rule translates (one mapping line handles each group):\n"
      for group in untranslated {
        out += "  \(group.description) — e.g. [\(group.column.header)] value \(printable(group.value)) = …\n"
      }
    }
    // File names and anything else not escaped above.
    return VisibleText.escapedKeepingLines(out)
  }

  /// `line 4, custom_id (SIS: Username): `
  private static func location(_ finding: Finding, in result: ValidationResult) -> String {
    guard let line = finding.line else { return "" }
    var text = "line \(line)"
    if let column = result.columnName(of: finding) {
      text += ", \(column)"
    } else if let field = finding.field {
      text += ", field \(field)"
    }
    return text + ": "
  }

  /// Control and bidi characters shown visibly, so a NUL, an ESC or a line
  /// break in a value does not garble the terminal or the report's lines.
  static func printable(_ value: String) -> String { VisibleText.escaped(value) }

  static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }
}

extension DirectoryImportError {
  /// What `directory import` prints: the problems, then the accounts
  /// file's validation report when that is what failed.
  public var report: String {
    var text = problems.joined(separator: "\n")
    if let validation = accountsValidation {
      if !text.isEmpty { text += "\n" }
      text += ValidationReport.text(validation)
    }
    return text
  }
}
