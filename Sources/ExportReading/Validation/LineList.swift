import SyncModel

/// Lists of line numbers as findings show them: the first few and a count.
///
/// A placeholder value (`noemail@district.org`) can be shared by a hundred
/// thousand rows; each of their findings names the others. Listing every
/// line in every finding would cost memory and time quadratic in the group,
/// so a finding keeps the first `cap` lines and the total.
public enum LineList {
  /// How many related lines a finding lists (the rest are counted).
  public static let cap = 10

  /// "lines 3, 7", or "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 99,990 more"
  /// when `total` exceeds the `first` lines given.
  public static func describe(first: [Int], total: Int) -> String {
    let listed = first.map(String.init).joined(separator: ", ")
    let word = total == 1 ? "line " : "lines "
    guard total > first.count else { return word + listed }
    return word + listed + " and " + grouped(total - first.count) + " more"
  }

  /// The lines of `lines` (ascending) other than the one at `position`,
  /// at most `cap` of them: what a finding about that occurrence lists.
  public static func others(of lines: [Int], except position: Int) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(min(cap, lines.count))
    for (index, line) in lines.enumerated() where index != position {
      result.append(line)
      if result.count == cap { break }
    }
    return result
  }

  /// 99990 → "99,990": counts of lines read at a glance.
  public static func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var out = number < 0 ? "-" : ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
      out.append(digit)
    }
    return out
  }
}

/// How many rows a finding is about and the first `LineList.cap` of their
/// lines: the tally of a value ignored, a value skipped or a list cut,
/// kept for every row but listing only the first lines.
struct LineTally {
  /// Every row counted.
  private(set) var count = 0
  /// The lines of the first rows, at most `LineList.cap` of them.
  private(set) var lines: [Int] = []

  mutating func add(_ line: Int) {
    count += 1
    if lines.count < LineList.cap { lines.append(line) }
  }

  /// Adds the rows of a later part of the file.
  mutating func add(_ other: LineTally) {
    count += other.count
    lines += other.lines.prefix(max(0, LineList.cap - lines.count))
  }

  mutating func shift(by delta: Int) { lines = lines.map { $0 + delta } }
}
