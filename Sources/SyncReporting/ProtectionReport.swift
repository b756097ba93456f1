import SyncApplying
import SyncDirectory
import SyncModel

/// `sis-sync protect list`: every protection with the record it names, its
/// reason, its end and whether it still holds.
public enum ProtectionReport {
  public static func text(_ entries: [ProtectionEntry]) -> String {
    guard !entries.isEmpty else { return "No account or organization is protected.\n" }
    var out = ""
    for entry in entries {
      let protection = entry.protection
      let end =
        protection.until.map { entry.holds ? "until \($0)" : "EXPIRED on \($0) (planned as any other)" }
        ?? "no end date"
      out += "\(entry.target): \(protection.reason) — \(end)\n"
      out += "  protected by \(protection.createdBy) at \(protection.createdAt)\n"
    }
    return VisibleText.escapedKeepingLines(out)
  }

  public static func json(_ entries: [ProtectionEntry]) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.key("protections")
    json.beginArray()
    for entry in entries {
      let protection = entry.protection
      json.beginObject()
      json.field("kind", protection.kind.rawValue)
      json.field("target_id", Int(protection.targetID))
      json.field("target", entry.target)
      json.field("reason", protection.reason)
      json.field("until", protection.until)
      json.field("holds", entry.holds)
      json.field("created_at", protection.createdAt)
      json.field("created_by", protection.createdBy)
      json.endObject()
    }
    json.endArray()
    json.endObject()
    return json.output + "\n"
  }
}
