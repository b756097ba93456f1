import ExportReading
import SyncDirectory
import SyncModel

/// A row that is in the export but is not applied: it has errors, or the
/// reviewer excluded it. Either way its person is still in the district.
struct UnappliedRow: Sendable {
  var line: Int
  var excluded: Bool
  var person: PersonKeys
}

/// The accounts disable-missing must spare because their person is in the
/// export, on a row that is not applied (one whose custom_id names no
/// account: an empty or mistyped ID, a new ID with the account's email).
/// `PersonMatcher` links the rows to the would-be-disabled accounts; a unique
/// match keeps its account (W051), and so does an ambiguous one, for every
/// account it could be (W052): disabling the wrong person is worse than
/// keeping a leaver one more run, and nothing is guessed.
struct KeptAccounts {
  /// Accounts (indexes into the snapshot) not to disable.
  private(set) var accounts: Set<Int> = []
  /// One finding per matched row, in the rows' order.
  private(set) var findings: [Finding] = []

  init() {}

  /// `candidates`: the accounts disable-missing would disable, in directory
  /// order. `rows`: the unapplied rows, in file order.
  init(
    candidates: [Int], rows: [UnappliedRow], directory: DirectorySnapshot, names: PersonNameIndex? = nil,
    organizationIndex: @escaping (String) -> Int?
  ) {
    guard !candidates.isEmpty, !rows.isEmpty else { return }
    let matcher = PersonMatcher(
      directory: directory, candidates: candidates, names: names, organizationIndex: organizationIndex)
    let matches = matcher.match(rows.map(\.person))
    // Rows with the same candidates (a placeholder email on thousands of
    // rows, one name on as many) share one list of their lines, worked out
    // once: a finding names the first few others and counts the rest.
    let otherRows = AmbiguousRowLines(matches: matches, lines: rows.map(\.line))
    var unioned = Set<CandidateListKey>()
    for (index, (row, match)) in zip(rows, matches).enumerated() {
      switch match {
      case .none: continue
      case .account(let account, let key):
        accounts.insert(account)
        findings.append(Self.kept(account, row: row, key: key, directory))
      case .ambiguous(let candidates):
        if unioned.insert(CandidateListKey(candidates)).inserted { accounts.formUnion(candidates) }
        let (others, total) = otherRows.others(ofRow: index, line: row.line)
        findings.append(Self.ambiguous(candidates, row: row, otherLines: others, otherCount: total, directory))
      }
    }
  }

  private static func describe(_ account: Int, _ directory: DirectorySnapshot) -> String {
    "#\(directory.accountIDs[account]) (custom_id \(directory.accounts.value(row: account, column: .customID)))"
  }

  private static func kept(_ account: Int, row: UnappliedRow, key: PersonKey, _ directory: DirectorySnapshot)
    -> Finding
  {
    Finding(
      code: .presentWithErrors, line: row.line,
      message:
        "account \(describe(account, directory)) is not disabled: line \(row.line) is that person (same \(key.rawValue)),"
        + " but the row \(row.excluded ? "is excluded" : "has errors")",
      suggestion: row.excluded
        ? "the person is in the export, so the account is kept as it is"
        : "fix the row so that it is applied; until then the account is kept as it is")
  }

  /// `otherLines`: the first lines of the other rows that could be the
  /// same accounts; `otherCount`: how many there are in all.
  private static func ambiguous(
    _ accounts: [Int], row: UnappliedRow, otherLines: [Int], otherCount: Int, _ directory: DirectorySnapshot
  ) -> Finding {
    let shown = accounts.prefix(5).map { describe($0, directory) }.joined(separator: ", ")
    let more = accounts.count > 5 ? " and \(accounts.count - 5) more" : ""
    let lines = LineList.describe(first: otherLines, total: otherCount)
    let message =
      accounts.count > 1
      ? "line \(row.line) could be any of accounts \(shown)\(more)"
        + (otherLines.isEmpty ? "" : " (as could \(lines))") + ": none is disabled and none is chosen"
      : "account \(shown) could be line \(row.line) or \(lines):"
        + " it is not disabled and no row is linked to it"
    return Finding(
      code: .ambiguousPerson, line: row.line, message: message,
      suggestion: "correct the custom_id (or the email) so that each row names its own account",
      relatedLines: otherLines, relatedCount: otherCount)
  }
}
