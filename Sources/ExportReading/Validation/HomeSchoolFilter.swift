import SyncModel

/// A mapping's `home` rule: an export that lists a staff member once per
/// school (PowerSchool, SDS v1) keeps one row per person, and the others
/// are left out and reported (I058), not flagged as duplicates (E030).
///
/// Which row is kept is settled before the rows are read, by a first pass
/// over the file (`learn`), so a row at another school is left out only when
/// the person's kept row is really in the file: the home school's row
/// (`home = HomeSchoolID`), or the first (`home = first`). A person with no
/// row at their home school keeps every row, and E030 says so: nothing is
/// left out that is not there again.
final class HomeSchoolFilter {
  let rule: HomeSchool
  private let customIDField: Int
  private let schoolField: Int
  private let schoolIsList: Bool
  private let homeField: Int?
  /// custom_id → the school of the row kept.
  private var keptSchool: [String: String] = [:]
  /// Whether `learn` read the file first; else the rows teach it as they
  /// come (a stream read once: rows before the kept one are kept too).
  private var learnedAhead = false

  private init(rule: HomeSchool, customIDField: Int, schoolField: Int, schoolIsList: Bool, homeField: Int?) {
    self.rule = rule
    self.customIDField = customIDField
    self.schoolField = schoolField
    self.schoolIsList = schoolIsList
    self.homeField = homeField
  }

  /// What a mapping's `home` rule makes of the header.
  enum Setup {
    case filter(HomeSchoolFilter)
    /// The header the rule needs is missing: the finding stops the file.
    case refused(Finding)
  }

  /// The filter for a mapping's `home` rule; nil without a rule.
  static func make(mapping: ColumnMapping, columns: [ResolvedColumn], headers: [String]) -> Setup? {
    guard let rule = mapping.rules[.schoolExternalID]?.homeSchool else { return nil }
    guard case .field(let customID) = columns[ExportColumn.customID.rawValue].source,
      case .field(let school) = columns[ExportColumn.schoolExternalID.rawValue].source
    else {
      // Missing columns are reported already; a constant or companion
      // value cannot tell one school's row from another's.
      return .refused(
        Finding(
          code: .missingHeader, line: 1, column: ExportColumn.schoolExternalID.header, value: rule.text,
          message:
            "'home = \(rule.text)' needs custom_id and school_district_external_id read from the export's columns",
          suggestion: "read both from headers of the export, or remove 'home' from the mapping"))
    }
    var homeField: Int?
    if case .column(let header) = rule {
      let trimmed = headers.map { $0.trimmingCharacters(in: .whitespaces) }
      guard let field = trimmed.firstIndex(of: header) else {
        // A did-you-mean among the headers no column reads.
        let read = Set(
          columns.compactMap { column -> Int? in
            if case .field(let index) = column.source { return index }
            return nil
          })
        let unread = trimmed.indices.filter { !read.contains($0) }.map { trimmed[$0] }
        return .refused(
          Finding(
            code: .missingHeader, line: 1, column: ExportColumn.schoolExternalID.header, value: header,
            message:
              "the header '\(header)' is missing; the mapping keeps each person's row at the school it names (home = \(header))",
            suggestion: closestHeader(to: header, among: unread).map { "did you mean '\($0)'?" }
              ?? "check that this is the export the mapping is made for"))
      }
      homeField = field
    }
    return .filter(
      HomeSchoolFilter(
        rule: rule, customIDField: customID, schoolField: school,
        schoolIsList: columns[ExportColumn.schoolExternalID.rawValue].firstOfList, homeField: homeField))
  }

  /// Reads the whole file once, before validation, to know each person's
  /// kept row. `reader` is positioned after the header.
  func learn(_ reader: CSVReader) throws {
    while try reader.next() { teach(reader) }
    learnedAhead = true
  }

  /// The row's school when it is to be left out (the person's kept row is
  /// at another school), else nil.
  func leavesOut(_ reader: CSVReader) -> (school: String, kept: String)? {
    if !learnedAhead { teach(reader) }
    let customID = field(customIDField, reader)
    guard !customID.isEmpty, let kept = keptSchool[customID] else { return nil }
    let school = self.school(reader)
    return school == kept ? nil : (school, kept)
  }

  private func teach(_ reader: CSVReader) {
    let customID = field(customIDField, reader)
    guard !customID.isEmpty, keptSchool[customID] == nil else { return }
    let school = self.school(reader)
    switch rule {
    case .first:
      keptSchool[customID] = school
    case .column:
      let home = homeField.map { field($0, reader) } ?? ""
      if !home.isEmpty && school == home { keptSchool[customID] = school }
    }
  }

  private func school(_ reader: CSVReader) -> String {
    let value = field(schoolField, reader)
    return schoolIsList ? RowMapper.firstItem(value).first : value
  }

  private func field(_ index: Int, _ reader: CSVReader) -> String {
    index < reader.fieldCount ? RowMapper.text(reader.field(index)) : ""
  }
}
