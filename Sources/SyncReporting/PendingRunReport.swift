import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// Held scheduled runs kept for a person, as `sis-sync pending` and
/// `history` show them (text and JSON).
public enum PendingRunReport {
  /// One line for the run, then one indented line per hold and, once
  /// decided, who decided, when and why. `isFresh`: whether the directory
  /// is still in the state the plan was made against (nil: not asked).
  public static func text(_ record: PendingRunRecord, isFresh: Bool? = nil) -> String {
    var line = "pending run \(record.id)  \(record.status.rawValue)  held \(record.heldAt)  \(record.heldBy)"
    if let source = record.source { line += "  source \(source)" }
    line += "  \(record.exportName)"
    if isFresh == false { line += "  (stale: the directory changed since; approving is refused)" }
    var text = VisibleText.escaped(line) + "\n"
    for message in PendingRunHolds(recorded: record.holds).messages {
      text += "    held: " + VisibleText.escaped(message) + "\n"
    }
    if let decision = decision(record) { text += "    " + VisibleText.escaped(decision) + "\n" }
    return text
  }

  /// Who decided, when and why, in words; nil while it waits.
  public static func decision(_ record: PendingRunRecord) -> String? {
    switch record.status {
    case .pending: return nil
    case .superseded:
      return "superseded by pending run \(record.supersededBy.map(String.init) ?? "?")"
    case .approved, .rejected:
      var text = "\(record.status.rawValue) by \(record.decidedBy ?? "?") at \(record.decidedAt ?? "?")"
      if let run = record.appliedRun { text += " as run \(run)" }
      if let reason = record.reason { text += ": \(reason)" }
      return text
    }
  }

  /// A JSON array of runs (`pending --format json`).
  public static func json(_ records: [(PendingRunRecord, Bool?)]) -> String {
    var json = JSONWriter()
    json.beginArray()
    for (record, fresh) in records { write(record, isFresh: fresh, into: &json) }
    json.endArray()
    return json.output + "\n"
  }

  /// One run as an object: id, status, held_at, held_by, host, source,
  /// export, export_sha256, mapping, holds (thresholds with count, scope,
  /// limits and by how much; id_changes), the decision, and `fresh`.
  public static func write(_ record: PendingRunRecord, isFresh: Bool?, into json: inout JSONWriter) {
    json.beginObject()
    json.field("pending_run", Int(record.id))
    json.field("status", record.status.rawValue)
    json.field("held_at", record.heldAt)
    json.field("held_by", record.heldBy)
    json.field("host", record.host)
    json.field("source", record.source)
    json.field("export", record.exportName)
    json.field("export_sha256", record.exportSHA256)
    json.field("mapping", record.mappingOrigin)
    if let isFresh { json.field("fresh", isFresh) }
    let holds = PendingRunHolds(recorded: record.holds)
    json.key("holds")
    json.beginObject()
    json.key("thresholds")
    json.beginArray()
    for hold in holds.thresholds {
      json.beginObject()
      json.field("action", hold.threshold.action.rawValue)
      json.field("count", hold.count)
      json.field("scope", hold.scope)
      json.field("max_count", hold.threshold.maxCount)
      json.key("max_share")
      if let share = hold.threshold.maxShare { json.string(formatShare(share)) } else { json.string(nil) }
      json.field("message", hold.message)
      json.endObject()
    }
    json.endArray()
    json.field("id_changes", holds.idChanges)
    json.endObject()
    json.field("decided_at", record.decidedAt)
    json.field("decided_by", record.decidedBy)
    json.field("reason", record.reason)
    json.field("applied_run", record.appliedRun.map(Int.init))
    json.field("superseded_by", record.supersededBy.map(Int.init))
    json.endObject()
  }

  /// A share as the threshold syntax writes it (`10%`).
  private static func formatShare(_ share: Double) -> String {
    let percent = share * 100
    return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
  }
}
