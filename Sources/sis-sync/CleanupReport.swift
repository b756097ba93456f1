import SyncEngine

/// What `sis-sync cleanup` prints: the plan as `plan` prints it, then what
/// was selected but left out (unmanaged accounts; list lines with their
/// reason), so nothing is silently dropped.
struct CleanupReport {
  var plan: Plan
  var leftOut: [CleanupLeftOut]
  var lineProblems: [AssignIDsProblem]
  /// A resumed session's staged changes that no longer fit, with why.
  var notStaged: [String] = []

  private var validation: ValidationResult {
    .withoutExport(name: plan.exportName, mappingOrigin: plan.mappingOrigin)
  }

  func text(directoryPath: String, perAction: Int) -> String {
    var text = PlanReport.text(plan, validation: validation, directoryPath: directoryPath, perAction: perAction)
    if !leftOut.isEmpty {
      text += "\nLeft out (\(leftOut.count)):\n"
      for account in leftOut { text += "  account #\(account.accountID): \(account.reason)\n" }
    }
    if !lineProblems.isEmpty {
      text += "\nLines left out (\(lineProblems.count)), nothing guessed:\n"
      for problem in lineProblems { text += "  line \(problem.line): \(problem.kind.rawValue): \(problem.reason)\n" }
    }
    if !notStaged.isEmpty {
      text += "\nSaved changes not staged (\(notStaged.count)):\n"
      for line in notStaged { text += "  \(line)\n" }
    }
    return VisibleText.escapedKeepingLines(text)
  }

  /// `{"left_out": [...], "lines_left_out": [...], "not_staged": [...], "run": {...} or null, "plan": {...}}`
  func json(run: RunRecord?) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.key("left_out")
    json.beginArray()
    for account in leftOut {
      json.beginObject()
      json.field("account_id", Int(account.accountID))
      json.field("reason", account.reason)
      json.endObject()
    }
    json.endArray()
    json.key("lines_left_out")
    json.beginArray()
    for problem in lineProblems {
      json.beginObject()
      json.field("line", problem.line)
      json.field("kind", problem.kind.rawValue)
      json.field("reason", problem.reason)
      json.endObject()
    }
    json.endArray()
    json.key("not_staged")
    json.beginArray()
    for line in notStaged { json.string(line) }
    json.endArray()
    json.key("run")
    json.rawValue(
      run.map { RunReport.json($0, result: "applied").trimmingCharacters(in: .whitespacesAndNewlines) } ?? "null")
    json.key("plan")
    json.rawValue(PlanReport.json(plan, validation: validation).trimmingCharacters(in: .whitespacesAndNewlines))
    json.endObject()
    json.newline()
    return json.output
  }

  /// The accounts a filter selects, without an action.
  static func listing(_ accounts: [Int], in snapshot: DirectorySnapshot, json: Bool) -> String {
    let columns: [ExportColumn] = [
      .customID, .lastName, .firstName, .email, .schoolExternalID, .userType, .grade, .position, .status,
    ]
    if json {
      var writer = JSONWriter()
      writer.beginObject()
      writer.key("accounts")
      writer.beginArray()
      for account in accounts {
        let values = snapshot.values(ofAccount: account)
        writer.beginObject()
        writer.field("account_id", Int(snapshot.accountIDs[account]))
        for column in columns { writer.field(column.header, values[column]) }
        writer.endObject()
      }
      writer.endArray()
      writer.endObject()
      writer.newline()
      return writer.output
    }
    var text = "\(accounts.count) accounts selected\n"
    for account in accounts {
      let values = snapshot.values(ofAccount: account)
      text += "  #\(snapshot.accountIDs[account])  \(values[.customID].isEmpty ? "(no ID)" : values[.customID])  "
      text += "\(values[.lastName]), \(values[.firstName])  \(values[.email])  \(values[.schoolExternalID])  "
      text += "\(values[.userType])  \(values[.grade].isEmpty ? "-" : values[.grade])  \(values[.status])\n"
    }
    return VisibleText.escapedKeepingLines(text)
  }
}
