import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// The report a reviewer writes for the customer (`w` in review): one
/// entry per person, in the SIS's words: who (name and ID as the SIS has
/// them), which SIS column, its value now, and what to set it to, as a
/// sentence a school secretary can act on ("In your SIS, open Chloe Brown
/// (040332) and change Status from Inactive to Active or Disabled"). IDs
/// the reviewer corrected in review are listed too: the SIS needs them as
/// well. Problems of the file as a whole come first; notes (I codes) are
/// counted, not listed. Text and CSV; `redacted` masks names and emails as
/// `--redact` does, keeping IDs, lines and columns.
public struct ReviewReport {
  /// One thing to change for one person.
  public struct Instruction: Equatable, Sendable {
    public var code: String
    public var sisColumn: String
    public var currentValue: String
    public var setTo: String
    public var sentence: String
  }

  /// One person (one line of the export) and what to change for them.
  public struct Entry: Equatable, Sendable {
    public var line: Int
    public var name: String
    public var id: String
    public var instructions: [Instruction]
  }

  public let exportName: String
  public let entries: [Entry]
  /// Problems of the file as a whole: message and fix.
  public let fileProblems: [String]
  public let notesLeftOut: Int
  public let redacted: Bool
  /// The saved decisions that did not fit the export or the directory when
  /// the session was reopened, one line each with why.
  public let notApplied: [String]

  public init(
    _ plan: Plan, validation: ValidationResult, notApplied: [NotAppliedDecision] = [], redacted: Bool = false
  ) {
    self.redacted = redacted
    // Redacted: the line and the decision stand for the person.
    self.notApplied = notApplied.map { decision in
      guard redacted else { return decision.text }
      return (decision.person.map { "line \($0.line): " } ?? "") + decision.decision.summary + " — "
        + decision.reasonText
    }
    exportName = plan.exportName
    let findings = redacted ? Redaction.redact(plan.findings) : plan.findings
    let people = PeopleByLine(validation.table)
    var byLine: [Int: [Instruction]] = [:]
    var fileProblems: [String] = []
    var notes = 0
    for finding in findings {
      guard finding.severity != .info else {
        notes += 1
        continue
      }
      guard let line = finding.line else {
        fileProblems.append(
          "\(finding.code.id): \(finding.message)" + (finding.suggestion.map { " — \($0)" } ?? ""))
        continue
      }
      let column = validation.sourceColumn(of: finding) ?? finding.column ?? ""
      byLine[line, default: []].append(ReviewReportWords.instruction(for: finding, sisColumn: column))
    }
    // A value corrected in review (this run only): the SIS should have it too.
    for (line, overrides) in plan.decisions.isEmpty ? [:] : ReviewDecisions(plan.decisions).rowOverrides {
      for (target, value) in overrides.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        let sisColumn =
          validation.sourceColumns.indices.contains(target.rawValue)
          ? validation.sourceColumns[target.rawValue] ?? target.header : target.header
        let current = people.value(line: line, column: target)
        byLine[line, default: []].append(
          Instruction(
            code: "review", sisColumn: sisColumn, currentValue: current, setTo: value,
            sentence: "change \(sisColumn) from \(ReviewReportWords.quoted(current)) to \(value) "
              + "(corrected in this review for this run only)"))
      }
    }
    entries = byLine.keys.sorted().map { line in
      let person = people.person(line: line)
      let name = redacted ? Redaction.maskName(person.first, person.last) : person.fullName
      return Entry(line: line, name: name, id: person.id, instructions: byLine[line]!)
    }
    self.fileProblems = fileProblems
    notesLeftOut = notes
  }

  /// `Chloe Brown (040332)`, or the line where the SIS has no ID for them.
  static func who(_ entry: Entry) -> String {
    let name = entry.name.isEmpty ? "the person on line \(entry.line)" : entry.name
    return entry.id.isEmpty ? "\(name) (no ID; line \(entry.line))" : "\(name) (\(entry.id))"
  }

  public func text() -> String {
    var out = "What to change in the SIS: \(exportName)\n"
    if redacted { out += "Names and emails are masked (A…); IDs and lines are kept.\n" }
    let changes = entries.reduce(0) { $0 + $1.instructions.count }
    out +=
      entries.isEmpty
      ? "Nothing to change for any person.\n"
      : "\(entries.count) \(entries.count == 1 ? "person" : "people"), \(changes) \(changes == 1 ? "change" : "changes"). "
        + "Export again from the SIS once they are made.\n"
    if !fileProblems.isEmpty {
      out += "\nThe export as a whole:\n"
      for problem in fileProblems { out += "  - \(problem)\n" }
    }
    if !notApplied.isEmpty {
      out += "\nSaved decisions not applied (\(notApplied.count)):\n"
      for line in notApplied { out += "  \(VisibleText.escaped(line))\n" }
    }
    for entry in entries {
      out += "\n\(Self.who(entry)), line \(entry.line)\n"
      for instruction in entry.instructions {
        out += "  - In your SIS, open \(Self.who(entry)) and \(instruction.sentence). [\(instruction.code)]\n"
      }
    }
    if notesLeftOut > 0 {
      out +=
        "\n\(notesLeftOut) \(notesLeftOut == 1 ? "note" : "notes") for the district's administrator "
        + "(nothing to change in the SIS) left out: see 'sis-sync plan'.\n"
    }
    out += "\nWhat a code means: sis-sync explain CODE; words such as custom_id: sis-sync explain glossary\n"
    return VisibleText.escapedKeepingLines(out)
  }

  public static let csvHeader = [
    "line", "name", "id", "sis_column", "current_value", "set_to", "instruction", "code",
  ]

  /// One row per instruction (a person with two changes has two rows),
  /// spreadsheet-safe as the validation CSV is.
  public func csv() -> String {
    var output = Self.csvHeader.joined(separator: ",") + "\r\n"
    for entry in entries {
      for instruction in entry.instructions {
        let fields = [
          String(entry.line), entry.name, entry.id, instruction.sisColumn, instruction.currentValue, instruction.setTo,
          "In your SIS, open \(Self.who(entry)) and \(instruction.sentence).", instruction.code,
        ]
        output +=
          fields.map { csvField(ValidationReport.spreadsheetSafe(VisibleText.escaped($0))) }.joined(separator: ",")
          + "\r\n"
      }
    }
    return output
  }
}

/// Name and ID of the person on each line, as the export has them.
private struct PeopleByLine {
  struct Person {
    var first = ""
    var last = ""
    var id = ""
    var fullName: String { [first, last].filter { !$0.isEmpty }.joined(separator: " ") }
  }

  let table: ExportTable?
  let rowOfLine: [Int: Int]

  init(_ table: ExportTable?) {
    self.table = table
    var rows: [Int: Int] = [:]
    if let table { for row in 0..<table.rowCount { rows[table.line(ofRow: row)] = row } }
    rowOfLine = rows
  }

  func person(line: Int) -> Person {
    guard let table, let row = rowOfLine[line] else { return Person() }
    return Person(
      first: table.value(row: row, column: .firstName), last: table.value(row: row, column: .lastName),
      id: table.value(row: row, column: .customID))
  }

  func value(line: Int, column: ExportColumn) -> String {
    guard let table, let row = rowOfLine[line] else { return "" }
    return table.value(row: row, column: column)
  }
}
