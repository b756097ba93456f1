import SyncEngine

/// What the rows pane is narrowed to, typed after `f`: words to find in a
/// row (name, email, custom_id, building ID, line), `school:ID` for a
/// building ID, `code:E031` for a finding code, `rollover:grade_up` for one
/// of the rollover profile's groups (so a group is reviewed, and `X`
/// excludes it, as one decision). All terms must match.
public struct RowFilter: Equatable, Sendable {
  public var text: [String] = []
  public var school: String?
  public var code: String?
  /// A rollover group's name (`grade_up`, `school_up`, `graduates`).
  public var rollover: String?

  /// Parses the typed filter; nil when it is empty.
  public init?(_ typed: String) {
    for term in typed.split(separator: " ").map(String.init) {
      let lowered = term.lowercased()
      if lowered.hasPrefix("school:") {
        school = String(term.dropFirst("school:".count))
      } else if lowered.hasPrefix("code:") {
        code = String(term.dropFirst("code:".count)).uppercased()
      } else if lowered.hasPrefix("rollover:") {
        rollover = String(lowered.dropFirst("rollover:".count))
      } else {
        text.append(lowered)
      }
    }
    if text.isEmpty && school == nil && code == nil && rollover == nil { return nil }
  }

  /// As typed back (for the header and the exclusion's reason).
  public var description: String {
    (text
      + [school.map { "school:\($0)" }, code.map { "code:\($0)" }, rollover.map { "rollover:\($0)" }]
      .compactMap { $0 }).joined(separator: " ")
  }

  func matches(_ item: ReviewItem, _ presenter: RowPresenter) -> Bool {
    if let school, presenter.value(item, .schoolExternalID) != school { return false }
    if let rollover, presenter.rolloverGroup(item)?.rawValue != rollover { return false }
    if let code, !presenter.findings(item).contains(where: { $0.code.id == code || $0.code.name == code.lowercased() })
    {
      return false
    }
    return text.allSatisfy { TextMatch.contains(item, $0, presenter) }
  }
}

/// Case-insensitive search over the fields a reviewer recognises a row by.
enum TextMatch {
  static let searchedColumns: [ExportColumn] = [
    .firstName, .middleName, .lastName, .email, .customID, .schoolExternalID,
  ]

  static func contains(_ item: ReviewItem, _ lowered: String, _ presenter: RowPresenter) -> Bool {
    if presenter.location(item) == lowered { return true }
    return searchedColumns.contains { presenter.value(item, $0).lowercased().contains(lowered) }
  }
}
