import Foundation
import SyncModel

/// Columns the mapping builds with a template (`template = {Username}@…`),
/// row by row: after the other columns are assembled (a template chosen by
/// user type reads the row's mapped user type), before the review's
/// decisions. Only mappings with templates come here.
extension ValidationRun {
  /// Sets each templated column's value for the current record.
  @inline(never)
  func applyTemplates(line: Int, row: Int) {
    let userType = String(decoding: values[ExportColumn.userType.rawValue], as: UTF8.self)
    for (slot, templates) in templateColumns {
      emptyExplained[slot] = false
      guard let resolved = templates.template(forUserType: userType) else { continue }
      let column = allColumns[slot]
      let outcome = resolved.template.evaluate(forEmail: column == .email) { header in
        resolved.fields[header].map { templateFieldText($0) } ?? ""
      }
      switch outcome {
      case .value(let text):
        values[slot] = owned[slot].store(text.utf8)
      case .emptyPart:
        // Then the column's default, or the usual finding for an empty value.
        values[slot] = defaultValues[slot] ?? fixed.empty
      case .notASCII(let header, let value):
        values[slot] = fixed.empty
        emptyExplained[slot] = true
        report(
          .notSpeltInASCII(column, header: header, value: value, template: resolved.template, line: line), row: row)
      }
    }
  }

  /// `[email] generate = …`: a row without an email gets the rule's email,
  /// kept aside (the row's email stays empty) for planning to count up and
  /// propose.
  @inline(never)
  func proposeEmail(line: Int, row: Int) {
    let slot = ExportColumn.email.rawValue
    if !templateColumns.contains(where: { $0.slot == slot }) { emptyExplained[slot] = false }
    guard let generator = emailGenerator, values[slot].isEmpty, !emptyExplained[slot] else { return }
    let outcome = generator.template.evaluate(forEmail: true) { header in
      generator.fields[header].map { templateFieldText($0) } ?? ""
    }
    switch outcome {
    case .value(let email):
      proposedEmails[line] = email
      emptyExplained[slot] = true
    case .emptyPart:
      break  // Nothing to build from: the email is reported empty (E020).
    case .notASCII(let header, let value):
      emptyExplained[slot] = true
      report(.notSpeltInASCII(.email, header: header, value: value, template: generator.template, line: line), row: row)
    }
  }

  /// A field of the current record as text: trimmed, and read as
  /// Windows-1252 when it is not UTF-8 (the column's own reading reports
  /// that).
  private func templateFieldText(_ field: Int) -> String {
    guard field < reader.fieldCount else { return "" }
    let bytes = reader.field(field)
    let text =
      TextDecoding.isValidUTF8(bytes)
      ? String(decoding: bytes, as: UTF8.self)
      : String(decoding: TextDecoding.windows1252ToUTF8(bytes), as: UTF8.self)
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

extension Finding {
  static func notSpeltInASCII(
    _ column: ExportColumn, header: String, value: String, template: ValueTemplate, line: Int
  ) -> Finding {
    let place = template.line.map { " (mapping line \($0))" } ?? ""
    return Finding(
      code: .notSpeltInASCII, line: line, column: column.header, value: value,
      message:
        "\(column.header) cannot be made: the template\(place) spells \(header) in ASCII, and this value is not in Latin letters",
      suggestion: "give the row its \(column.header) in the SIS, or a Latin spelling of the name")
  }
}
