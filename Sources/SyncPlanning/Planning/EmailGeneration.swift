import ExportReading
import SyncDirectory
import SyncModel

/// `[email] generate = …` when planning: the email a row without one gets.
/// A row whose account exists keeps that account's email (an empty SIS
/// value never replaces it, and nothing is generated again); a new person
/// gets the rule's email, with a counter before the `@` (`ann.lee@x`,
/// `ann.lee2@x`, …) past every email an account of the directory holds
/// (managed or not, active or disabled), every email of the export, and
/// every email generated for an earlier row. Rows are taken in file order,
/// so the same export and directory give the same emails.
struct EmailGeneration {
  let directory: DirectorySnapshot
  /// The export's own emails and those generated so far, lowercased.
  private var taken: Set<String>
  /// Per proposal (lowercased), the counter of the email last generated
  /// from it: every lower one was taken then and still is (emails are only
  /// ever added), so the next search starts there. A thousand rows with one
  /// proposal cost a thousand lookups, not half a million.
  private var lastCounter: [String: Int] = [:]

  init(directory: DirectorySnapshot, exportRows: UnsafeRows, rowCount: Int) {
    self.directory = directory
    var emails = Set<String>(minimumCapacity: rowCount)
    for row in 0..<rowCount {
      let email = exportRows.bytes(row, .email)
      if !email.isEmpty { emails.insert(String(decoding: email, as: UTF8.self).lowercased()) }
    }
    taken = emails
  }

  /// What the row's email is: its account's email when the account has
  /// one (kept), else the proposal made free (generated).
  mutating func email(proposal: String, account: Int?) -> (email: String, generated: Bool) {
    if let account {
      let current = directory.accounts.value(row: account, column: .email)
      if !current.isEmpty { return (current, false) }
    }
    let key = proposal.lowercased()
    var counter = lastCounter[key] ?? 1
    var candidate = counter == 1 ? proposal : Self.counted(proposal, counter)
    while taken.contains(candidate.lowercased()) || directory.account(email: candidate) != nil {
      counter += 1
      candidate = Self.counted(proposal, counter)
    }
    taken.insert(candidate.lowercased())
    lastCounter[key] = counter
    return (candidate, true)
  }

  /// `ann.lee@x` with counter 2 is `ann.lee2@x` (the counter goes before
  /// the last `@`; at the end when there is none).
  static func counted(_ email: String, _ counter: Int) -> String {
    guard let at = email.lastIndex(of: "@") else { return email + String(counter) }
    return email[..<at] + String(counter) + email[at...]
  }
}

extension Finding {
  /// W054: the row's email is the generate rule's proposal.
  static func generatedEmail(line: Int, email: String, field: Int?) -> Finding {
    Finding(
      code: .generatedEmail, line: line, column: ExportColumn.email.header, field: field, value: email,
      message: "the row has no email; the mapping's generate rule proposes '\(email)'",
      suggestion: "accept it in review, or apply with --accept-generated; otherwise the row is held back")
  }
}
