import SyncDirectory
import SyncModel

extension PlannedChange: Vacatable {
  /// A change that owns next to nothing (one shared array): what `take`
  /// leaves behind in an array about to be dropped.
  @usableFromInline package static let vacated = PlannedChange(
    action: .create, customID: "", line: nil, accountID: nil, organizationID: 0, before: nil,
    after: AccountValues(values: Array(repeating: "", count: ExportColumn.count)))
}
