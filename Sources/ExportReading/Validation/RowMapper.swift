import Foundation
import SyncModel

/// The mapping features beyond renames and translations, row by row:
/// companion files joined by key, rows skipped by value, first items of
/// lists, values set by `when` rules. Made only when a mapping uses them,
/// so plain exports keep the plain path. One per reading thread (it keeps
/// the current row's companion rows).
final class RowMapper {
  let columns: [ResolvedColumn]
  let companions: [CompanionTable]
  /// Per companion: the export field holding its join key.
  let keyFields: [Int]
  let hasSkips: Bool
  private var companionRows: [[String]?]
  private var preparedLine = -1

  init?(columns: [ResolvedColumn], companions: [CompanionTable], keyFields: [Int]) {
    let used = columns.contains {
      if case .companion = $0.source { return true }
      return $0.firstOfList || !$0.skipped.isEmpty || !$0.conditions.isEmpty || !$0.otherCopies.isEmpty
    }
    guard used || !companions.isEmpty else { return nil }
    self.columns = columns
    self.companions = companions
    self.keyFields = keyFields
    hasSkips = columns.contains { !$0.skipped.isEmpty }
    companionRows = Array(repeating: nil, count: companions.count)
  }

  /// Another thread's mapper for the same header.
  init(copying other: RowMapper) {
    columns = other.columns
    companions = other.companions
    keyFields = other.keyFields
    hasSkips = other.hasSkips
    companionRows = Array(repeating: nil, count: companions.count)
  }

  /// Looks up the current record's companion rows (once per line).
  func prepare(_ reader: CSVReader) {
    guard preparedLine != reader.line else { return }
    preparedLine = reader.line
    for index in companions.indices {
      let field = keyFields[index]
      companionRows[index] =
        field >= 0 && field < reader.fieldCount ? companions[index].row(forKey: Self.text(reader.field(field))) : nil
    }
  }

  /// A companion's value for the current record; nil when the companion
  /// has no row for its key.
  func companionValue(_ companion: Int, _ field: Int) -> String? {
    companionRows[companion].map { field < $0.count ? $0[field] : "" }
  }

  /// The companion file feeding a column with no row for the current record.
  func missingCompanion(for column: ResolvedColumn) -> CompanionTable? {
    guard case .companion(let companion, _) = column.source, companionRows[companion] == nil else { return nil }
    return companions[companion]
  }

  /// The column and source value that leave the current record out, if any.
  func skipMatch(_ reader: CSVReader) -> (column: ExportColumn, value: String)? {
    guard hasSkips else { return nil }
    prepare(reader)
    for column in columns where !column.skipped.isEmpty {
      var value: String
      switch column.source {
      case .field(let index): value = index < reader.fieldCount ? Self.text(reader.field(index)) : ""
      case .companion(let companion, let field): value = companionValue(companion, field) ?? ""
      default: continue
      }
      if column.firstOfList { value = Self.firstItem(value).first }
      if column.skipped.contains(value.lowercased()) { return (column.column, value) }
    }
    return nil
  }

  /// The target a `when` rule sets for the current record, if one matches.
  func conditionTarget(_ column: ResolvedColumn, _ reader: CSVReader) -> [UInt8]? {
    for condition in column.conditions where condition.field < reader.fieldCount {
      if Self.text(reader.field(condition.field)).lowercased() == condition.value { return condition.target }
    }
    return nil
  }

  static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
  }

  /// The first item of a comma-separated list, and whether there were more.
  static func firstItem(_ text: String) -> (first: String, hadMore: Bool) {
    guard let comma = text.firstIndex(of: ",") else { return (text, false) }
    return (text[..<comma].trimmingCharacters(in: .whitespaces), true)
  }
}
