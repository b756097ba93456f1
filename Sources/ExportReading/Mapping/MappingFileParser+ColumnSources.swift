import SyncModel

/// Where a column's value comes from, as a mapping file writes it: the
/// headers of `from` (alternatives, a copy of a repeated header) and
/// templates; and the rule that a column has one source.
extension MappingFileParser.State {
  /// `HEADER | HEADER #2 | "HEADER | WITH BAR"`: the headers a column may
  /// be read from, in order, each perhaps with the copy to read when the
  /// header repeats. A quoted header is taken as written (`#`, `|` and all).
  func headerChoices(_ raw: Substring, line: Int, column: Int) throws(MappingFileError) -> [HeaderChoice] {
    var choices: [HeaderChoice] = []
    var rest = Substring(raw.trimmingSpaces())
    while true {
      var name: String
      let isQuoted = rest.first == "\""
      if isQuoted {
        guard let (quoted, remainder) = quotedPrefix(rest) else {
          throw error(line, column, "the quoted header is not closed")
        }
        name = quoted
        rest = Substring(remainder.trimmingSpaces())
      } else {
        let end = rest.firstIndex(of: "|") ?? rest.endIndex
        name = rest[..<end].trimmingSpaces()
        rest = rest[end...]
      }
      var occurrence: Int?
      if !isQuoted, let hash = name.range(of: " #", options: .backwards), let number = Int(name[hash.upperBound...]) {
        guard number >= 1 else { throw error(line, column, "'#\(number)': copies of a header count from #1") }
        occurrence = number
        name = String(name[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces)
      } else if rest.hasPrefix("#") {
        // `"role" #2`: a quoted name, then its copy.
        let digits = rest.dropFirst().prefix(while: \.isNumber)
        guard let number = Int(digits), number >= 1 else {
          throw error(line, column, "expected a copy number after '#', such as #2")
        }
        occurrence = number
        rest = Substring(rest.dropFirst(1 + digits.count).trimmingSpaces())
      }
      guard !name.isEmpty else { throw error(line, column, "an empty header in 'from'; write HEADER | HEADER") }
      choices.append(HeaderChoice(name: name, occurrence: occurrence))
      if rest.isEmpty { return choices }
      guard rest.first == "|" else {
        throw error(line, column, "expected '|' between the headers of 'from'")
      }
      rest = Substring(rest.dropFirst().trimmingSpaces())
    }
  }

  /// A column has one source: a header (`from`), a constant, or a
  /// template for every row.
  func checkSourcesExclusive(_ target: ExportColumn, line: Int, column: Int) throws(MappingFileError) {
    let given = ["from", "constant", "template"].filter { seenKeys.contains($0) }
    guard given.count > 1 else { return }
    throw error(
      line, column,
      "[\(target.header)] has both '\(given[0])' and '\(given[1])'; keep one")
  }

  /// `template = TEXT`, or `template USER_TYPE = TEXT` for the rows of one
  /// (target) user type.
  mutating func addTemplate(
    _ content: Substring, key: String, equals: Substring.Index, target: ExportColumn, line: Int, column: Int
  ) throws(MappingFileError) {
    guard seenKeys.insert(key).inserted else {
      throw error(line, column, "'\(key)' is set twice in [\(target.header)]")
    }
    let rawValue = content[content.index(after: equals)...]
    let valueColumn = column + content.distance(from: content.startIndex, to: equals) + 1 + leadingSpaces(rawValue)
    let text = try unquote(rawValue, line: line, column: valueColumn)
    let quoteOffset = rawValue.trimmingSpaces().first == "\"" ? 1 : 0
    let template = try ValueTemplate.parse(text, file: file, line: line, column: valueColumn + quoteOffset)
    let userType = String(key.dropFirst(MappingSetting.template.rawValue.count)).trimmingCharacters(in: .whitespaces)
    if userType.isEmpty {
      rules[target]!.template = template
      rules[target]!.source = nil
      try checkSourcesExclusive(target, line: line, column: column)
      return
    }
    guard Vocabulary.userTypes.contains(userType) else {
      let typeColumn = column + MappingSetting.template.rawValue.count + 1
      let hint = Vocabulary.userTypes.first { $0.lowercased() == userType.lowercased() }
      throw error(
        line, typeColumn,
        "'\(userType)' is not a user type" + (hint.map { "; did you mean '\($0)'?" } ?? "") + " (user types: "
          + Vocabulary.userTypes.joined(separator: ", ") + ")")
    }
    rules[target]!.templatesByUserType[userType] = template
  }
}
