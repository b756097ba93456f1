import Foundation
import SyncModel

/// One organization of an organizations file.
public struct OrganizationEntry: Sendable, Equatable {
  /// District or school: what the directory keeps of the file's type.
  public enum Kind: String, Sendable, Equatable {
    case district
    case school
  }

  /// The SIS's ID for it (OneRoster `sourcedId`, SDS `SIS ID`, Clever
  /// `School_id`); nil only in the plain form.
  public var externalID: String?
  public var name: String
  public var kind: Kind
  /// The line of the file where its record starts.
  public var line: Int
  /// Its lowest and highest grade as the file writes them (SDS `Grade
  /// Low`/`Grade High`, Clever `Low_grade`/`High_grade`), nil when empty or
  /// when the format has no such columns; read by `gradeRanges()`.
  public var gradeLow: String?
  public var gradeHigh: String?

  public init(
    externalID: String?, name: String, kind: Kind, line: Int, gradeLow: String? = nil, gradeHigh: String? = nil
  ) {
    self.externalID = externalID
    self.name = name
    self.kind = kind
    self.line = line
    self.gradeLow = gradeLow
    self.gradeHigh = gradeHigh
  }
}

/// An organizations file that could not be read: every problem as
/// `file:line:column: message`.
public struct OrganizationsFileError: Error, Sendable, CustomStringConvertible {
  public var problems: [String]
  public var description: String { problems.joined(separator: "\n") }
}

/// An organizations file, read whole (they are small): the plain form,
/// OneRoster `orgs.csv`, SDS v1 `School.csv` or Clever `schools.csv`,
/// recognised by their headers. Nothing is silently dropped: every row is
/// an organization, a problem naming its line and column, or a note
/// saying why it was left out.
public struct OrganizationsFile: Sendable {
  public var path: String
  public var format: OrganizationsFileFormat
  public var entries: [OrganizationEntry]
  /// Rows deliberately left out (OneRoster `tobedeleted`), as
  /// `file:line: reason` lines.
  public var notes: [String]
  /// The columns (1-based) of the lowest and highest grade, when the file has them.
  public var gradeColumns: (low: Int, high: Int)?

  public var hasDistrict: Bool { entries.contains { $0.kind == .district } }

  public static func read(path: String) throws -> OrganizationsFile {
    let reader: CSVReader
    do {
      reader = CSVReader(source: try RegularFile(path: path).bytes())
    } catch {
      throw OrganizationsFileError(problems: ["\(path): \(error)"])
    }
    var parser = OrganizationsFileParser(path: path, reader: reader)
    return try parser.parse()
  }
}

/// Reads the rows of one organizations file (`OrganizationsFile.read`).
struct OrganizationsFileParser {
  let path: String
  let reader: CSVReader
  var problems: [String] = []

  init(path: String, reader: CSVReader) {
    self.path = path
    self.reader = reader
  }

