import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// Runs as text and as JSON (`apply`, `history`, `show`: the run ID and the
/// same counts as a plan, SPEC §7).
public enum RunReport {
  /// `3 created, 12 updated`: each action's count in words, in the
  /// order a plan lists them (JSON keeps the action names).
  public static func counts(_ run: RunRecord) -> String {
    let rowsLeftAlone = [RunRecord.unchangedRows, RunRecord.skippedRows]
    func rank(_ action: String) -> (Int, String) {
      (ActionWords.order.firstIndex(of: action) ?? ActionWords.order.count, action)
    }
    let parts = run.counts.filter { $0.value > 0 && !rowsLeftAlone.contains($0.key) }
      .sorted { rank($0.key) < rank($1.key) }
      .map { ActionWords.count($0.value, $0.key) }
    return parts.isEmpty ? "no changes" : parts.joined(separator: ", ")
  }

  /// One recorded change in words: `gave an ID to 4411 (account #7), line 5: …`.
  public static func describe(_ change: RecordedChange) -> String {
    var text = "  \(ActionWords.verb(change.action))"
    if let customID = change.customID { text += " \(customID)" }
    if let accountID = change.accountID { text += " (account #\(accountID))" }
    if let line = change.line {
      text += (change.customID == nil && change.accountID == nil ? " " : ", ") + "line \(line)"
    }
    if change.action.hasSuffix(RecordedChange.sourceAction) {
      // [source] each; empty: no source recorded.
      func shown(_ values: [String]?) -> String { values?.first.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)" }
      text += ": \(shown(change.before)) → \(shown(change.after))"
    } else if change.action.hasSuffix(RecordedChange.localFieldsAction) {
      func shown(_ recorded: [String]?) -> String {
        let fields = RecordedChange.localFieldNames(recorded)
        return fields.isEmpty ? "none local" : "local: " + fields.joined(separator: ", ")
      }
      text += ": \(shown(change.before)) → \(shown(change.after))"
    } else if change.action.hasSuffix(RecordedChange.protectionAction) {
      func shown(_ values: [String]?) -> String {
        guard let protection = values.flatMap(ProtectionRecord.init(recorded:)) else { return "not protected" }
        return "protected (\(protection.reason)" + (protection.until.map { ", until \($0)" } ?? "") + ")"
      }
      if change.accountID == nil, let organization = change.organizationID {
        text += " (organization #\(organization))"
      }
      text += ": \(shown(change.before)) → \(shown(change.after))"
    } else if change.action.hasSuffix(RecordedChange.settingAction) {
      // [key, value] each; an empty value: not stored (the default).
      func shown(_ pair: [String]?) -> String {
        pair.map { $0.count == 2 && !$0[1].isEmpty ? $0[1] : "(default)" } ?? ""
      }
      let key = change.before?.first ?? change.after.first ?? ""
      text += " \(key): \(shown(change.before)) → \(change.after.isEmpty ? "" : shown(change.after))"
    } else if change.action.hasSuffix(RecordedChange.pendingDisableAction) {
      // [missing_since] recorded; [missing_since, run] cleared.
      let since = (change.action.hasSuffix(RecordedChange.clearPendingDisableAction) ? change.before : change.after)
      text += ": missing since \(since?.first ?? "?")"
    } else if change.action.hasSuffix("set_organization_external_id") {
      text +=
        " (organization #\(change.organizationID ?? 0)): \(change.before?.first ?? "(none)") → \(change.after.first ?? "")"
    } else if let before = change.before, before.count == ExportColumn.count, change.after.count == ExportColumn.count {
      let diffs = ExportColumn.allCases.filter { before[$0.rawValue] != change.after[$0.rawValue] }.map {
        "\($0.header) \(before[$0.rawValue]) → \(change.after[$0.rawValue])"
      }
      text += ": " + (diffs.isEmpty ? "no field changed" : diffs.joined(separator: "; "))
    } else if change.after.count == ExportColumn.count {
      text += ": " + "\(change.after[ExportColumn.lastName.rawValue]), \(change.after[ExportColumn.firstName.rawValue])"
    }
    if let outcome = change.outcome { text += " — \(outcome)" }
    return VisibleText.escaped(text)
  }

  public static func json(_ run: RunRecord?, result: String?, changes: [RecordedChange]? = nil) -> String {
    var json = JSONWriter()
    json.beginObject()
    if let result { json.field("result", result) }
    json.field("run_id", run.map { Int($0.id) })
    if let run {
      json.field("kind", run.kind.rawValue)
      json.field("started_at", run.startedAt)
      json.field("finished_at", run.finishedAt)
      json.field("user", run.user)
      json.field("export", run.exportPath)
      json.field("export_sha256", run.exportSHA256)
      json.field("reverts_run", run.revertsRun.map(Int.init))
      json.field("source", run.source)
      json.key("summary")
      json.beginObject()
      let names = [
        "create", "update", "disable", "reactivate", "assign_id", "id_change", RunRecord.unchangedRows,
        RunRecord.skippedRows,
      ]
      for name in names { json.field(name, run.counts[name] ?? 0) }
      for (name, count) in run.counts.sorted(by: { $0.key < $1.key }) where !names.contains(name) {
        json.field(name, count)
      }
      json.endObject()
    }
    if let changes {
      json.key("changes")
      json.beginArray()
      for change in changes { change.writeJSON(into: &json) }
      json.endArray()
    }
    json.endObject()
    return json.output + "\n"
  }
}

extension RecordedChange {
  /// The change as `show` and `person` write it in JSON: action, custom_id,
  /// line, account, outcome, and each field that differs, before and after.
  func writeJSON(into json: inout JSONWriter) {
    json.beginObject()
    json.field("action", action)
    json.field("custom_id", customID)
    json.field("line", line)
    json.field("account_id", accountID.map(Int.init))
    if let outcome { json.field("outcome", outcome) }
    if action.hasSuffix(Self.sourceAction) {
      // The source that manages the account before and after; null for none.
      json.key("source")
      json.beginObject()
      json.field("before", before?.first.flatMap { $0.isEmpty ? nil : $0 })
      json.field("after", after.first.flatMap { $0.isEmpty ? nil : $0 })
      json.endObject()
    }
    if action.hasSuffix(Self.settingAction) {
      // A setting's value before and after; null when not stored (the default).
      func value(_ pair: [String]?) -> String? { pair.flatMap { $0.count == 2 && !$0[1].isEmpty ? $0[1] : nil } }
      json.key("setting")
      json.beginObject()
      json.field("key", before?.first ?? after.first)
      json.field("before", value(before))
      json.field("after", value(after))
      json.endObject()
    }
    if action.hasSuffix(Self.localFieldsAction) {
      // The account's own local fields before and after (field names).
      json.key("local_fields")
      json.beginObject()
      for (key, names) in [("before", Self.localFieldNames(before)), ("after", Self.localFieldNames(after))] {
        json.key(key)
        json.beginArray()
        for name in names { json.string(name) }
        json.endArray()
      }
      json.endObject()
    }
    json.key("fields")
    json.beginObject()
    if after.count == ExportColumn.count {
      for column in ExportColumn.allCases {
        let before = before.map { $0[column.rawValue] }
        let after = after[column.rawValue]
        guard before != after else { continue }
        json.key(column.header)
        json.beginObject()
        json.field("before", before)
        json.field("after", after)
        json.endObject()
      }
    }
    json.endObject()
    json.endObject()
  }
}
