import Foundation
import SyncModel

#if canImport(Glibc)
  import Glibc
#endif

/// A mistake in a mapping file, with the line and column to look at.
public struct MappingFileError: Error, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int
  public let column: Int
  public let message: String

  public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads the mapping file format of `man 5 sis-sync-mapping`:
///
///     # comment
///     [grade]
///     from = Grade_Level
///     default = Unspecified
///     value 0 = K
///     value "-1" = PreK
///
///     [user_type]
///     constant = Student
///
/// One section per target column; `from` names the source header, `constant`
/// fixes the value, `default` fills empty values, `value A = B` translates.
public enum MappingFileParser {
  public static func parse(_ text: String, file: String) throws(MappingFileError) -> ColumnMapping {
    var parser = State(file: file)
    var lineNumber = 0
    // "\r\n" is one Character: splitting at "\n" alone would leave a
    // Windows file one long line.
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      lineNumber += 1
      var line = Substring(rawLine)
      if line.last == "\r" { line = line.dropLast() }
      if lineNumber == 1, line.first == "\u{FEFF}" { line = line.dropFirst() }
      try parser.consume(line, lineNumber: lineNumber)
    }
    return try parser.finish()
  }

  public static func load(path: String) throws(MappingFileError) -> ColumnMapping {
    let bytes: [UInt8]
    do {
      bytes = try readWholeFile(path: path, limit: 1 << 20, kind: "a mapping file")
    } catch {
      throw MappingFileError(file: path, line: 0, column: 0, message: error.reason)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw MappingFileError(file: path, line: 1, column: 1, message: "the mapping file is not UTF-8 text")
    }
    return try parse(text, file: path)
  }

  /// The parser's state, line by line (column sources and templates are
  /// read in MappingFileParser+ColumnSources.swift).
  struct State {
    let file: String
    var rules: [ExportColumn: ColumnRule] = [:]
    var companions: [CompanionFile] = []
    var current: ExportColumn?
    /// Inside a `[file NAME]` section: its index in `companions`.
    var currentCompanion: Int?
    var seenKeys: Set<String> = []
    /// Columns (and companion names) still as the extended preset set them:
    /// a section of this file replaces them.
    var inherited: Set<String> = []
    var sawSection = false
    var extendsPreset = false
    /// `unused = ignore`: headers no rule reads are not reported (W006).
    var ignoresUnused: Bool?

    init(file: String) { self.file = file }

    func error(_ line: Int, _ column: Int, _ message: String) -> MappingFileError {
      MappingFileError(file: file, line: line, column: column, message: message)
    }

    mutating func consume(_ line: Substring, lineNumber: Int) throws(MappingFileError) {
      let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
      let content = line.dropFirst(indent)
      if content.isEmpty || content.first == "#" { return }
      let column = indent + 1
      if content.first == "[" {
        try startSection(content, line: lineNumber, column: column)
        return
      }
      if let companion = currentCompanion {
        try companionSetting(content, companion: companion, line: lineNumber, column: column)
        return
      }
      if !sawSection, let equals = content.firstIndex(of: "="),
        let setting = MappingSetting(rawValue: content[..<equals].trimmingSpaces()), setting.place == .top
      {
        let value = content[content.index(after: equals)...]
        if setting == .extends {
          try extend(value, line: lineNumber, column: column)
          return
        }
        switch try unquote(value, line: lineNumber, column: column) {
        case "ignore": ignoresUnused = true
        case "report": ignoresUnused = false
        default: throw error(lineNumber, column, "'unused' is 'ignore' or 'report' (headers no rule reads)")
        }
        return
      }
      guard let target = current else {
        throw error(
          lineNumber, column, "a setting before any [column] section; start with a section such as [first_name]")
      }
      if let statement = MappingSetting.statement(startingLine: content, in: .column) {
        if statement == .skip {
          let value = try unquote(content.dropFirst(5), line: lineNumber, column: column + 5)
          guard !value.isEmpty else {
            throw error(lineNumber, column, "'skip' needs the value whose rows are left out")
          }
          rules[target]!.skippedValues.append(value)
        } else {
          try addCondition(content, target: target, line: lineNumber, column: column)
        }
        return
      }
      guard let equals = content.firstIndex(of: "=") else {
        throw error(lineNumber, column, "expected 'key = value'")
      }
      let key = content[..<equals].trimmingSpaces()
      if MappingSetting.value.isKey(of: key) {
        try addTranslation(content, target: target, line: lineNumber, column: column)
        return
      }
      if MappingSetting.template.isKey(of: key) {
        try addTemplate(content, key: key, equals: equals, target: target, line: lineNumber, column: column)
        return
      }
      let rawValue = content[content.index(after: equals)...]
      let valueColumn =
        column + content.distance(from: content.startIndex, to: equals) + 1 + leadingSpaces(rawValue)
      // `from` reads its own quotes: each of its headers may be quoted.
      let value =
        key == MappingSetting.from.rawValue
        ? rawValue.trimmingSpaces() : try unquote(rawValue, line: lineNumber, column: valueColumn)
      guard let setting = MappingSetting(rawValue: key), setting.place == .column, setting.form == .assignment
      else {
        let hint = closestMatch(to: String(key), among: MappingSetting.allowed(in: .column).map(\.rawValue))
        throw error(
          lineNumber, column,
          "unknown setting '\(key)'" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " "
            + MappingSetting.listing(for: .column))
      }
      guard seenKeys.insert(key).inserted else {
        throw error(lineNumber, column, "'\(key)' is set twice in [\(target.header)]")
      }
      var rule = rules[target]!
      switch setting {
      case .from:
        guard !value.isEmpty else { throw error(lineNumber, valueColumn, "'from' needs a source header") }
        rule.sources = try headerChoices(rawValue, line: lineNumber, column: valueColumn)
      case .home:
        guard target == .schoolExternalID else {
          throw error(
            lineNumber, column,
            "'home' is only for [school_district_external_id] (which school's row of a person to keep)")
        }
        guard !value.isEmpty else {
          throw error(lineNumber, valueColumn, "'home' needs 'first' or the header naming each person's home school")
        }
        rule.homeSchool = value == "first" ? .first : .column(value)
      case .optional:
        switch value.lowercased() {
        case "yes", "true": rule.isOptional = true
        case "no", "false": rule.isOptional = false
        default:
          throw error(lineNumber, valueColumn, "'optional' is 'yes' or 'no' (whether the source header may be absent)")
        }
      case .constant:
        try checkVocabulary(value, target: target, line: lineNumber, column: valueColumn)
        rule.constant = value
        rule.source = nil
      case .list:
        guard value == "first" else {
          throw error(lineNumber, valueColumn, "'list' can only be 'first' (use the first item of a list)")
        }
        rule.firstOfList = true
      case .generate:
        guard target == .email else {
          throw error(lineNumber, column, "'generate' is only for [email] (the email proposed for a row that has none)")
        }
        rule.generate = try ValueTemplate.parse(value, file: file, line: lineNumber, column: valueColumn)
      default:
        try checkVocabulary(value, target: target, line: lineNumber, column: valueColumn)
        rule.defaultValue = value
      }
      try checkSourcesExclusive(target, line: lineNumber, column: column)
      rules[target] = rule
    }

    mutating func startSection(_ content: Substring, line: Int, column: Int) throws(MappingFileError) {
      guard let close = content.firstIndex(of: "]") else {
        throw error(line, column, "a section header needs a closing ']'")
      }
      let name = content[content.index(after: content.startIndex)..<close].trimmingSpaces()
      let rest = content[content.index(after: close)...].trimmingSpaces()
      guard rest.isEmpty || rest.hasPrefix("#") else {
        throw error(line, column, "unexpected text after the section header")
      }
      seenKeys = []
      sawSection = true
      if name.hasPrefix("file ") {
        let companion = String(name.dropFirst(5)).trimmingCharacters(in: .whitespaces)
        guard !companion.isEmpty, companion.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        else {
          throw error(line, column + 1, "a companion file needs a name of letters and digits: [file roles]")
        }
        if inherited.remove("file " + companion) != nil { companions.removeAll { $0.name == companion } }
        guard !companions.contains(where: { $0.name == companion }) else {
          throw error(line, column, "[file \(companion)] appears twice")
        }
        companions.append(CompanionFile(name: companion, definedOnLine: line))
        currentCompanion = companions.count - 1
        current = nil
        return
      }
      currentCompanion = nil
      guard let target = ExportColumn(header: name) else {
        let hint = closestMatch(to: name, among: ExportColumn.allCases.map(\.header))
        throw error(
          line, column + 1,
          "unknown column '\(name)'" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " (columns: "
            + ExportColumn.allCases.map(\.header).joined(separator: ", ") + ")")
      }
      if inherited.remove(target.header) != nil { rules[target] = nil }
      guard rules[target] == nil else {
        throw error(line, column, "[\(name)] appears twice; put all of its settings in one section")
      }
      current = target
      rules[target] = ColumnRule(source: target.header, definedOnLine: line)
    }

    /// `extends = PRESET`: start from a built-in preset; each section of this
    /// file then replaces the preset's rules for that column.
    mutating func extend(_ raw: Substring, line: Int, column: Int) throws(MappingFileError) {
      let name = try unquote(raw, line: line, column: column)
      guard inherited.isEmpty && rules.isEmpty else { throw error(line, column, "'extends' is set twice") }
      guard let preset = MappingPreset.named(name) else {
        let hint = closestMatch(to: name, among: MappingPreset.all.map(\.name))
        throw error(
          line, column,
          "no preset named '\(name)'" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " (presets: "
            + MappingPreset.all.map(\.name).joined(separator: ", ") + ")")
      }
      let base = preset.mapping
      extendsPreset = true
      rules = base.rules
      // Inherited paths were set on lines of the preset, not of this file.
      companions = base.companions.map {
        var file = $0
        file.pathLine = nil
        return file
      }
      inherited = Set(base.rules.keys.map(\.header) + base.companions.map { "file " + $0.name })
    }

    /// `path = …`, `key = …`, `matches = …`, `prefer HEADER = VALUE` in a
    /// `[file NAME]` section.
    mutating func companionSetting(_ content: Substring, companion: Int, line: Int, column: Int)
      throws(MappingFileError)
    {
      if content.hasPrefix(MappingSetting.prefer.rawValue + " ") {
        let (header, value) = try splitAssignment(content.dropFirst(7), line: line, column: column + 7)
        companions[companion].prefer = ValueCondition(header: header, value: value, target: "")
        return
      }
      guard let equals = content.firstIndex(of: "=") else { throw error(line, column, "expected 'key = value'") }
      let key = content[..<equals].trimmingSpaces()
      let value = try unquote(content[content.index(after: equals)...], line: line, column: column)
      guard seenKeys.insert(key).inserted else {
        throw error(line, column, "'\(key)' is set twice in [file \(companions[companion].name)]")
      }
      switch MappingSetting(rawValue: key) {
      case .path?:
        companions[companion].path = value
        companions[companion].pathLine = line
      case .key?: companions[companion].key = value
      case .matches?: companions[companion].matches = value
      default:
        throw error(
          line, column, "unknown setting '\(key)' for a companion file " + MappingSetting.listing(for: .companion))
      }
      guard !value.isEmpty else { throw error(line, column, "'\(key)' needs a value") }
    }

    /// `when HEADER = VALUE then TARGET`.
    mutating func addCondition(_ content: Substring, target: ExportColumn, line: Int, column: Int)
      throws(MappingFileError)
    {
      let body = content.dropFirst(5)
      guard let then = body.range(of: " then ", options: .backwards) else {
        throw error(line, column, "expected 'when HEADER = VALUE then TARGET'")
      }
      let (header, value) = try splitAssignment(body[..<then.lowerBound], line: line, column: column + 5)
      let targetColumn = column + content.distance(from: content.startIndex, to: then.upperBound)
      let targetValue = try unquote(body[then.upperBound...], line: line, column: targetColumn)
      try checkVocabulary(targetValue, target: target, line: line, column: targetColumn)
      rules[target]!.conditions.append(ValueCondition(header: header, value: value, target: targetValue))
    }

    /// `HEADER = VALUE`, either side possibly quoted.
    func splitAssignment(_ text: Substring, line: Int, column: Int) throws(MappingFileError) -> (String, String) {
      let trimmed = Substring(text.trimmingSpaces())
      var left: String
      var rest: Substring
      if trimmed.first == "\"" {
        guard let (quoted, remainder) = quotedPrefix(trimmed) else {
          throw error(line, column, "the quoted header is not closed")
        }
        left = quoted
        rest = remainder.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == "=" else { throw error(line, column, "expected '=' after the header") }
      } else {
        guard let equals = trimmed.firstIndex(of: "=") else { throw error(line, column, "expected 'HEADER = VALUE'") }
        left = trimmed[..<equals].trimmingSpaces()
        rest = trimmed[equals...]
      }
      let right = try unquote(rest.dropFirst(), line: line, column: column)
      guard !left.isEmpty else { throw error(line, column, "a header is needed before '='") }
      return (left, right)
    }

    mutating func addTranslation(_ content: Substring, target: ExportColumn, line: Int, column: Int)
      throws(MappingFileError)
    {
      // value <source> = <target>; <source> may be quoted to hold '=' or spaces.
      var rest = content.dropFirst("value".count)
      let skipped = rest.prefix(while: { $0 == " " || $0 == "\t" }).count
      rest = rest.dropFirst(skipped)
      let sourceColumn = column + "value".count + skipped
      let source: String
      let afterSource: Substring
      if rest.first == "\"" {
        guard let (text, remainder) = quotedPrefix(rest) else {
          throw error(line, sourceColumn, "the quoted value is not closed")
        }
        source = text
        afterSource = remainder.drop(while: { $0 == " " || $0 == "\t" })
        guard afterSource.first == "=" else {
          throw error(line, sourceColumn, "expected '=' after the quoted value")
        }
      } else {
        guard let equals = rest.firstIndex(of: "=") else { throw error(line, column, "expected 'value A = B'") }
        source = String(rest[..<equals].trimmingSpaces())
        afterSource = rest[equals...]
      }
      guard !source.isEmpty else {
        throw error(line, sourceColumn, "'value' needs the source value before '=' (use 'default' for empty values)")
      }
      let rawTarget = afterSource.dropFirst()
      let targetColumn =
        column + content.distance(from: content.startIndex, to: afterSource.startIndex) + 1 + leadingSpaces(rawTarget)
      let value = try unquote(rawTarget, line: line, column: targetColumn)
      try checkVocabulary(value, target: target, line: line, column: targetColumn)
      guard rules[target]!.translations[source] == nil else {
        throw error(line, sourceColumn, "the value '\(source)' is translated twice in [\(target.header)]")
      }
      // Changed in place: a copy of the rule taken out and put back would
      // copy its whole translation table on every line (quadratic: 70,000
      // `value` lines took 15 s).
      rules[target]!.translations[source] = value
    }

    func checkVocabulary(_ value: String, target: ExportColumn, line: Int, column: Int) throws(MappingFileError) {
      guard let allowed = Vocabulary.values(of: target), !value.isEmpty, !allowed.contains(value) else { return }
      throw error(
        line, column, "'\(value)' is not a valid \(target.header); use one of " + allowed.joined(separator: ", "))
    }

    func unquote(_ raw: Substring, line: Int, column: Int) throws(MappingFileError) -> String {
      let text = raw.trimmingSpaces()
      guard text.first == "\"" else { return String(text) }
      guard let (value, rest) = quotedPrefix(Substring(text)), rest.trimmingSpaces().isEmpty else {
        throw error(line, column, "the quoted value is not closed, or text follows it")
      }
      return value
    }

    func finish() throws(MappingFileError) -> ColumnMapping {
      for companion in companions {
        for (setting, value) in [("path", companion.path), ("key", companion.key), ("matches", companion.matches)]
        where value.isEmpty {
          throw error(companion.definedOnLine ?? 0, 1, "[file \(companion.name)] needs '\(setting) = …'")
        }
      }
      // `from = @name.header` must name a companion file of this mapping.
      for (column, rule) in rules.sorted(by: { $0.key < $1.key }) {
        guard let source = rule.source, let reference = CompanionReference(source) else { continue }
        guard rule.sources.count == 1, rule.sources[0].occurrence == nil else {
          throw error(
            rule.definedOnLine ?? 0, 1,
            "[\(column.header)] reads '\(source)' from a companion file: that 'from' takes no other header and no #copy"
          )
        }
        guard companions.contains(where: { $0.name == reference.file }) else {
          throw error(
            rule.definedOnLine ?? 0, 1,
            "[\(column.header)] reads '\(source)', but no [file \(reference.file)] section describes that file")
        }
      }
      var mapping = ColumnMapping(rules: rules, companions: companions, origin: file)
      mapping.ignoresUnusedHeaders = ignoresUnused ?? extendsPreset
      return mapping
    }
  }
}

func leadingSpaces(_ text: Substring) -> Int {
  text.prefix(while: { $0 == " " || $0 == "\t" }).count
}

/// The text of a leading `"…"` (with `""` for a quote) and what follows it.
func quotedPrefix(_ text: Substring) -> (String, Substring)? {
  var result = ""
  var index = text.index(after: text.startIndex)
  while index < text.endIndex {
    let character = text[index]
    index = text.index(after: index)
    if character == "\"" {
      if index < text.endIndex, text[index] == "\"" {
        result.append("\"")
        index = text.index(after: index)
        continue
      }
      return (result, text[index...])
    }
    result.append(character)
  }
  return nil
}

extension Substring {
  /// Without leading and trailing spaces and tabs. Indexes, not a reversed
  /// copy: this runs several times for each of a mapping's lines.
  package func trimmingSpaces() -> String {
    guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
      let last = lastIndex(where: { $0 != " " && $0 != "\t" })
    else { return "" }
    return String(self[first...last])
  }
}
