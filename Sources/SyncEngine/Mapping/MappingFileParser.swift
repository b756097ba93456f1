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
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
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
      bytes = try readWholeFile(path: path, limit: 1 << 20)
    } catch {
      throw MappingFileError(file: path, line: 0, column: 0, message: error.reason)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw MappingFileError(file: path, line: 1, column: 1, message: "the mapping file is not UTF-8 text")
    }
    return try parse(text, file: path)
  }

  private struct State {
    let file: String
    var rules: [ExportColumn: ColumnRule] = [:]
    var current: ExportColumn?
    var seenKeys: Set<String> = []

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
      guard let target = current else {
        throw error(
          lineNumber, column, "a setting before any [column] section; start with a section such as [first_name]")
      }
      guard let equals = content.firstIndex(of: "=") else {
        throw error(lineNumber, column, "expected 'key = value'")
      }
      let key = content[..<equals].trimmingSpaces()
      if key.hasPrefix("value ") || key.hasPrefix("value\t") || key == "value" {
        try addTranslation(content, target: target, line: lineNumber, column: column)
        return
      }
      let rawValue = content[content.index(after: equals)...]
      let valueColumn =
        column + content.distance(from: content.startIndex, to: equals) + 1 + leadingSpaces(rawValue)
      let value = try unquote(rawValue, line: lineNumber, column: valueColumn)
      guard ["from", "constant", "default"].contains(key) else {
        let hint = closestMatch(to: String(key), among: ["from", "constant", "default", "value"])
        throw error(
          lineNumber, column,
          "unknown setting '\(key)'" + (hint.map { "; did you mean '\($0)'?" } ?? "")
            + " (settings: from, constant, default, value)")
      }
      guard seenKeys.insert(key).inserted else {
        throw error(lineNumber, column, "'\(key)' is set twice in [\(target.header)]")
      }
      var rule = rules[target]!
      switch key {
      case "from":
        guard !value.isEmpty else { throw error(lineNumber, valueColumn, "'from' needs a source header") }
        rule.source = value
      case "constant":
        try checkVocabulary(value, target: target, line: lineNumber, column: valueColumn)
        rule.constant = value
        rule.source = nil
      default:
        try checkVocabulary(value, target: target, line: lineNumber, column: valueColumn)
        rule.defaultValue = value
      }
      if seenKeys.contains("from") && seenKeys.contains("constant") {
        throw error(lineNumber, column, "[\(target.header)] has both 'from' and 'constant'; keep one")
      }
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
      guard let target = ExportColumn(header: name) else {
        let hint = closestMatch(to: name, among: ExportColumn.allCases.map(\.header))
        throw error(
          line, column + 1,
          "unknown column '\(name)'" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " (columns: "
            + ExportColumn.allCases.map(\.header).joined(separator: ", ") + ")")
      }
      guard rules[target] == nil else {
        throw error(line, column, "[\(name)] appears twice; put all of its settings in one section")
      }
      current = target
      seenKeys = []
      rules[target] = ColumnRule(source: target.header, definedOnLine: line)
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
      var rule = rules[target]!
      guard rule.translations[source] == nil else {
        throw error(line, sourceColumn, "the value '\(source)' is translated twice in [\(target.header)]")
      }
      rule.translations[source] = value
      rules[target] = rule
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
      ColumnMapping(rules: rules, origin: file)
    }
  }
}

private func leadingSpaces(_ text: Substring) -> Int {
  text.prefix(while: { $0 == " " || $0 == "\t" }).count
}

/// The text of a leading `"…"` (with `""` for a quote) and what follows it.
private func quotedPrefix(_ text: Substring) -> (String, Substring)? {
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
  func trimmingSpaces() -> String {
    String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}
