import Foundation

/// The forms an organizations file comes in, recognised by its header row:
/// the directory's own CSV form, OneRoster `orgs.csv`, School Data Sync v1
/// `School.csv` and Clever `schools.csv`.
public enum OrganizationsFileFormat: String, Sendable, CaseIterable {
  /// `external_id,name,kind` (SPEC §2), what `directory export` writes.
  case plain
  /// OneRoster 1.1/1.2 and SDS v2 `orgs.csv`: `sourcedId,name,type,…`.
  case oneRoster = "oneroster"
  /// School Data Sync v1 `School.csv`: `SIS ID,Name,…`, schools only.
  case schoolDataSync = "sds-v1"
  /// Clever `schools.csv`: `School_id,School_name,…`, schools only.
  case clever

  /// What people call it, in messages.
  public var title: String {
    switch self {
    case .plain: "the plain form (external_id,name,kind)"
    case .oneRoster: "OneRoster orgs.csv (sourcedId,name,type)"
    case .schoolDataSync: "SDS v1 School.csv (SIS ID,Name)"
    case .clever: "Clever schools.csv (School_id,School_name)"
    }
  }

  /// The headers the format needs: the external ID's, the name's, and the
  /// kind's when the file says it.
  var requiredHeaders: (externalID: String, name: String, kind: String?) {
    switch self {
    case .plain: ("external_id", "name", "kind")
    case .oneRoster: ("sourcedId", "name", "type")
    case .schoolDataSync: ("SIS ID", "Name", nil)
    case .clever: ("School_id", "School_name", nil)
    }
  }

  /// The optional headers of each school's lowest and highest grade.
  var gradeHeaders: (low: String, high: String)? {
    switch self {
    case .schoolDataSync: ("Grade Low", "Grade High")
    case .clever: ("Low_grade", "High_grade")
    case .plain, .oneRoster: nil
    }
  }

  var requiredHeaderList: [String] {
    let headers = requiredHeaders
    return [headers.externalID, headers.name] + (headers.kind.map { [$0] } ?? [])
  }

  /// The only form where an organization may lack an external ID (an
  /// organization of the platform not yet linked to the SIS).
  var allowsEmptyExternalID: Bool { self == .plain }

  /// The format whose headers the file has, checked in order (the plain
  /// form's `name` is also OneRoster's, so the most specific comes first).
  /// Headers compare without regard to case and surrounding spaces.
  static func recognize(_ headers: [String]) -> OrganizationsFileFormat? {
    let present = Set(headers.map(normalizedHeader))
    return [.oneRoster, .schoolDataSync, .clever, .plain].first { format in
      format.requiredHeaderList.allSatisfy { present.contains(normalizedHeader($0)) }
    }
  }

  /// The format the headers come closest to, and the headers it lacks.
  static func closest(to headers: [String]) -> (format: OrganizationsFileFormat, missing: [String])? {
    let present = Set(headers.map(normalizedHeader))
    let scored = allCases.map { format in
      (format, format.requiredHeaderList.filter { !present.contains(normalizedHeader($0)) })
    }
    guard let best = scored.min(by: { $0.1.count < $1.1.count }),
      best.1.count < best.0.requiredHeaderList.count
    else { return nil }
    return best
  }

  static func normalizedHeader(_ header: String) -> String {
    header.trimmingCharacters(in: .whitespaces).lowercased()
  }
}
