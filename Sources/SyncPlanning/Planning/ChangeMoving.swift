import SyncDirectory
import SyncModel

extension PlannedChange {
  /// A change that owns next to nothing (one shared array): what `take`
  /// leaves behind in an array about to be dropped.
  static let vacated = PlannedChange(
    action: .create, customID: "", line: nil, accountID: nil, organizationID: 0, before: nil,
    after: AccountValues(values: Array(repeating: "", count: ExportColumn.count)))
}

extension UnsafeMutableBufferPointer<PlannedChange> {
  /// Moves the change at `index` out, leaving `PlannedChange.vacated` in
  /// its place. Joining a million-row plan's changes into a new array by
  /// copy retained each change's strings and lists, then released them
  /// all with the old array; a move costs one count of the shared array.
  func take(_ index: Int) -> PlannedChange {
    var taken = PlannedChange.vacated
    swap(&taken, &self[index])
    return taken
  }
}
