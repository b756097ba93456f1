import SyncModel

/// A one-line account of what a mapping does (`mapping check`).
public enum MappingSummary {
  public static func describe(_ mapping: ColumnMapping) -> String {
    let rules = mapping.rules.values
    var parts = ["\(mapping.rules.count) of \(ExportColumn.count) columns mapped"]
    let translations = rules.reduce(0) { $0 + $1.translations.count }
    if translations > 0 { parts.append("\(translations) value translations") }
    let skips = rules.reduce(0) { $0 + $1.skippedValues.count }
    if skips > 0 { parts.append("\(skips) values whose rows are skipped") }
    let conditions = rules.reduce(0) { $0 + $1.conditions.count }
    if conditions > 0 { parts.append("\(conditions) 'when' rules") }
    if !mapping.companions.isEmpty {
      parts.append("companion files: " + mapping.companions.map { "\($0.name) (\($0.path))" }.joined(separator: ", "))
    }
    return parts.joined(separator: ", ")
  }
}
