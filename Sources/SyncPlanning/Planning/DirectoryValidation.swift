import ExportReading
import SyncDirectory
import SyncModel

/// `validate --directory`: the export's validation with the checks that
/// need the directory. Unknown buildings are validation's own (given the
/// organizations); what planning finds on a row against the accounts (an
/// email another account has, E041; a custom_id that lost its leading
/// zeros, W042; an unmanaged account a row could take over) is added as
/// findings of the validation. Planning's notes on the whole plan are not.
public enum DirectoryValidation {
  public static func validate(
    exportPath: String, mapping: ColumnMapping, directory: any DirectoryStore
  ) throws -> ValidationResult {
    let output = try PlanPipeline.run(
      PlanPipeline.Input(exportPath: exportPath, mapping: mapping), directory: directory)
    var result = output.validation
    guard result.isUsable else { return result }
    let validationCodes = Set(result.findings.map(\.code))
    let rowChecks = output.plan.findings.filter {
      $0.code.origin == .directory && $0.line != nil && !$0.code.summarizesLines && !validationCodes.contains($0.code)
    }
    guard !rowChecks.isEmpty else { return result }
    result.findings += rowChecks
    result.findings.putInReadingOrder()
    // A row whose email another account has cannot be applied either.
    result.rowsWithErrors = output.plan.summary.rowsWithErrors
    return result
  }
}
