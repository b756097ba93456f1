import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// The report a reviewer writes for the customer (SPEC §6): the plan's
/// summary and every change, the decisions taken, and every finding with
/// line, column, value, message and suggested fix; as text and as CSV.
public enum ReviewReport {
  /// `notApplied`: the saved decisions that did not fit the export or the
  /// directory when the session was reopened, one line each with why.
  public static func text(
    _ plan: Plan, validation: ValidationResult, directoryPath: String, notApplied: [String] = []
  ) -> String {
    var out = PlanReport.text(plan, validation: validation, directoryPath: directoryPath, perAction: 0)
    if !plan.decisions.isEmpty {
      out += "\nReview decisions (\(plan.decisions.count)):\n"
      for decision in plan.decisions { out += "  \(VisibleText.escaped(decision.summary))\n" }
    }
    if !notApplied.isEmpty {
      out += "\nSaved decisions not applied (\(notApplied.count)):\n"
      for line in notApplied { out += "  \(VisibleText.escaped(line))\n" }
    }
    return VisibleText.escapedKeepingLines(out)
  }

  /// One finding a row, columns as `validate --format csv` writes them.
  public static func csv(_ plan: Plan, validation: ValidationResult) -> String {
    var findings = validation
    findings.findings = plan.findings
    return ValidationReport.csv(findings)
  }
}
