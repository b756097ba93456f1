import ExportReading
import SyncDirectory
import SyncModel

/// A row that could be an ID change: it names no account by custom_id and
/// is planned as a create, or its email is a managed account's (an email
/// conflict). `position` is the row's index in the plan being made.
package struct PossibleIDChange: Sendable {
  var position: Int
  var line: Int
  var organizationID: Int64
  var after: AccountValues
  /// The account the row's email belongs to (an index into the snapshot):
  /// set for an email conflict (an error), nil for a create (its email is
  /// no account's).
  var emailOwner: Int?
  /// The row was an email conflict (an error), not a create.
  var wasConflict: Bool { emailOwner != nil }
}

/// The ID changes of a plan: rows with a custom_id no account has that are
/// the person of a managed account absent from the export (its custom_id on
/// no row), by `PersonMatcher` (email, else first and last name with
/// building and user type), one account for the row and one row for the
/// account. Such a row is planned as that account re-keyed to the new
/// custom_id, not as a create (and a disable): the account and its history
/// are kept. An ambiguous match is never guessed (W059): the row stays as
/// it was.
struct IDChanges {
  /// The ID change of each matched row, by position.
  private(set) var changes: [Int: PlannedChange] = [:]
  /// The accounts re-keyed (indexes into the snapshot).
  private(set) var accounts: Set<Int> = []
  /// W059 for each row of an ambiguous match, in the rows' order.
  private(set) var findings: [Finding] = []

  init() {}

  /// `absent`: the managed accounts no row names by custom_id, in directory
  /// order. `rows`: the possible ID changes, in file order.
  init(
    rows: [PossibleIDChange], absent: [Int], directory: DirectorySnapshot, decisions: ReviewDecisions,
    localFields: LocalFieldIndex = LocalFieldIndex(), names: PersonNameIndex? = nil,
    organizationIndex: @escaping (String) -> Int?
  ) {
    guard !rows.isEmpty, !absent.isEmpty else { return }
    let matcher = PersonMatcher(
      directory: directory, candidates: absent, names: names, organizationIndex: organizationIndex)
    // Planning looked up each row's custom_id (no account's) and email.
    let matches = matcher.match(count: rows.count, emailOwners: rows.map(\.emailOwner)) { row in
      let after = rows[row].after
      return PersonKeys { after[$0] }
    }
    let others = AmbiguousRowLines(matches: matches, lines: rows.map(\.line))
    for (index, (row, match)) in zip(rows, matches).enumerated() {
      switch match {
      case .none: continue
      case .account(let account, let key):
        guard Self.isPlausible(row, account: account, key: key, directory) else { continue }
        accounts.insert(account)
        var change = PlannedChange(
          action: .idChange, customID: row.after[.customID], line: row.line,
          accountID: directory.accountIDs[account], organizationID: row.organizationID,
          before: PlanAssembly.accountValues(account, directory, decisions), after: row.after,
          matchedBy: key)
        // The re-keyed account keeps its local fields as any update does.
        if !localFields.isEmpty, let before = change.before {
          change.keptLocal = localFields.keep(account, before: before, after: &change.after)
        }
        changes[row.position] = change
      case .ambiguous(let candidates):
        let (otherLines, otherCount) = others.others(ofRow: index, line: row.line)
        findings.append(Self.ambiguous(candidates, row: row, otherLines: otherLines, otherCount: otherCount, directory))
      }
    }
  }

  /// What a match alone does not rule out, and a re-key must: a new ID
  /// that is a spreadsheet's damage (4512 for 004512, W029's 1.23457E+11:
  /// the row's own finding says how to fix it), and an email now given to
  /// someone else (neither first nor last name agrees). Such a row stays as
  /// it would be.
  private static func isPlausible(
    _ row: PossibleIDChange, account: Int, key: PersonKey, _ directory: DirectorySnapshot
  ) -> Bool {
    let newID = row.after[.customID]
    let oldID = directory.accounts.value(row: account, column: .customID)
    if oldID.drop(while: { $0 == "0" }) == newID.drop(while: { $0 == "0" }) { return false }
    var id = newID
    if id.withUTF8(ValueRules.looksSpreadsheetMangled) { return false }
    guard key == .email else { return true }
    return [ExportColumn.firstName, .lastName].contains { column in
      directory.accounts.value(row: account, column: column).lowercased() == row.after[column].lowercased()
    }
  }

  private static func describe(_ account: Int, _ directory: DirectorySnapshot) -> String {
    "#\(directory.accountIDs[account]) (custom_id \(directory.accounts.value(row: account, column: .customID)))"
  }

  /// Names every candidate and the other rows (custom_ids and lines only:
  /// no names or emails). `otherLines`: the first of the other rows' lines;
  /// `otherCount`: how many there are in all.
  private static func ambiguous(
    _ accounts: [Int], row: PossibleIDChange, otherLines: [Int], otherCount: Int, _ directory: DirectorySnapshot
  ) -> Finding {
    let shown = accounts.prefix(5).map { describe($0, directory) }.joined(separator: ", ")
    let more = accounts.count > 5 ? " and \(accounts.count - 5) more" : ""
    let lines = LineList.describe(first: otherLines, total: otherCount)
    let kept = row.wasConflict ? "it is not applied" : "it stays a create"
    let message =
      accounts.count > 1
      ? "line \(row.line) (custom_id \(row.after[.customID])) could be the new ID of accounts \(shown)\(more)"
        + (otherLines.isEmpty ? "" : " (as could \(lines))") + ": no ID change is guessed; \(kept)"
      : "account \(shown) could have the new ID of line \(row.line) (custom_id \(row.after[.customID])) or of"
        + " \(lines): no ID change is guessed; \(kept)"
    return Finding(
      code: .ambiguousIDChange, line: row.line, message: message,
      suggestion: "give each person their own email, or exclude the rows that are not this person",
      relatedLines: otherLines, relatedCount: otherCount)
  }
}
