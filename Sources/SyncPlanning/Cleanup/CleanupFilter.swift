import ExportReading
import SyncDirectory
import SyncModel

/// Which accounts a cleanup works on, as `sis-sync cleanup --filter` writes
/// it: space-separated `key:value` terms, all of which must hold; a value
/// may list alternatives separated by commas (`grade:11,12`).
///
///     school:S1 type:Student grade:12 status:Active managed:yes
///     changed-before:2026-01-01 never-exported
public struct CleanupFilter: Sendable, Equatable {
  /// Building external IDs (or names, for organizations without one).
  public var schools: [String] = []
  public var userTypes: [String] = []
  public var grades: [String] = []
  public var statuses: [String] = []
  /// nil: managed and unmanaged accounts alike.
  public var managed: Bool?
  /// `YYYY-MM-DD`: accounts no run has changed since the start of that day.
  public var changedBefore: String?
  /// Accounts no run from an export has ever changed.
  public var neverExported = false

  public init() {}

  /// The filter as written (for the run's source and reports).
  public var text: String {
    var terms: [String] = []
    if !schools.isEmpty { terms.append("school:" + schools.joined(separator: ",")) }
    if !userTypes.isEmpty { terms.append("type:" + userTypes.joined(separator: ",")) }
    if !grades.isEmpty { terms.append("grade:" + grades.joined(separator: ",")) }
    if !statuses.isEmpty { terms.append("status:" + statuses.joined(separator: ",")) }
    if let managed { terms.append("managed:" + (managed ? "yes" : "no")) }
    if let changedBefore { terms.append("changed-before:" + changedBefore) }
    if neverExported { terms.append("never-exported") }
    return terms.isEmpty ? "all" : terms.joined(separator: " ")
  }

  /// Whether the filter needs the directory's history (runs and changes).
  public var needsHistory: Bool { changedBefore != nil || neverExported }

  /// Parses the filter; an unknown key or bad value is an error naming the
  /// term and its column in the text.
  public static func parse(_ text: String) throws(CleanupFilterError) -> CleanupFilter {
    var filter = CleanupFilter()
    var column = 1
    for term in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
      defer { column += term.count + 1 }
      guard !term.isEmpty else { continue }
      func fail(_ reason: String) -> CleanupFilterError {
        CleanupFilterError(message: "filter column \(column): '\(term)': \(reason)")
      }
      if term == "never-exported" {
        filter.neverExported = true
        continue
      }
      let parts = term.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[1].isEmpty else {
        throw fail("expected key:value (keys: school, type, grade, status, managed, changed-before) or never-exported")
      }
      let values = parts[1].split(separator: ",").map(String.init)
      switch parts[0] {
      case "school": filter.schools += values
      case "type":
        filter.userTypes += try values.map { value throws(CleanupFilterError) in
          guard let known = Vocabulary.userTypes.first(where: { $0.lowercased() == value.lowercased() }) else {
            throw fail("the user type is one of " + Vocabulary.userTypes.joined(separator: ", "))
          }
          return known
        }
      case "grade":
        for value in values where !Vocabulary.grades.contains(value) {
          throw fail("'\(value)' is not a known grade")
        }
        filter.grades += values
      case "status":
        filter.statuses += try values.map { value throws(CleanupFilterError) in
          guard let known = Vocabulary.statuses.first(where: { $0.lowercased() == value.lowercased() }) else {
            throw fail("the status is Active or Disabled")
          }
          return known
        }
      case "managed":
        switch parts[1] {
        case "yes": filter.managed = true
        case "no": filter.managed = false
        default: throw fail("managed is yes or no")
        }
      case "changed-before":
        guard CleanupFilter.isDate(parts[1]) else { throw fail("the date is written YYYY-MM-DD") }
        filter.changedBefore = parts[1]
      default:
        throw fail("unknown key '\(parts[0])' (keys: school, type, grade, status, managed, changed-before)")
      }
    }
    return filter
  }

  static func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let month = Int(parts[1]), let day = Int(parts[2])
    else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
  }

  /// The accounts the filter selects, as indexes into the snapshot, in
  /// directory order. `history` is needed when `needsHistory`.
  public func accounts(in directory: DirectorySnapshot, history: CleanupHistory?) -> [Int] {
    let schoolSet = Set(schools)
    return directory.accounts.withUnsafeRows { rows in
      (0..<directory.accountCount).filter { account in
        if !schoolSet.isEmpty {
          let organization = directory.organization(ofAccount: account)
          guard schoolSet.contains(organization.reference) || schoolSet.contains(organization.name) else {
            return false
          }
        }
        if !userTypes.isEmpty && !userTypes.contains(rows.string(account, .userType)) { return false }
        if !grades.isEmpty && !grades.contains(rows.string(account, .grade)) { return false }
        if !statuses.isEmpty && !statuses.contains(rows.string(account, .status)) { return false }
        if let managed, directory.isManaged(account: account) != managed { return false }
        let id = directory.accountIDs[account]
        if changedBefore != nil, history?.changedSinceCutoff.contains(id) ?? true { return false }
        if neverExported, history?.exportedAccounts.contains(id) ?? true { return false }
        return true
      }
    }
  }
}

/// A filter that cannot be read.
public struct CleanupFilterError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
