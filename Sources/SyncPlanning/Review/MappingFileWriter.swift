import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// Writes a mapping in the mapping file language, so that what review
/// decided about values (grade `TK` is K, building `0042` is `BLDG-42`) can be
/// kept in a mapping file the headless commands read. The text parses back
/// to the same mapping (a test checks).
public enum MappingFileWriter {
  /// With `extending`, the text starts `extends = PRESET` and holds only the
  /// sections that differ from the preset's.
  public static func text(_ mapping: ColumnMapping, extending base: MappingPreset? = nil, comment: String? = nil)
    -> String
  {
    var out =
      comment.map {
        $0.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { "# \($0)\n" }.joined()
      }
      ?? ""
    let baseMapping = base?.mapping
    if let base { out += "extends = \(base.name)\n" }
    if mapping.ignoresUnusedHeaders && base == nil { out += "unused = ignore\n" }
    for companion in mapping.companions where baseMapping?.companions.contains(companion) != true {
      out += "\n[file \(companion.name)]\n"
      out +=
        "path = \(quoted(companion.path))\nkey = \(quoted(companion.key))\nmatches = \(quoted(companion.matches))\n"
      if let prefer = companion.prefer { out += "prefer \(quoted(prefer.header)) = \(quoted(prefer.value))\n" }
    }
    for column in ExportColumn.allCases {
      guard let rule = mapping.rules[column], rule.withoutLine != baseMapping?.rules[column]?.withoutLine else {
        continue
      }
      out += "\n[\(column.header)]\n"
      if let constant = rule.constant {
        out += "constant = \(quoted(constant))\n"
      } else if rule.sources.count > 1 || rule.sources.first?.occurrence != nil
        || rule.source.map({ $0 != column.header }) == true
      {
        out += "from = " + rule.sources.map(headerChoice).joined(separator: " | ") + "\n"
      }
      if rule.isOptional { out += "optional = yes\n" }
      if let home = rule.homeSchool { out += "home = \(quoted(home.text))\n" }
      if let template = rule.template { out += "template = \(quoted(template.text))\n" }
      for (userType, template) in rule.templatesByUserType.sorted(by: { $0.key < $1.key }) {
        out += "template \(userType) = \(quoted(template.text))\n"
      }
      if let generate = rule.generate { out += "generate = \(quoted(generate.text))\n" }
      if rule.firstOfList { out += "list = first\n" }
      if let defaultValue = rule.defaultValue { out += "default = \(quoted(defaultValue))\n" }
      for (source, target) in rule.translations.sorted(by: { $0.key < $1.key }) {
        out += "value \(quoted(source)) = \(quoted(target))\n"
      }
      for value in rule.skippedValues { out += "skip \(quoted(value))\n" }
      for condition in rule.conditions {
        out += "when \(quoted(condition.header)) = \(quoted(condition.value)) then \(quoted(condition.target))\n"
      }
    }
    return out
  }

  /// A header of `from`: quoted when it holds `|` (or what `quoted`
  /// quotes), then its copy number.
  static func headerChoice(_ choice: HeaderChoice) -> String {
    let name =
      choice.name.contains("|")
      ? "\"" + choice.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : quoted(choice.name)
    return name + (choice.occurrence.map { " #\($0)" } ?? "")
  }

  /// Quotes a value when the format needs it: empty, spaces at either end,
  /// `=`, `#`, a quote, or `then` (for `when` lines).
  static func quoted(_ value: String) -> String {
    let needs =
      value.isEmpty || value.first == " " || value.last == " " || value.contains("=") || value.contains("#")
      || value.contains("\"") || value.contains(" then ") || value.first == "\t" || value.last == "\t"
    return needs ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
  }
}

extension ColumnMapping {
  /// This mapping with review's value decisions as translations: values
  /// mapped for every row, and building IDs remapped for every row.
  public func adding(_ decisions: ReviewDecisions) -> ColumnMapping {
    var mapping = self
    func translate(_ column: ExportColumn, _ from: String, _ to: String) {
      var rule = mapping.rules[column] ?? ColumnRule(source: column.header)
      // A translation of the source value: replace one that differs only in case.
      if let existing = rule.translations.keys.first(where: { $0.lowercased() == from.lowercased() }) {
        rule.translations[existing] = nil
      }
      rule.translations[from] = to
      mapping.rules[column] = rule
    }
    // In decision order, with the values as the reviewer saw them.
    for decision in decisions.decisions {
      switch decision {
      case .mapValue(let column, let from, let to): translate(column, from, to)
      case .remapBuildingID(let from, let to): translate(.schoolExternalID, from, to)
      default: break
      }
    }
    return mapping
  }
}

extension ColumnRule {
  /// The rule without where it was written (for comparing rules).
  var withoutLine: ColumnRule {
    var rule = self
    rule.definedOnLine = nil
    return rule
  }
}
