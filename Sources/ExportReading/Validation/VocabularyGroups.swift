import SyncModel

/// Values of the closed columns (user_type, status, grade) that no rule
/// translates, grouped: "212 rows: grade `TK`", so one decision or one
/// mapping line handles them all.
public struct VocabularyGroup: Sendable, Equatable {
  public let column: ExportColumn
  public let value: String
  public let count: Int
  /// The first lines (at most ten).
  public let lines: [Int]

  static let codes: Set<FindingCode> = [.invalidUserType, .invalidStatus, .invalidGrade]

  /// Groups the findings of untranslated values, largest group first.
  public static func untranslated(in findings: [Finding]) -> [VocabularyGroup] {
    var groups: [String: (column: ExportColumn, value: String, count: Int, lines: [Int])] = [:]
    // By position, each code read through the buffer: most findings are of
    // other codes, and are not copied.
    findings.withUnsafeBufferPointer { findings in
      for index in findings.indices where codes.contains(findings[index].code) {
        // (Each field read in place: a copy of the finding retained and
        // released every string it holds.)
        guard let header = findings[index].column, let column = ExportColumn(header: header),
          let value = findings[index].value
        else { continue }
        let key = header + "\u{1F}" + value.lowercased()
        var group = groups[key] ?? (column, value, 0, [])
        group.count += 1
        if group.lines.count < 10, let line = findings[index].line { group.lines.append(line) }
        groups[key] = group
      }
    }
    return groups.values.map { VocabularyGroup(column: $0.column, value: $0.value, count: $0.count, lines: $0.lines) }
      .sorted { ($0.count, $1.column.rawValue, $1.value) > ($1.count, $0.column.rawValue, $0.value) }
  }

  /// "212 rows: grade 'TK'".
  public var description: String {
    "\(count == 1 ? "1 row" : "\(count) rows"): \(column.header) '\(value)'"
  }
}