  mutating func parse() throws -> OrganizationsFile {
    guard try reader.next() else { throw OrganizationsFileError(problems: ["\(path):1:1: the file is empty"]) }
    let headers = (0..<reader.fieldCount).map { reader.fieldText($0) }
    guard let format = OrganizationsFileFormat.recognize(headers) else {
      throw OrganizationsFileError(problems: [unrecognizedHeader(headers)])
    }
    let columns = try columnIndexes(format, headers)
    var entries: [OrganizationEntry] = []
    var notes: [String] = []
    var firstLineOfID: [String: Int] = [:]
    while try reader.next() {
      let line = reader.line
      if let issue = reader.issues.first {
        problems.append("\(path):\(issue.line):\(issue.field + 1): \(describe(issue.kind))")
        continue
      }
      guard reader.fieldCount == headers.count else {
        problems.append(
          "\(path):\(line):1: expected \(headers.count) fields as in the header, found \(reader.fieldCount)")
        continue
      }
      guard let externalID = text(columns.externalID, line), let name = text(columns.name, line) else { continue }
      if name.isEmpty {
        problems.append("\(path):\(line):\(columns.name + 1): the name is empty")
        continue
      }
      if externalID.isEmpty && !format.allowsEmptyExternalID {
        let header = format.requiredHeaders.externalID
        problems.append("\(path):\(line):\(columns.externalID + 1): \(header) is empty")
        continue
      }
      if let status = columns.status, let value = text(status, line), value.lowercased() == "tobedeleted" {
        notes.append("\(path):\(line): '\(name)' left out: its status is tobedeleted")
        continue
      }
      let kind: OrganizationEntry.Kind
      if let kindColumn = columns.kind {
        guard let value = text(kindColumn, line) else { continue }
        guard let known = Self.kind(of: value, format: format) else {
          problems.append("\(path):\(line):\(kindColumn + 1): \(Self.kindProblem(value, format: format))")
          continue
        }
        kind = known
      } else {
        kind = .school
      }
      let key = externalID.isEmpty ? name : externalID
      if let first = firstLineOfID[key] {
        problems.append("\(path):\(line):\(columns.externalID + 1): '\(key)' is already used on line \(first)")
        continue
      }
      firstLineOfID[key] = line
      var entry = OrganizationEntry(
        externalID: externalID.isEmpty ? nil : externalID, name: name, kind: kind, line: line)
      if let grades = columns.grades {
        guard let low = text(grades.low, line), let high = text(grades.high, line) else { continue }
        (entry.gradeLow, entry.gradeHigh) = (low.isEmpty ? nil : low, high.isEmpty ? nil : high)
      }
      entries.append(entry)
    }
    guard problems.isEmpty else { throw OrganizationsFileError(problems: problems) }
    var file = OrganizationsFile(path: path, format: format, entries: entries, notes: notes)
    file.gradeColumns = columns.grades.map { ($0.low + 1, $0.high + 1) }
    return file
  }

  /// The field trimmed, or nil (and a problem) when it is not UTF-8.
  private mutating func text(_ column: Int, _ line: Int) -> String? {
    guard let value = String(validating: reader.field(column), as: UTF8.self) else {
      problems.append("\(path):\(line):\(column + 1): the value is not UTF-8 text; save the file as UTF-8")
      return nil
    }
    return value.trimmingCharacters(in: .whitespaces)
  }

  private func columnIndexes(_ format: OrganizationsFileFormat, _ headers: [String]) throws -> (
    externalID: Int, name: Int, kind: Int?, status: Int?, grades: (low: Int, high: Int)?
  ) {
    let normalized = headers.map(OrganizationsFileFormat.normalizedHeader)
    var problems: [String] = []
    func index(_ header: String) -> Int? {
      let matches = normalized.indices.filter { normalized[$0] == OrganizationsFileFormat.normalizedHeader(header) }
      if matches.count > 1 {
        problems.append(
          "\(path):1:\(matches[1] + 1): the header \(header) appears \(matches.count) times (columns "
            + matches.map { String($0 + 1) }.joined(separator: ", ") + ")")
      }
      return matches.first
    }
    let required = format.requiredHeaders
    let externalID = index(required.externalID)!
    let name = index(required.name)!
    let kind = required.kind.flatMap(index)
    let status = format == .oneRoster ? index("status") : nil
    var grades: (low: Int, high: Int)?
    if let names = format.gradeHeaders, let low = index(names.low), let high = index(names.high) {
      grades = (low, high)
    }
    if format == .plain && headers.count != 3 {
      problems.append(
        "\(path):1:1: the header must be external_id,name,kind; found \(headers.joined(separator: ","))")
    }
    guard problems.isEmpty else { throw OrganizationsFileError(problems: problems) }
    return (externalID, name, kind, status, grades)
  }

