import SyncApplying
import SyncDirectory
import SyncModel

/// `sis-sync local-fields list`: the fields local for every account, then
/// each account with fields of its own.
public enum LocalFieldsReport {
  public static func text(_ entries: [LocalFieldsEntry], everyAccount: [ExportColumn]) -> String {
    var out =
      "Every account: "
      + (everyAccount.isEmpty ? "none (setting fields.local)" : everyAccount.map(\.header).joined(separator: ", "))
      + "\n"
    if entries.isEmpty { out += "No account has local fields of its own.\n" }
    for entry in entries { out += "\(entry.target): " + entry.fields.map(\.header).joined(separator: ", ") + "\n" }
    return VisibleText.escapedKeepingLines(out)
  }

  public static func json(_ entries: [LocalFieldsEntry], everyAccount: [ExportColumn]) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.key("every_account")
    json.beginArray()
    for column in everyAccount { json.string(column.header) }
    json.endArray()
    json.key("accounts")
    json.beginArray()
    for entry in entries {
      json.beginObject()
      json.field("account_id", Int(entry.accountID))
      json.field("target", entry.target)
      json.key("fields")
      json.beginArray()
      for column in entry.fields { json.string(column.header) }
      json.endArray()
      json.endObject()
    }
    json.endArray()
    json.endObject()
    return json.output + "\n"
  }
}
