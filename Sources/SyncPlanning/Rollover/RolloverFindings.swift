import ExportReading
import SyncDirectory
import SyncModel

/// The plan-level findings of the rollover and of the settings made for
/// one school (made in `PlanEnding`, so all three planners have them).
enum RolloverFindings {
  /// W076: covered schools the profile knows no grade range for.
  static func findings(_ outcome: RolloverOutcome) -> [Finding] {
    guard !outcome.schoolsWithoutGrades.isEmpty else { return [] }
    let schools = outcome.schoolsWithoutGrades
    return [
      Finding(
        code: .schoolWithoutGradeRange, line: nil,
        message: "the rollover profile knows no grade range for \(schools.count == 1 ? "school" : "schools") "
          + schools.prefix(10).joined(separator: ", ") + (schools.count > 10 ? " and \(schools.count - 10) more" : "")
          + ": moves up to a new school from there count against the thresholds",
        suggestion: "sis-sync settings set grades.\(schools[0]) LOW-HIGH (as K-5), or --school-grades School.csv")
    ]
  }

  /// W075: grade ranges and schools' own thresholds naming a school the
  /// directory does not have.
  static func unknownSchools(_ options: PlanOptions, directory: DirectorySnapshot) -> [Finding] {
    var keys: [String] = []
    for school in (options.rollover?.gradeRanges.keys).map(Array.init) ?? []
    where directory.organizationIndex(externalID: school) == nil {
      keys.append("grades.\(school)")
    }
    for entry in options.schoolThresholds where directory.organizationIndex(externalID: entry.school) == nil {
      keys.append("threshold.\(entry.threshold.action.rawValue).\(entry.school)")
    }
    guard !keys.isEmpty else { return [] }
    return [
      Finding(
        code: .settingForUnknownSchool, line: nil,
        message: "no organization has the external ID these settings name: " + keys.sorted().joined(separator: ", "),
        suggestion: "sis-sync settings unset KEY, then set it under the school's external ID")
    ]
  }
}