  private func unrecognizedHeader(_ headers: [String]) -> String {
    var message =
      "\(path):1:1: not an organizations file this tool knows: expected "
      + OrganizationsFileFormat.allCases.map(\.title).joined(separator: ", ")
      + "; found \(headers.joined(separator: ","))"
    if let closest = OrganizationsFileFormat.closest(to: headers) {
      message += " (closest: \(closest.format.title), which lacks \(closest.missing.joined(separator: ", ")))"
    }
    return message
  }

  private func describe(_ kind: CSVIssue.Kind) -> String {
    switch kind {
    case .unterminatedQuote: "a quoted field is never closed"
    case .fieldTooLong(let limit): "a field is longer than \(limit) bytes"
    case .quoteInUnquotedField: "a quote inside an unquoted field; quote the whole field and double the quote"
    case .textAfterClosingQuote: "text after the closing quote of a quoted field"
    case .recordTooLong(let limit): "the record is longer than \(limit) bytes"
    case .tooManyFields(let limit): "more than \(limit) fields"
    }
  }

  /// OneRoster types (and SDS v2's additions) that govern schools become
  /// district organizations; those people belong to become schools. An
  /// extension type (`ext:…`) is a school.
  static let districtTypes: Set<String> = [
    "district", "local", "state", "national", "ministryofeducation", "university",
  ]
  static let schoolTypes: Set<String> = ["school", "department", "college"]

  static func kind(of value: String, format: OrganizationsFileFormat) -> OrganizationEntry.Kind? {
    let lowered = value.lowercased()
    if format == .plain { return OrganizationEntry.Kind(rawValue: lowered) }
    if districtTypes.contains(lowered) { return .district }
    if schoolTypes.contains(lowered) || lowered.hasPrefix("ext:") { return .school }
    return nil
  }

  static func kindProblem(_ value: String, format: OrganizationsFileFormat) -> String {
    if format == .plain { return "kind must be district or school, not '\(value)'" }
    return "type must be one of \((schoolTypes.union(districtTypes)).sorted().joined(separator: ", ")) or ext:…, "
      + "not '\(value)'"
  }
}

extension OrganizationsFile {
  /// Each school's grade range, by external ID (`--school-grades`); schools
  /// whose file gives no grades are listed apart. A grade that is not on
  /// the ladder, or a range whose lowest grade is above its highest, is a
  /// problem naming its line and column; a file without grade columns is
  /// refused as a whole.
  public func gradeRanges() throws -> (ranges: [String: GradeRange], withoutGrades: [String]) {
    guard let columns = gradeColumns else {
      throw OrganizationsFileError(problems: [
        "\(path):1:1: \(format.title) has no grade columns; the grade ranges come from SDS School.csv "
          + "(Grade Low, Grade High) or Clever schools.csv (Low_grade, High_grade)"
      ])
    }
    var ranges: [String: GradeRange] = [:]
    var withoutGrades: [String] = []
    var problems: [String] = []
    for entry in entries where entry.kind == .school {
      guard let externalID = entry.externalID else { continue }
      guard entry.gradeLow != nil || entry.gradeHigh != nil else {
        withoutGrades.append(externalID)
        continue
      }
      let low = entry.gradeLow ?? ""
      let high = entry.gradeHigh ?? ""
      var readable = true
      for (value, column) in [(low, columns.low), (high, columns.high)] where GradeLadder.parse(value) == nil {
        problems.append(
          "\(path):\(entry.line):\(column): '\(value)' is not a grade (PreK, K, 1 to 12)")
        readable = false
      }
      guard readable else { continue }
      guard let range = GradeRange(lowest: low, highest: high) else {
        problems.append("\(path):\(entry.line):\(columns.low): the lowest grade \(low) is above the highest, \(high)")
        continue
      }
      ranges[externalID] = range
    }
    guard problems.isEmpty else { throw OrganizationsFileError(problems: problems) }
    return (ranges, withoutGrades)
  }
}
