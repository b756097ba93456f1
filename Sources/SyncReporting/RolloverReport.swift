import SyncModel
import SyncPlanning

/// The rollover's part of a plan report: its groups of expected changes,
/// as a few decisions to review, and what the thresholds counted.
enum RolloverReport {
  /// Why the profile applies, in words.
  static func reasonText(_ profile: RolloverProfile) -> String {
    switch profile.reason {
    case .flag: "--profile rollover"
    case .window(let window): "setting rollover.window, \(window)"
    }
  }

  static func text(_ outcome: RolloverOutcome) -> String {
    var out = "\nRollover (\(reasonText(outcome.profile))): expected, and not counted by the thresholds:\n"
    for group in RolloverGroup.allCases { out += "  \(group.title(count: outcome.count(group)))\n" }
    let ranges = outcome.profile.gradeRanges.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    out += "  Grade ranges: " + (ranges.isEmpty ? "none known" : ranges.joined(separator: ", "))
    out += "; graduating grade \(GradeLadder.steps[outcome.profile.graduatingRank])\n"
    let rest = outcome.unexplained
    out +=
      "  Not explained by the rollover (what the thresholds count): \(rest.create) create, \(rest.update) update, "
      + "\(rest.disable) disable, \(rest.reactivate) reactivate, \(rest.assignID) assign_id, "
      + "\(rest.idChange) id_change\n"
    return out
  }

  /// `"rollover": {…}` (null without the profile).
  static func writeJSON(_ outcome: RolloverOutcome?, into json: inout JSONWriter) {
    json.key("rollover")
    guard let outcome else {
      json.string(nil)
      return
    }
    json.beginObject()
    switch outcome.profile.reason {
    case .flag:
      json.field("reason", "flag")
    case .window(let window):
      json.field("reason", "window")
      json.field("window", window)
    }
    json.key("groups")
    json.beginArray()
    for group in RolloverGroup.allCases {
      json.beginObject()
      json.field("group", group.rawValue)
      json.field("count", outcome.count(group))
      json.field("title", group.title(count: outcome.count(group)))
      json.endObject()
    }
    json.endArray()
    json.key("unexplained")
    json.beginObject()
    let rest = outcome.unexplained
    for action in ChangeAction.allCases { json.field(action.rawValue, rest.count(action)) }
    json.endObject()
    json.key("grade_ranges")
    json.beginObject()
    for (school, range) in outcome.profile.gradeRanges.sorted(by: { $0.key < $1.key }) {
      json.field(school, range.description)
    }
    json.endObject()
    json.field("graduating_grade", GradeLadder.steps[outcome.profile.graduatingRank])
    json.key("schools_without_grades")
    json.beginArray()
    for school in outcome.schoolsWithoutGrades { json.string(school) }
    json.endArray()
    json.endObject()
  }
}
