import SyncDirectory

/// A run's counts in words a school secretary reads ("2 accounts created,
/// 1 organization given its building ID"), not the action names of the
/// database (`assign_id`, `set_organization_external_id`). Rows left alone
/// (unchanged, skipped) are not changes and are not named.
public enum RunCountWords {
  public static func describe(_ counts: [String: Int]) -> String {
    let order = [
      "create", "update", "disable", "reactivate", "assign_id", "id_change", RecordedChange.organizationAction,
    ]
    let leftAlone = [RunRecord.unchangedRows, RunRecord.skippedRows]
    let others = counts.keys.filter { name in !order.contains(name) && !leftAlone.contains(name) }.sorted()
    let parts = (order + others).compactMap { name -> String? in
      guard let count = counts[name], count > 0 else { return nil }
      return phrase(name, count)
    }
    return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
  }

  static func phrase(_ action: String, _ count: Int) -> String {
    let one = count == 1
    switch action {
    case "create": return "\(count) \(one ? "account" : "accounts") created"
    case "update": return "\(count) updated"
    case "disable": return "\(count) disabled"
    case "reactivate": return "\(count) reactivated"
    case "assign_id":
      return one
        ? "1 existing account given its custom_id" : "\(count) existing accounts given their custom_id"
    case "id_change":
      return one
        ? "1 account given its new custom_id (ID change)" : "\(count) accounts given their new custom_id (ID changes)"
    case RecordedChange.organizationAction:
      return one ? "1 organization given its building ID" : "\(count) organizations given their building ID"
    default: return "\(count) \(action.replacingOccurrences(of: "_", with: " "))"
    }
  }
}
