/// The grades students move up through, lowest first: PreK, K, 1 … 12
/// (`Unspecified` and `Other` are not on it: no step leads to or from
/// them). A grade's rank is its place on the ladder.
public enum GradeLadder {
  public static let steps = ["PreK", "K"] + (1...12).map(String.init)

  /// The rank of a canonical grade (as the directory keeps it), nil off the ladder.
  public static func rank(_ grade: String) -> Int? { steps.firstIndex(of: grade) }

  /// The canonical grade of a rank.
  public static func grade(rank: Int) -> String? { steps.indices.contains(rank) ? steps[rank] : nil }

  /// A grade as people and SIS files spell it (any letter case; PK, Pre-K
  /// and PreKindergarten for PreK; KG, Kindergarten, 0 and 00 for K;
  /// leading zeros, 09), in canonical form; nil when it is not on the ladder.
  public static func parse(_ text: String) -> String? {
    let key = text.trimmingSpacesAndTabs().lowercased().filter { $0 != " " }
    switch key {
    case "prek", "pre-k", "pk", "prekindergarten", "preschool": return "PreK"
    case "k", "kg", "kindergarten", "0", "00": return "K"
    default:
      guard let number = Int(key), (1...12).contains(number), key.allSatisfy(\.isNumber) else { return nil }
      return String(number)
    }
  }
}

/// The grades a school teaches, lowest to highest, both on the ladder
/// (`K-5`, `6-8`, `9-12`, `PreK-8`).
public struct GradeRange: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var lowest: Int
  public var highest: Int

  public init?(lowest: String, highest: String) {
    guard let low = GradeLadder.parse(lowest).flatMap(GradeLadder.rank),
      let high = GradeLadder.parse(highest).flatMap(GradeLadder.rank), low <= high
    else { return nil }
    (self.lowest, self.highest) = (low, high)
  }

  /// `K-5`: the lowest and highest grade joined by a dash (`PK-8` and
  /// `kg-05` are read as `PreK-8` and `K-5`).
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    // Pre-K holds a dash of its own: "Pre-K-5".
    let joined = parts.count == 3 && parts[0].lowercased() == "pre" ? [parts[0] + parts[1], parts[2]] : parts
    guard joined.count == 2 else { return nil }
    self.init(lowest: joined[0], highest: joined[1])
  }

  public func contains(_ rank: Int) -> Bool { (lowest...highest).contains(rank) }

  public var description: String { GradeLadder.steps[lowest] + "-" + GradeLadder.steps[highest] }
}

extension String {
  fileprivate func trimmingSpacesAndTabs() -> Substring {
    var text = Substring(self)
    while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
    return text
  }
}
