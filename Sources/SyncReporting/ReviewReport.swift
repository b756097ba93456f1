import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// The report a reviewer writes for the customer (SPEC §6): the plan's
/// summary and every change, the decisions taken, and every finding with
/// line, column, value, message and suggested fix; as text and as CSV.
public enum ReviewReport {
  public static func text(_ plan: Plan, validation: ValidationResult, directoryPath: String) -> String {
    var out = PlanReport.text(plan, validation: validation, directoryPath: directoryPath, perAction: 0)
    if !plan.decisions.isEmpty {
      out += "\nReview decisions (\(plan.decisions.count)):\n"
      for decision in plan.decisions { out += "  \(VisibleText.escaped(decision.summary))\n" }
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
