import ExportReading
import SyncDirectory
import SyncModel

/// A safety limit on one kind of change: a plan that exceeds it is held
/// until someone explicitly overrides it.
public struct Threshold: Sendable, Equatable, Codable {
  public var action: ChangeAction
  /// Most changes of this kind allowed; nil for no count limit.
  public var maxCount: Int?
  /// Largest share of the managed accounts in scope, 0–1; nil for none.
  public var maxShare: Double?

  public init(action: ChangeAction, maxCount: Int?, maxShare: Double?) {
    self.action = action
    self.maxCount = maxCount
    self.maxShare = maxShare
  }

  /// Shares are not applied below this many changes, so that one leaver of
  /// a tiny school does not hold the plan.
  public static let minimumCountForShare = 6

  /// Safe defaults, in line with what published sync tools hold at (10–20%
  /// of deletions, or a few hundred accounts). Updates and creates are not
  /// limited: promotion day updates every student.
  public static let defaults: [Threshold] = [
    Threshold(action: .disable, maxCount: 250, maxShare: 0.10),
    Threshold(action: .reactivate, maxCount: 250, maxShare: 0.10),
    Threshold(action: .assignID, maxCount: 250, maxShare: 0.10),
    Threshold(action: .idChange, maxCount: 250, maxShare: 0.10),
  ]

  /// Parses `disable=250,10%` (either part may be left out; `none` removes
  /// the limit).
  public static func parse(_ text: String) -> Threshold? {
    let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
    guard parts.count == 2, let action = ChangeAction(rawValue: parts[0].replacingDashes()) else { return nil }
    var threshold = Threshold(action: action, maxCount: nil, maxShare: nil)
    if parts[1] == "none" { return threshold }
    for limit in parts[1].split(separator: ",").map({ $0.trimmingSpaces() }) {
      if limit.hasSuffix("%"), let percent = Double(limit.dropLast()), (0...100).contains(percent) {
        threshold.maxShare = percent / 100
      } else if let count = Int(limit), count >= 0 {
        threshold.maxCount = count
      } else {
        return nil
      }
    }
    return threshold
  }

  /// `disable=250,10%`
  public var description: String {
    var limits: [String] = []
    if let maxCount { limits.append(String(maxCount)) }
    if let maxShare { limits.append(formatPercent(maxShare)) }
    return "\(action.rawValue)=" + (limits.isEmpty ? "none" : limits.joined(separator: ","))
  }
}

/// A threshold a plan exceeds, with by how much.
public struct ThresholdHold: Sendable, Equatable, Codable {
  public var threshold: Threshold
  public var count: Int
  public var scope: Int
  /// The school whose own threshold this is (setting
  /// `threshold.ACTION.SCHOOL`; count and scope are that school's); nil
  /// for the district-wide one.
  public var school: String?

  public init(threshold: Threshold, count: Int, scope: Int, school: String? = nil) {
    self.threshold = threshold
    self.count = count
    self.scope = scope
    self.school = school
  }

  public var share: Double { scope == 0 ? 1 : Double(count) / Double(scope) }

  public var message: String {
    var parts: [String] = []
    let what =
      (school.map { "at school \($0): " } ?? "")
      + "\(count) \(threshold.action.rawValue) of \(scope) managed accounts in scope (\(formatPercent(share)))"
    if let maxCount = threshold.maxCount, count > maxCount {
      parts.append("more than \(maxCount) by \(count - maxCount)")
    }
    if let maxShare = threshold.maxShare, share > maxShare, count >= Threshold.minimumCountForShare {
      let allowed = Int((maxShare * Double(scope)).rounded(.down))
      parts.append("more than \(formatPercent(maxShare)) by \(count - allowed)")
    }
    return what + ": " + parts.joined(separator: "; ")
  }
}

enum ThresholdCheck {
  static func holds(summary: PlanSummary, scope: Int, thresholds: [Threshold]) -> [ThresholdHold] {
    thresholds.compactMap { hold($0, count: summary.count($0.action), scope: scope) }
  }

  /// The hold when `count` changes of `scope` accounts exceed `threshold`.
  static func hold(_ threshold: Threshold, count: Int, scope: Int, school: String? = nil) -> ThresholdHold? {
    let share = scope == 0 ? (count > 0 ? 1 : 0) : Double(count) / Double(scope)
    let overCount = threshold.maxCount.map { count > $0 } ?? false
    let overShare =
      threshold.maxShare.map { share > $0 && count >= Threshold.minimumCountForShare } ?? false
    return overCount || overShare
      ? ThresholdHold(threshold: threshold, count: count, scope: scope, school: school) : nil
  }
}

func formatPercent(_ share: Double) -> String {
  let percent = share * 100
  return percent == percent.rounded() ? "\(Int(percent))%" : String(Double(Int(percent * 10)) / 10) + "%"
}

extension String {
  func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
