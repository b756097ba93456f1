import ExportReading
import SyncDirectory
import SyncModel

/// The year-end rollover (`--profile rollover`, or setting
/// `rollover.window`): the changes a rollover is expected to bring, so that
/// they are shown as a few decisions and the thresholds count only what it
/// does not explain. Returning students move up one grade; students in a
/// school's highest grade move up to a school whose lowest grade is the
/// next; students of the graduating grade leave (disabled).
public struct RolloverProfile: Sendable, Equatable {
  /// Why it applies to this run.
  public enum Reason: Sendable, Equatable {
    /// `--profile rollover`.
    case flag
    /// Today is in this range of setting `rollover.window`.
    case window(String)
  }

  public var reason: Reason
  /// Each school's grade range, by external ID (settings `grades.SCHOOL`,
  /// `--school-grades` over them).
  public var gradeRanges: [String: GradeRange]

  public init(reason: Reason, gradeRanges: [String: GradeRange] = [:]) {
    self.reason = reason
    self.gradeRanges = gradeRanges
  }

  /// The rank of the grade that leaves: the highest grade any school
  /// teaches, 12 when no range is known.
  public var graduatingRank: Int {
    gradeRanges.values.map(\.highest).max() ?? GradeLadder.rank("12")!
  }

  /// The group of expected changes `change` belongs to; nil when the
  /// profile does not explain it (it then counts against the thresholds).
  public func group(of change: PlannedChange) -> RolloverGroup? {
    guard let before = change.before, before[.userType] == "Student", change.after[.userType] == "Student",
      let fromRank = GradeLadder.rank(before[.grade])
    else { return nil }
    switch change.action {
    case .disable:
      return fromRank == graduatingRank && before[.status] == "Active" ? .graduates : nil
    case .update:
      let changed = Set(change.after.differences(from: before))
      guard changed.isSubset(of: [.grade, .schoolExternalID]),
        GradeLadder.rank(change.after[.grade]) == fromRank + 1
      else { return nil }
      let (from, to) = (before[.schoolExternalID], change.after[.schoolExternalID])
      if from == to {
        // A school's top grade moving up in place has outgrown it.
        if let range = gradeRanges[to], !range.contains(fromRank + 1) { return nil }
        return .gradeUp
      }
      guard let fromRange = gradeRanges[from], fromRange.highest == fromRank,
        let toRange = gradeRanges[to], toRange.lowest == fromRank + 1
      else { return nil }
      return .schoolUp
    case .create, .reactivate, .assignID, .idChange:
      return nil
    }
  }
}

/// A group of changes the rollover expects, one reviewable decision each.
public enum RolloverGroup: String, Sendable, CaseIterable, Codable {
  /// Returning students one grade up in the same school.
  case gradeUp = "grade_up"
  /// Students of a school's highest grade at the school of the next level.
  case schoolUp = "school_up"
  /// Students of the graduating grade disabled (absent from the export, or Disabled in it).
  case graduates

  /// "1,204 students move up one grade".
  public func title(count: Int) -> String {
    let number = LineList.grouped(count)
    let one = count == 1
    return switch self {
    case .gradeUp: "\(number) \(one ? "student moves" : "students move") up one grade"
    case .schoolUp: "\(number) \(one ? "student moves" : "students move") up to a new school"
    case .graduates: "\(number) \(one ? "graduate" : "graduates") disabled"
    }
  }

  /// What a row of the group shows in review ("expected by the rollover: …").
  public var rowNote: String {
    switch self {
    case .gradeUp: "moves up one grade"
    case .schoolUp: "moves up to the school of the next level"
    case .graduates: "graduates (the graduating grade leaves)"
    }
  }
}

/// What the rollover profile explained in a plan.
public struct RolloverOutcome: Sendable, Equatable {
  public var profile: RolloverProfile
  /// Changes of each group.
  public var counts: [RolloverGroup: Int]
  /// The changes it does not explain, by action: what the thresholds count.
  public var unexplained: PlanSummary
  /// Schools of the covered organizations without a grade range: students
  /// leaving their top grade for another school are not expected.
  public var schoolsWithoutGrades: [String]

  public func count(_ group: RolloverGroup) -> Int { counts[group] ?? 0 }
  public var explained: Int { counts.values.reduce(0, +) }
}

/// `--profile`: which expectations a run plans under.
public enum PlanProfile: String, Sendable, Equatable, CaseIterable {
  /// The year-end rollover (`RolloverProfile`), whatever the window says.
  case rollover
  /// No profile, even inside setting `rollover.window`.
  case none
}
