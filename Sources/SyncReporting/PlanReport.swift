import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// A plan as text for people (`+` create, `~` update with each field
/// `before → after`, `-` disable, `^` reactivate, `=` assign ID) and as the
/// JSON of SPEC §7.
public enum PlanReport {
  /// Where a holding threshold came from, in words (nil when unknown: a
  /// plan read back from a file).
  static func origin(of hold: ThresholdHold, in plan: Plan) -> String? {
    if let school = hold.school {
      return "the directory's setting " + SettingsRegistry.schoolThresholdKey(hold.threshold.action, school: school)
    }
    let key = SettingsRegistry.thresholdKey(hold.threshold.action)
    return switch plan.options.thresholdOrigins[hold.threshold.action] {
    case .flag: "--threshold, for this run"
    case .stored: "the directory's setting \(key)"
    case .builtIn: "the built-in default; change it with 'sis-sync settings set \(key)'"
    case nil: nil
    }
  }

  public static func text(_ plan: Plan, validation: ValidationResult, directoryPath: String, perAction: Int = 50)
    -> String
  {
    let summary = plan.summary
    var out = "Plan for \(plan.exportName) against \(directoryPath) (generation \(plan.directoryGeneration))\n"
    if let source = plan.options.sources.source {
      out +=
        "  Source: \(source) (what it creates or changes is recorded as its own; only its accounts are "
        + "disabled as missing or re-keyed; rows naming another source's accounts are not applied)\n"
    }
    out += "  + \(summary.create) to create\n"
    out += "  ~ \(summary.update) to update\n"
    // One pass over the changes: counts, and the first few of each action.
    var absent = 0
    // A cleanup's disables come from no export: none is "absent" from one.
    let isCleanup = CleanupPlan.isCleanupSource(plan.exportName)
    // By position in `ChangeAction.allCases`. The changes are read in
    // place: copying each of a million-row plan's changes (and a
    // dictionary lookup for each) took a fifth of the report's time.
    let actions = ChangeAction.allCases
    var listed = [[Int]](repeating: [], count: actions.count)
    plan.changes.withUnsafeBufferPointer { changes in
      for index in changes.indices {
        let action = changes[index].action
        if action == .disable && changes[index].line == nil && !isCleanup { absent += 1 }
        let slot = actions.firstIndex(of: action)!
        if perAction == 0 || listed[slot].count < perAction { listed[slot].append(index) }
      }
    }
    out += "  - \(summary.disable) to disable" + (absent > 0 ? " (\(absent) absent from the export)" : "") + "\n"
    out += "  ^ \(summary.reactivate) to reactivate\n"
    out += "  = \(summary.assignID) to give an ID to an unmanaged account\n"
    if summary.idChange > 0 {
      out +=
        "  > \(summary.idChange) ID changes (an account absent from the export re-keyed to a row's new custom_id)\n"
    }
    if summary.organizationExternalIDs > 0 {
      out += "  # \(summary.organizationExternalIDs) organization external IDs to set\n"
    }
    out += "    \(summary.unchanged) unchanged, \(summary.skipped) with nothing to do, "
    out += "\(summary.rowsWithErrors) with errors (not applied), \(summary.excluded) excluded\n"
    if !plan.heldBack.isEmpty {
      out += "    \(plan.heldBack.count) held back by protection (not changed):\n"
      for held in plan.heldBack.prefix(perAction == 0 ? plan.heldBack.count : perAction) {
        out += "  " + describe(held) + "\n"
      }
      if perAction > 0, plan.heldBack.count > perAction {
        out += "  … and \(plan.heldBack.count - perAction) more held back (--per-action 0 lists all)\n"
      }
    }
    out += pendingDisablesSummary(plan)
    if !plan.keptLocal.isEmpty {
      out += "    \(plan.keptLocal.count) unchanged but for local fields, kept (local):\n"
      for kept in plan.keptLocal.prefix(perAction == 0 ? plan.keptLocal.count : perAction) {
        out += "  " + describe(kept) + "\n"
      }
      if perAction > 0, plan.keptLocal.count > perAction {
        out += "  … and \(plan.keptLocal.count - perAction) more kept (local) (--per-action 0 lists all)\n"
      }
    }
    if let rollover = plan.rollover { out += RolloverReport.text(rollover) }
    if !plan.holds.isEmpty {
      out +=
        plan.isHeld ? "\nHELD: nothing will be applied until a person overrides this:\n" : "\nThreshold overridden:\n"
      for hold in plan.holds { out += "  \(hold.message)\(origin(of: hold, in: plan).map { " (\($0))" } ?? "")\n" }
      if plan.isHeld { out += "  Review the plan, then apply with --override-threshold.\n" }
    }
    if plan.holdsIDChanges {
      out += "\nHELD: \(summary.idChange) ID change\(summary.idChange == 1 ? "" : "s") must be accepted by a person:"
      out += " check each (> below: what matched, old → new custom_id), then apply with --accept-id-changes,"
      out += " or commit them from 'sis-sync review'.\n"
    }
    if plan.hasChanges {
      out += "\nChanges:\n"
      for change in plan.organizationChanges {
        out += "# \(change.name): external ID \(change.before ?? "(none)") → \(change.after)\n"
      }
      for (slot, action) in actions.enumerated() {
        let shown = listed[slot]
        for index in shown { out += describe(plan.changes[index]) + "\n" }
        let total = plan.summary.count(action)
        if total > shown.count {
          out += "\(action.symbol) … and \(total - shown.count) more \(action.rawValue) (--per-action 0 lists all)\n"
        }
      }
    } else {
      out += "\nNothing to change: the directory already matches the export.\n"
    }
    out += pendingDisablesList(plan, perAction: perAction)
    // (Filtered only when there is one to drop: a filter copies every finding.)
    let notable =
      plan.findings.containsCode { $0 == .directoryChecksSkipped }
      ? plan.findings.filter { $0.code != .directoryChecksSkipped } : plan.findings
    if !notable.isEmpty {
      var findingsOnly = validation
      findingsOnly.findings = notable
      let text = ValidationReport.text(findingsOnly, perCode: 20)
      // Skip the validation headline; the plan's own summary says it.
      let body = text.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.isEmpty }
      out += "\nFindings:" + body.joined(separator: "\n")
    }
    // Paths, names and messages: each change line is escaped already.
    return VisibleText.escapedKeepingLines(out)
  }

  /// The counts of the grace before disable, when there is any.
  private static func pendingDisablesSummary(_ plan: Plan) -> String {
    var out = ""
    if !plan.pendingDisables.isEmpty {
      let new = plan.newPendingDisables.count
      out +=
        "  … \(plan.pendingDisables.count) pending disable (absent; grace \(plan.options.disableGrace))"
        + (new > 0 ? ", \(new) first found missing (recorded when applied)" : "") + "\n"
    }
    if !plan.clearedPendingDisables.isEmpty {
      out += "  … \(plan.clearedPendingDisables.count) pending disables cleared (found back, or disabled)\n"
    }
    return out
  }

  /// `… S1002  missing since 2025-03-01T02:00:00Z, disabled after 2025-03-15T02:00:00Z (13 days left)`.
  private static func pendingDisablesList(_ plan: Plan, perAction: Int) -> String {
    guard !plan.pendingDisables.isEmpty || !plan.clearedPendingDisables.isEmpty else { return "" }
    let now = plan.options.now ?? RunClock.date()
    var out = ""
    if !plan.pendingDisables.isEmpty {
      out += "\nPending disables (absent from the export, waiting out the grace):\n"
      let shown = perAction == 0 ? plan.pendingDisables[...] : plan.pendingDisables.prefix(perAction)
      for pending in shown {
        let days = pending.daysLeft(at: now)
        out +=
          "… #\(pending.accountID)  \(pending.customID)  missing since \(pending.missingSince), disabled after "
          + "\(pending.disableAfter) (\(days) day\(days == 1 ? "" : "s") left)\(pending.isNew ? " (new)" : "")\n"
      }
      if plan.pendingDisables.count > shown.count {
        out += "… and \(plan.pendingDisables.count - shown.count) more (--per-action 0 lists all)\n"
      }
    }
    if !plan.clearedPendingDisables.isEmpty {
      out += "\nPending disables cleared:\n"
      let shown = perAction == 0 ? plan.clearedPendingDisables[...] : plan.clearedPendingDisables.prefix(perAction)
      for cleared in shown {
        out += "… #\(cleared.record.accountID)  \(cleared.customID)  missing since \(cleared.record.missingSince)\n"
      }
      if plan.clearedPendingDisables.count > shown.count {
        out += "… and \(plan.clearedPendingDisables.count - shown.count) more (--per-action 0 lists all)\n"
      }
    }
    return out
  }

  /// One line per change: `~ line 22  S1002  Li, Bo: grade 4 → 5`.
  public static func describe(_ change: PlannedChange) -> String {
    var text = change.action.symbol
    if let line = change.line { text += " line \(line)" }
    text += "  \(change.customID.isEmpty ? "(no ID)" : change.customID)  "
    if let old = change.oldCustomID { text = text.dropLast(2) + " (was \(old))  " }
    let values = change.before ?? change.after
    text += "\(values[.lastName]), \(values[.firstName])"
    switch change.action {
    case .create:
      text += " — \(change.after[.schoolExternalID]), \(change.after[.userType])"
      if !change.after[.grade].isEmpty { text += ", grade \(change.after[.grade])" }
      if !change.after[.position].isEmpty { text += ", \(change.after[.position])" }
    default:
      let diffs = change.changedColumns.map { column in
        "\(column.header) \(shown(change.before?[column] ?? "")) → \(shown(change.after[column]))"
      }
      text += ": " + diffs.joined(separator: "; ")
      if let accountID = change.accountID, change.action == .assignID { text += " (account #\(accountID))" }
      if let accountID = change.accountID, change.action == .idChange {
        text += " (account #\(accountID), same \(change.matchedBy?.rawValue ?? "person"))"
      }
    }
    if !change.keptLocal.isEmpty { text += "; " + keptWords(change.keptLocal) }
    if let reason = change.reason { text += " (\(reason))" }
    if change.generatedEmail == .proposed { text += " (email proposed by the mapping; needs acceptance)" }
    return VisibleText.escaped(text)
  }

  /// `matched_by` in JSON: `email`, or `name` (first and last name with
  /// building and user type).
  enum IDChangeEvidence {
    static func jsonName(_ key: PersonKey) -> String {
      switch key {
      case .customID: "custom_id"
      case .email: "email"
      case .name: "name"
      }
    }
  }

  private static func shown(_ value: String) -> String { value.isEmpty ? "(empty)" : value }

  /// `email kept (local), export has a@x.org`.
  static func keptWords(_ fields: [KeptLocalField]) -> String {
    fields.map { "\($0.column.header) kept (local), export has \(shown($0.exportValue))" }
      .joined(separator: "; ")
  }

  /// One line per account left unchanged for its local fields:
  /// `= line 7  S1002  Li, Bo: email kept (local), export has b.li@x.org`.
  public static func describe(_ kept: KeptLocalFields) -> String {
    let text =
      "= line \(kept.line)  \(kept.customID)  \(kept.values[.lastName]), \(kept.values[.firstName]): "
      + keptWords(kept.fields)
    return VisibleText.escaped(text)
  }

  /// One line per change protection held back:
  /// `! S1002  Li, Bo: would disable (protected: on leave, until 2027-06-30)`.
  public static func describe(_ held: HeldBackChange) -> String {
    let change = held.would
    let values = change.before ?? change.after
    var text = "! " + (change.line.map { "line \($0) " } ?? "")
    text += "\(change.customID.isEmpty ? "(no ID)" : change.customID)  \(values[.lastName]), \(values[.firstName])"
    text += ": would \(verb(change.action)) — \(held.reason)"
    if let until = held.protection.until { text += " (until \(until))" }
    return VisibleText.escaped(text)
  }

  /// The verb of an action, as "would …" says it.
  public static func verb(_ action: ChangeAction) -> String {
    switch action {
    case .create: "create"
    case .update: "update"
    case .disable: "disable"
    case .reactivate: "reactivate"
    case .assignID: "assign an ID to"
    case .idChange: "change the custom_id of"
    }
  }

  public static func json(_ plan: Plan, validation: ValidationResult) -> String {
    var json = JSONWriter()
    writeJSON(plan, validation: validation, into: &json, flushingTo: nil)
    return json.output
  }

  /// The same report handed to `sink` in pieces of about 64 KiB (a plan of
  /// a million rows, or 100,000 duplicate findings, is never held whole).
  public static func streamJSON(_ plan: Plan, validation: ValidationResult, to sink: ([UInt8]) -> Void) {
    var json = JSONWriter()
    withoutActuallyEscaping(sink) { writeJSON(plan, validation: validation, into: &json, flushingTo: $0) }
    json.flush(to: sink)
  }

  /// `{"email": {"kept": "directory's value", "export": "export's value"}}`.
  private static func writeKept(_ fields: [KeptLocalField], values: AccountValues, into json: inout JSONWriter) {
    json.beginObject()
    for field in fields {
      json.key(field.column)
      json.beginObject()
      json.field("kept", values[field.column])
      json.field("export", field.exportValue)
      json.endObject()
    }
    json.endObject()
  }

  /// Each change, in order. Many are written in two halves at once: the
  /// second on another core, into a writer of its own whose bytes follow
  /// the first half's (on one core, a million-row plan's 43 MB of JSON took
  /// a fifth of the plan's own time). `inHalvesFrom`: how many changes make
  /// it worth a second core.
  static func writeChanges(
    _ plan: Plan, into json: inout JSONWriter, flushingTo sink: (([UInt8]) -> Void)?,
    inHalvesFrom threshold: Int = 20_000
  ) {
    let changes = plan.changes
    guard changes.count >= max(threshold, 2) else {
      writeChanges(changes[...], of: plan, into: &json, flushingTo: sink)
      return
    }
    let middle = changes.count / 2
    let shared = UncheckedSendable(plan)
    let secondHalf = Background { () -> UncheckedSendable<JSONWriter> in
      var second = JSONWriter(followingMembers: true)
      writeChanges(shared.value.changes[middle...], of: shared.value, into: &second, flushingTo: nil)
      return UncheckedSendable(second)
    }
    writeChanges(changes[..<middle], of: plan, into: &json, flushingTo: sink)
    var second = secondHalf.take().value
    json.appendMembers(of: &second, flushingTo: sink)
  }

  private static func writeChanges(
    _ changes: ArraySlice<PlannedChange>, of plan: Plan, into json: inout JSONWriter,
    flushingTo sink: (([UInt8]) -> Void)?
  ) {
    for change in changes {
      if let sink, json.pendingByteCount >= 1 << 16 { json.flush(to: sink) }
      json.beginObject()
      json.field("action", change.action.rawValue)
      json.field("custom_id", change.customID)
      json.field("line", change.line)
      json.field("account_id", change.accountID.map(Int.init))
      // The source that manages the account once the change is applied.
      if let source = plan.options.sources.source { json.field("source", source) }
      if let reason = change.reason { json.field("reason", reason) }
      if let group = plan.options.rollover?.group(of: change) { json.field("rollover", group.rawValue) }
      if change.action == .idChange {
        json.field("old_custom_id", change.oldCustomID)
        json.field("matched_by", change.matchedBy.map(IDChangeEvidence.jsonName))
      }
      if let generated = change.generatedEmail {
        // Which values the mapping generated, and whether they are accepted.
        json.key("generated")
        json.beginArray()
        json.string(ExportColumn.email.header)
        json.endArray()
        json.field("generated_status", generated.rawValue)
      }
      json.key("fields")
      json.beginObject()
      for column in change.changedColumns {
        json.key(column)
        json.beginObject()
        // (The values' bytes, written as they are kept: no string made.)
        json.key("before")
        if let before = change.before {
          before.withBytes(column) { json.string(utf8: $0) }
        } else {
          json.string(nil)
        }
        json.key("after")
        change.after.withBytes(column) { json.string(utf8: $0) }
        json.endObject()
      }
      json.endObject()
      if !change.keptLocal.isEmpty {
        json.key("kept_local")
        writeKept(change.keptLocal, values: change.after, into: &json)
      }
      json.endObject()
    }
  }

  private static func writeJSON(
    _ plan: Plan, validation: ValidationResult, into json: inout JSONWriter, flushingTo sink: (([UInt8]) -> Void)?
  ) {
    json.beginObject()
    json.field("export", plan.exportName)
    json.field("export_sha256", plan.exportSHA256)
    json.field("mapping", plan.mappingOrigin)
    json.field("usable", validation.isUsable)
    json.field("rows", plan.rowCount)
    // Rows the mapping left out (skip, another school's row): with `rows`,
    // every data row of the file.
    json.field("skipped_by_mapping", validation.rowsSkippedByMapping)
    json.field("directory_id", plan.directoryID)
    json.field("directory_generation", Int(plan.directoryGeneration))
    json.field("held", plan.isHeld)
    json.field("held_for_id_changes", plan.holdsIDChanges)
    json.field("source", plan.options.sources.source)
    json.key("summary")
    json.beginObject()
    let summary = plan.summary
    json.field("create", summary.create)
    json.field("update", summary.update)
    json.field("disable", summary.disable)
    json.field("reactivate", summary.reactivate)
    json.field("unchanged", summary.unchanged)
    json.field("assign_id", summary.assignID)
    json.field("id_change", summary.idChange)
    json.field("skipped", summary.skipped)
    json.field("set_organization_external_id", summary.organizationExternalIDs)
    json.field("excluded", summary.excluded)
    json.field("held_back", summary.heldBack)
    json.field("kept_local", plan.keptLocal.count + plan.changes.lazy.filter { !$0.keptLocal.isEmpty }.count)
    json.field("rows_with_errors", summary.rowsWithErrors)
    json.field("pending_disable", plan.pendingDisables.count)
    json.field("pending_disable_new", plan.newPendingDisables.count)
    json.field("pending_disable_cleared", plan.clearedPendingDisables.count)
    json.field("errors", plan.count(.error))
    json.field("warnings", plan.count(.warning))
    json.field("infos", plan.count(.info))
    json.endObject()
    json.key("holds")
    json.beginArray()
    for hold in plan.holds {
      json.beginObject()
      json.field("action", hold.threshold.action.rawValue)
      json.field("count", hold.count)
      json.field("scope", hold.scope)
      json.field("max_count", hold.threshold.maxCount)
      json.field("max_percent", hold.threshold.maxShare.map { Int(($0 * 100).rounded()) })
      json.field("message", hold.message)
      json.field(
        "origin",
        hold.school != nil
          ? SettingOrigin.stored.rawValue : plan.options.thresholdOrigins[hold.threshold.action]?.rawValue)
      json.field("school", hold.school)
      json.endObject()
    }
    json.endArray()
    RolloverReport.writeJSON(plan.rollover, into: &json)
    json.key("changes")
    json.beginArray()
    writeChanges(plan, into: &json, flushingTo: sink)
    json.endArray()
    json.key("held_back")
    json.beginArray()
    for held in plan.heldBack {
      json.beginObject()
      json.field("account_id", held.would.accountID.map(Int.init))
      json.field("custom_id", held.would.customID)
      json.field("line", held.would.line)
      json.field("would", held.would.action.rawValue)
      json.field("reason", held.reason)
      json.field("until", held.protection.until)
      json.field("protected", held.protection.kind.rawValue)
      json.endObject()
    }
    json.endArray()
    json.key("kept_local")
    json.beginArray()
    for kept in plan.keptLocal {
      json.beginObject()
      json.field("account_id", Int(kept.accountID))
      json.field("custom_id", kept.customID)
      json.field("line", kept.line)
      json.key("fields")
      writeKept(kept.fields, values: kept.values, into: &json)
      json.endObject()
    }
    json.endArray()
    json.key("organization_changes")
    json.beginArray()
    for change in plan.organizationChanges {
      json.beginObject()
      json.field("organization_id", Int(change.organizationID))
      json.field("name", change.name)
      json.field("before", change.before)
      json.field("after", change.after)
      json.endObject()
    }
    json.endArray()
    writePendingDisables(plan, into: &json)
    var findingsOnly = validation
    findingsOnly.findings = plan.findings
    ValidationReport.writeFindings(findingsOnly, into: &json, flushingTo: sink)
    json.endObject()
    json.newline()
  }

  /// `disable_grace`, `pending_disables` and `cleared_pending_disables`.
  private static func writePendingDisables(_ plan: Plan, into json: inout JSONWriter) {
    let now = plan.options.now ?? RunClock.date()
    json.field("disable_grace", plan.options.disableGrace.description)
    json.key("pending_disables")
    json.beginArray()
    for pending in plan.pendingDisables {
      json.beginObject()
      json.field("account_id", Int(pending.accountID))
      json.field("custom_id", pending.customID)
      json.field("missing_since", pending.missingSince)
      json.field("disable_after", pending.disableAfter)
      json.field("days_left", pending.daysLeft(at: now))
      json.field("new", pending.isNew)
      json.endObject()
    }
    json.endArray()
    json.key("cleared_pending_disables")
    json.beginArray()
    for cleared in plan.clearedPendingDisables {
      json.beginObject()
      json.field("account_id", Int(cleared.record.accountID))
      json.field("custom_id", cleared.customID)
      json.field("missing_since", cleared.record.missingSince)
      json.endObject()
    }
    json.endArray()
  }
}
