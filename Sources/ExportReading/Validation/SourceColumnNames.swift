import Foundation
import SyncModel

/// The SIS's own name for where each target column comes from, so that
/// findings and reports can say "custom_id (SIS: Username)": the file's
/// header, `role (roles.csv)` for a companion file's header, or the headers
/// a template reads. Nil where the SIS's name is ours, or there is none (a
/// constant, a missing column).
enum SourceColumnNames {
  static func names(columns: [ResolvedColumn], headers: [String], mapping: ColumnMapping) -> [String?] {
    columns.map { resolved in
      let name: String?
      switch resolved.source {
      case .field(let index):
        name = index < headers.count ? headers[index].trimmingCharacters(in: .whitespaces) : nil
      case .companion:
        name = companionName(mapping.rule(for: resolved.column), mapping: mapping)
      case .template:
        let rule = mapping.rule(for: resolved.column)
        let templates =
          [rule.template].compactMap { $0 } + rule.templatesByUserType.sorted { $0.key < $1.key }.map(\.value)
        var seen = Set<String>()
        let read = templates.flatMap(\.headers).filter { seen.insert($0).inserted }
        name = read.isEmpty ? nil : read.joined(separator: " + ")
      case .constant, .missing:
        name = nil
      }
      return name == resolved.column.header ? nil : name
    }
  }

  /// `@roles.role` → `role (roles.csv)`: the header and the companion's file name.
  private static func companionName(_ rule: ColumnRule, mapping: ColumnMapping) -> String? {
    for source in rule.sources {
      guard let reference = CompanionReference(source.name) else { continue }
      let file = mapping.companions.first { $0.name == reference.file }
      let fileName = file.map { ($0.path as NSString).lastPathComponent } ?? reference.file
      return "\(reference.header) (\(fileName))"
    }
    return nil
  }
}

extension ValidationResult {
  /// The SIS's name for the column a finding concerns, when the mapping
  /// named it otherwise (`Username` for custom_id); nil when it is ours.
  public func sourceColumn(of finding: Finding) -> String? {
    guard let column = finding.column, let target = ExportColumn(header: column), target.rawValue < sourceColumns.count
    else { return nil }
    return sourceColumns[target.rawValue]
  }

  /// `custom_id (SIS: Username)`, or just `custom_id` where the names agree.
  public func columnName(of finding: Finding) -> String? {
    guard let column = finding.column else { return nil }
    return sourceColumn(of: finding).map { "\(column) (SIS: \($0))" } ?? column
  }
}
