import ExportReading

/// A list of candidate accounts as rows hold it: one account by its number;
/// more by the list's storage, which the rows of one name share
/// (`PersonMatcher` looks each name up once). Two lists with the same
/// storage are the same list; two equal lists with their own storage are
/// only counted apart, never confused. (Hashing the accounts themselves
/// would cost each row its list's length again.)
enum CandidateListKey: Hashable {
  case single(account: Int)
  case shared(storage: UInt, count: Int)

  init(_ accounts: [Int]) {
    self =
      accounts.count == 1
      ? .single(account: accounts[0])
      : .shared(storage: accounts.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, count: accounts.count)
  }
}

/// For each row of an ambiguous match, the other rows that could be one of
/// its candidates: the first `LineList.cap` of their lines, and how many
/// there are. Worked out per list of candidates, not per row: ten thousand
/// rows of one name against as many accounts would otherwise make each row
/// gather every other's line through every account (a trillion steps).
struct AmbiguousRowLines {
  /// Per row: its list's index in `summaries`, or -1 when not ambiguous.
  private var listOfRow: [Int]
  /// Per list: the first lines (one more than a finding lists, so that a
  /// row's own line can be left out) of all the rows that share one of its
  /// candidates, and how many such rows there are.
  private var summaries: [(first: [Int], total: Int)] = []

  /// `lines[i]` is the line of the row `matches[i]` is about; rows come in
  /// file order.
  init(matches: [PersonMatch], lines: [Int]) {
    listOfRow = [Int](repeating: -1, count: matches.count)
    var listOfKey: [CandidateListKey: Int] = [:]
    var lists: [[Int]] = []
    var rowsOfList: [[Int]] = []
    for (row, match) in matches.enumerated() {
      guard case .ambiguous(let candidates) = match, !candidates.isEmpty else { continue }
      let key = CandidateListKey(candidates)
      let list =
        listOfKey[key]
        ?? {
          listOfKey[key] = lists.count
          lists.append(candidates)
          rowsOfList.append([])
          return lists.count - 1
        }()
      listOfRow[row] = list
      rowsOfList[list].append(row)
    }
    var listsOfAccount: [Int: [Int]] = [:]
    for (list, candidates) in lists.enumerated() {
      for account in candidates { listsOfAccount[account, default: []].append(list) }
    }
    // A row is in one list: the lists sharing an account with this one hold
    // disjoint rows, so their counts add up and their first lines merge.
    summaries = lists.map { candidates in
      var related = Set<Int>()
      for account in candidates { related.formUnion(listsOfAccount[account] ?? []) }
      var first: [Int] = []
      var total = 0
      for list in related {
        total += rowsOfList[list].count
        first += rowsOfList[list].prefix(LineList.cap + 1).map { lines[$0] }
      }
      first.sort()
      return (Array(first.prefix(LineList.cap + 1)), total)
    }
  }

  /// The other rows that could be one of the row's candidates: their first
  /// lines (at most `LineList.cap`), and how many they are.
  func others(ofRow row: Int, line: Int) -> (first: [Int], total: Int) {
    let list = listOfRow[row]
    guard list >= 0 else { return ([], 0) }
    let summary = summaries[list]
    return (Array(summary.first.filter { $0 != line }.prefix(LineList.cap)), summary.total - 1)
  }
}
