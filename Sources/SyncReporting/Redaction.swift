import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// Masks people's names and emails in reports meant for outside the
/// district (`--redact`): line numbers, columns, codes, custom_ids, building
/// IDs and the findings themselves are kept, so the report still says what
/// to fix and where. "Ana" becomes "A…", "ana.ruiz@x.org" becomes
/// "a…@x.org".
public enum Redaction {
  static let personalColumns: Set<String> = [
    ExportColumn.firstName.header, ExportColumn.middleName.header, ExportColumn.lastName.header,
    ExportColumn.email.header,
  ]

  public static func mask(_ value: String) -> String {
    guard let first = value.first else { return value }
    if let at = value.firstIndex(of: "@") { return String(first) + "…" + value[at...] }
    return String(first) + "…"
  }

  /// "Chloe Brown" → "C… B…".
  public static func maskName(_ first: String, _ last: String) -> String {
    [first, last].filter { !$0.isEmpty }.map(mask).joined(separator: " ")
  }

  /// The findings with their personal values masked, also where the
  /// message or suggestion quotes them.
  public static func redact(_ findings: [Finding]) -> [Finding] {
    findings.map { finding in
      guard let column = finding.column, personalColumns.contains(column), let value = finding.value, !value.isEmpty
      else { return finding }
      var masked = finding
      let replacement = mask(value)
      masked.value = replacement
      masked.message = finding.message.replacingAll(value, with: replacement)
      masked.suggestion = finding.suggestion.map { text in
        // A repaired email suggested for a bad one is personal too.
        let repaired = finding.suggestedValue.map { text.replacingAll($0, with: mask($0)) } ?? text
        return repaired.replacingAll(value, with: replacement)
      }
      masked.suggestedValue = finding.suggestedValue.map(mask)
      return masked
    }
  }

  public static func redact(_ result: ValidationResult) -> ValidationResult {
    var redacted = result
    redacted.findings = redact(result.findings)
    return redacted
  }

  /// The plan with the names and emails of every change masked (before
  /// and after), and its findings redacted.
  public static func redact(_ plan: Plan) -> Plan {
    var redacted = plan
    redacted.findings = redact(plan.findings)
    func masked(_ values: AccountValues) -> AccountValues {
      var values = values
      for column in [ExportColumn.firstName, .middleName, .lastName, .email] {
        values[column] = mask(values[column])
      }
      return values
    }
    redacted.changes = plan.changes.map { change in
      var change = change
      change.before = change.before.map(masked)
      change.after = masked(change.after)
      return change
    }
    return redacted
  }
}

extension String {
  fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
