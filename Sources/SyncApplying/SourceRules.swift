import SyncDirectory
import SyncModel
import SyncPlanning

/// The rules of several sources when a plan is written: the accounts a
/// source's run creates or changes are recorded as managed by that source
/// (`set_source` changes, which `revert` undoes), and an account another
/// source is recorded as managing is never taken over.
enum SourceRules {
  /// Records `source` as the manager of each account (id, custom_id) that
  /// has another or none; one `set_source` change each, in order. Throws
  /// (the whole apply is rolled back) when one is recorded as another
  /// declared source's: planning leaves such rows out (E065), so only a
  /// plan made before the account changed hands gets here.
  static func recordManager(
    _ source: String, of accounts: [(id: Int64, customID: String)], declared: SourceDeclarations,
    in directory: any DirectoryTransaction
  ) throws -> [RecordedChange] {
    guard !accounts.isEmpty else { return [] }
    var managers = try directory.accountSources()
    var records: [RecordedChange] = []
    var takenOver: [String] = []
    for account in accounts {
      let before = managers[account.id]
      guard before != source else { continue }
      if let before, declared.names.contains(before) {
        takenOver.append("account #\(account.id) (custom_id \(account.customID)) is managed by source \(before)")
        continue
      }
      try directory.setAccountSource(source, ofAccount: account.id)
      managers[account.id] = source
      records.append(
        RecordedChange(
          action: RecordedChange.sourceAction, accountID: account.id, customID: account.customID,
          before: before.map { [$0] }, after: [source]))
    }
    guard takenOver.isEmpty else { throw ApplyRefusal.doesNotFit(takenOver.map { $0 + ", not \(source)" }) }
    return records
  }
}
