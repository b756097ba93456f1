import SyncDirectory

/// The actions of runs and plans in people's words, for text outputs
/// (`history`, `show`, `apply`, `revert`): "gave an ID to" rather than
/// `assign_id`. JSON keeps the action names scripts rely on.
public enum ActionWords {
  /// The order in which counts are listed.
  static let order = [
    "create", "update", "disable", "reactivate", "assign_id", "id_change", RecordedChange.organizationAction,
    RecordedChange.settingAction, RecordedChange.protectionAction, RecordedChange.pendingDisableAction,
    RecordedChange.clearPendingDisableAction, RecordedChange.localFieldsAction,
    "reverted", "kept", "failed",
  ]

  /// What a change did: "created", "gave an ID to", "set a school's external ID".
  public static func verb(_ action: String) -> String {
    switch action {
    case "create": "created"
    case "update": "updated"
    case "disable": "disabled"
    case "reactivate": "reactivated"
    case "assign_id": "gave an ID to"
    case "id_change": "changed the custom_id of"
    case RecordedChange.organizationAction: "set a school's external ID"
    case RecordedChange.settingAction: "changed setting"
    case "revert_" + RecordedChange.settingAction: "restored setting"
    case RecordedChange.protectionAction: "changed the protection of"
    case "revert_" + RecordedChange.protectionAction: "restored the protection of"
    case RecordedChange.sourceAction: "recorded the source of"
    case "revert_" + RecordedChange.sourceAction: "restored the source of"
    case RecordedChange.localFieldsAction: "changed the local fields of"
    case "revert_" + RecordedChange.localFieldsAction: "restored the local fields of"
    case RecordedChange.pendingDisableAction: "found missing (pending disable)"
    case RecordedChange.clearPendingDisableAction: "cleared the pending disable of"
    default: action
    }
  }

  /// A count in words: "3 created", "1 given an ID", "2 schools' external IDs set".
  public static func count(_ count: Int, _ action: String) -> String {
    switch action {
    case "create", "update", "disable", "reactivate": "\(count) \(verb(action))"
    case "assign_id": "\(count) given an ID"
    case "id_change": "\(count) re-keyed to a new custom_id"
    case RecordedChange.organizationAction:
      count == 1 ? "1 school's external ID set" : "\(count) schools' external IDs set"
    case RecordedChange.settingAction: count == 1 ? "1 setting changed" : "\(count) settings changed"
    case RecordedChange.protectionAction: count == 1 ? "1 protection changed" : "\(count) protections changed"
    case RecordedChange.localFieldsAction:
      count == 1 ? "1 account's local fields changed" : "\(count) accounts' local fields changed"
    case RecordedChange.pendingDisableAction: "\(count) pending disable" + (count == 1 ? "" : "s")
    case RecordedChange.clearPendingDisableAction: "\(count) pending disable" + (count == 1 ? "" : "s") + " cleared"
    default: "\(count) \(action)"
    }
  }
}
