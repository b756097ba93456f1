import ExportReading
import Foundation
import SyncModel

/// What to do about a finding, in a school secretary's words, naming the
/// SIS's column: the sentence after "In your SIS, open PERSON and …". One
/// entry per code a row can have; where no single change fixes it, a plain
/// explanation of what to check.
enum ReviewReportWords {
  static func instruction(for finding: Finding, sisColumn column: String) -> ReviewReport.Instruction {
    let value = finding.value ?? ""
    let suggested = finding.suggestedValue
    func change(to target: String) -> (String, String) {
      (target, "change \(column) from \(quoted(value)) to \(target)")
    }
    let (setTo, sentence): (String, String) =
      switch finding.code {
      case .missingValue: ("a value", "fill in \(column) (it is empty)")
      case .invalidEmail: change(to: suggested ?? "a valid email address (name@school.org)")
      case .invalidUserType: change(to: "Teacher, Staff, Administrator or Student")
      case .invalidStatus: change(to: "Active or Disabled")
      case .invalidGrade: change(to: suggested ?? "PreK, K, 1 to 12, Other, or nothing")
      case .caseNormalised:
        (
          suggested ?? "",
          "optionally write \(column) as \(suggested ?? "the standard spelling") instead of \(quoted(value)); it was read as that"
        )
      case .valueTooLong, .fieldTooLong: ("a shorter value", "shorten \(column) (it is too long to be read)")
      case .controlCharacter:
        ("the same text retyped", "retype \(column): it holds an invisible control character")
      case .bidiControl:
        ("the same text retyped", "retype \(column): it holds an invisible character that changes the text's direction")
      case .lineBreakInName: ("one line", "remove the line break from \(column)")
      case .spreadsheetMangledID:
        (
          "the ID as the SIS has it",
          "check \(column): \(quoted(value)) looks changed by a spreadsheet; export again without opening the file in one"
        )
      case .duplicateCustomID:
        (
          "an ID of their own",
          "give them their own \(column): \(quoted(value)) is also used on line\(others(finding))"
        )
      case .duplicateEmail:
        (
          "an email of their own",
          "give them their own \(column): \(quoted(value)) is also used on line\(others(finding))"
        )
      case .unknownOrganization:
        suggested.map(change(to:))
          ?? (
            "the building ID of their school",
            "change \(column) from \(quoted(value)) to the building ID of their school "
              + "(no school in the directory has this one)"
          )
      case .emailConflict:
        ("an email of their own", "check \(column): \(quoted(value)) belongs to another account in the directory")
      case .leadingZeros:
        (suggested ?? "", "check \(column): \(quoted(value)) differs from the directory's only by leading zeros")
      case .notSpeltInASCII:
        ("", "check the name: the mapping cannot spell \(column) from it in plain letters; ask your administrator")
      case .generatedEmail:
        (suggested ?? "", "fill in \(column): it is empty" + (suggested.map { "; we propose \($0)" } ?? ""))
      case .copiesDisagree:
        ("one value", "make the columns named \(column) agree: the export has it twice, with different values")
      case .noCompanionRow: ("a matching row", "check \(column): the linked file has no row for this person")
      case .presentWithErrors, .ambiguousPerson:
        ("", "check the ID and email: their account could not be told apart from another (nothing was changed)")
      default:
        ("", plainFallback(finding))
      }
    return ReviewReport.Instruction(
      code: finding.code.id, sisColumn: column, currentValue: value, setTo: setTo, sentence: sentence)
  }

  /// `"Inactive"`, or `nothing` for an empty value.
  static func quoted(_ value: String) -> String { value.isEmpty ? "nothing" : "\"\(value)\"" }

  /// `s 3, 7` / ` 3` after "line".
  private static func others(_ finding: Finding) -> String {
    let lines = finding.relatedLines.map(String.init).joined(separator: ", ")
    let more =
      finding.relatedCount > finding.relatedLines.count
      ? " and \(finding.relatedCount - finding.relatedLines.count) more" : ""
    return (finding.relatedCount == 1 ? " " : "s ") + lines + more
  }

  /// A code without its own sentence: what we found and the catalog's fix.
  private static func plainFallback(_ finding: Finding) -> String {
    let fix = finding.suggestion ?? finding.code.fix
    return "look at this: \(finding.message); \(fix.prefix(1).lowercased() + fix.dropFirst())"
      .trimmingCharacters(in: CharacterSet(charactersIn: "."))
  }
}
