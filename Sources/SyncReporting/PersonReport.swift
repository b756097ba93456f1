import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel

/// A person's timeline (`sis-sync person`, the review's `t`): each run that
/// touched the account, oldest first, with its source (kind and export),
/// who committed it, and each field before → after.
public enum PersonReport {
  /// `Emma Stone (account #12): custom_id 1001, emma@x.org, Active`.
  public static func heading(_ timeline: PersonTimeline) -> String {
    let values = timeline.account.values
    var name = [values[.firstName], values[.lastName]].filter { !$0.isEmpty }.joined(separator: " ")
    if name.isEmpty { name = "(no name)" }
    let customID = values[.customID].isEmpty ? "no custom_id" : "custom_id \(values[.customID])"
    return "\(name) (account #\(timeline.accountID)): \(customID), \(values[.email]), \(values[.status])"
  }

  /// `run 3  apply  2026-…  by alice@host  export.csv (sha256 …)`.
  public static func runLine(_ run: RunRecord) -> String {
    var line = "run \(run.id)  \(run.kind.rawValue)  \(run.startedAt)  by \(run.user)@\(run.host)"
    if let reverted = run.revertsRun { line += "  (reverts run \(reverted))" }
    if let export = run.exportPath {
      line += "  \(export)" + (run.exportSHA256.map { " (sha256 \($0))" } ?? "")
    }
    return line
  }

  public static func text(_ timeline: PersonTimeline) -> String {
    var text = heading(timeline) + "\n"
    if timeline.entries.isEmpty { text += "No run changed this account.\n" }
    for entry in timeline.entries {
      text += runLine(entry.run) + "\n"
      for change in entry.changes { text += RunReport.describe(change) + "\n" }
    }
    return text
  }

  public static func json(_ timeline: PersonTimeline) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.field("account_id", Int(timeline.accountID))
    for column in [ExportColumn.customID, .email, .firstName, .lastName, .status] {
      json.field(column.header, timeline.account.values[column])
    }
    json.key("runs")
    json.beginArray()
    for entry in timeline.entries {
      let run = entry.run
      json.beginObject()
      json.field("run_id", Int(run.id))
      json.field("kind", run.kind.rawValue)
      json.field("started_at", run.startedAt)
      json.field("finished_at", run.finishedAt)
      json.field("user", run.user)
      json.field("host", run.host)
      json.field("export", run.exportPath)
      json.field("export_sha256", run.exportSHA256)
      json.field("reverts_run", run.revertsRun.map(Int.init))
      json.key("changes")
      json.beginArray()
      for change in entry.changes { change.writeJSON(into: &json) }
      json.endArray()
      json.endObject()
    }
    json.endArray()
    json.endObject()
    return json.output + "\n"
  }
}
