import SyncModel

/// Where a target column's value comes from, once the header row is known.
struct ResolvedColumn {
  enum Source {
    /// 0-based index of the field in each record.
    case field(Int)
    case constant([UInt8])
    /// Missing from the file: a fatal finding was reported.
    case missing
    /// A header of a companion file (index among the mapping's companions,
    /// index of the header in that file).
    case companion(Int, Int)
    /// Built per row by the mapping's template (`templates`).
    case template
  }
  let column: ExportColumn
  let source: Source
  let defaultValue: [UInt8]?
  /// Translations keyed by the exact trimmed source value, then by its
  /// lowercased form.
  let translations: [String: String]
  let foldedTranslations: [String: String]
  var firstOfList = false
  /// The other fields with the same header as the one read, when the header
  /// repeats and the mapping chose no copy: rows where they hold another
  /// value are reported (W057).
  var otherCopies: [Int] = []
  /// Lowercased source values whose rows are left out.
  var skipped: Set<String> = []
  var conditions: [ResolvedCondition] = []
  /// The column's templates (TemplateResolution.swift), when it has any.
  var templates: ColumnTemplates?

  var hasTranslations: Bool { !translations.isEmpty }

  func translate(_ value: String) -> String? {
    translations[value] ?? foldedTranslations[value.lowercased()]
  }
}

/// `when HEADER = VALUE then TARGET`, with HEADER found in the file.
struct ResolvedCondition {
  let field: Int
  /// Lowercased.
  let value: String
  let target: [UInt8]
}

/// Matches the file's header row to the ten target columns through a
/// mapping, and says what is missing, unknown, repeated or misspelt.
struct HeaderResolver {
  let mapping: ColumnMapping
  /// The mapping's companion files, read (same order as `mapping.companions`).
  var companions: [CompanionTable] = []

  struct Resolution {
    var columns: [ResolvedColumn]
    var findings: [Finding]
    /// Per companion: the export field holding its join key.
    var companionKeyFields: [Int] = []
    var isUsable: Bool { !findings.contains { $0.code.isFatal } }
  }

  func resolve(_ rawHeaders: [String]) -> Resolution {
    let headers = rawHeaders.map { trimmedHeader($0) }
    var findings: [Finding] = []
    var used = Set<Int>()
    var columns: [ResolvedColumn] = []
    var missing: [(ExportColumn, [HeaderChoice])] = []
    // Spelt loosely, once for all columns (a header line can hold a
    // thousand long fields).
    var looseHeaders: [String]?

    for column in ExportColumn.allCases {
      let rule = mapping.rule(for: column)
      let translations = rule.translations
      let folded = Dictionary(
        translations.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
      func resolved(_ source: ResolvedColumn.Source) -> ResolvedColumn {
        ResolvedColumn(
          column: column, source: source, defaultValue: rule.defaultValue.map { Array($0.utf8) },
          translations: translations, foldedTranslations: folded)
      }
      if let constant = rule.constant {
        columns.append(resolved(.constant(Array(constant.utf8))))
        continue
      }
      if rule.template != nil {
        columns.append(resolved(.template))
        continue
      }
      if let source = rule.source, let reference = CompanionReference(source) {
        columns.append(resolved(companionSource(reference, column: column, findings: &findings)))
        continue
      }
      let choices = rule.sources.isEmpty ? [HeaderChoice(name: column.header)] : rule.sources
      if let found = exactSource(choices, in: headers, column: column, used: &used, findings: &findings) {
        var resolvedColumn = resolved(found.source)
        resolvedColumn.otherCopies = found.otherCopies
        columns.append(resolvedColumn)
        continue
      }
      if looseHeaders == nil { looseHeaders = headers.map(normalizedForMatching) }
      if let index = looseSource(choices, in: looseHeaders!, used: used) {
        used.insert(index)
        findings.append(
          Finding(
            code: .headerSpelling, line: 1, column: column.header, field: index + 1, value: headers[index],
            message: "the header '\(headers[index])' was read as '\(choices[0].name)'",
            suggestion: "rename the column to '\(choices[0].name)'", suggestedValue: choices[0].name))
        columns.append(resolved(.field(index)))
        continue
      }
      if rule.isOptional {
        // Absent, and allowed to be: every row's value is empty, so the
        // rule's default (if any) applies.
        columns.append(resolved(.constant([])))
        continue
      }
      missing.append((column, choices))
      columns.append(resolved(.missing))
    }

    // Headers read by 'when' rules and companion keys are used too.
    var companionKeyFields: [Int] = []
    for companion in companions {
      let field = headers.firstIndex(of: companion.file.matches) ?? -1
      if field >= 0 {
        used.insert(field)
      } else {
        findings.append(
          Finding(
            code: .missingHeader, line: 1, value: companion.file.matches,
            message:
              "the header '\(companion.file.matches)' is missing; the mapping joins \(companion.file.path) on it",
            suggestion: "check that this is the export the mapping is made for"))
      }
      companionKeyFields.append(field)
    }
    for index in columns.indices {
      let rule = mapping.rule(for: columns[index].column)
      columns[index].firstOfList = rule.firstOfList
      columns[index].skipped = Set(rule.skippedValues.map { $0.lowercased() })
      columns[index].templates = resolveTemplates(
        rule, column: columns[index].column, headers: headers, used: &used, findings: &findings)
      for condition in rule.conditions {
        guard let field = headers.firstIndex(of: condition.header) else {
          // An optional column's rules may read headers the file lacks.
          if rule.isOptional { continue }
          findings.append(
            Finding(
              code: .missingHeader, line: 1, column: columns[index].column.header, value: condition.header,
              message:
                "the header '\(condition.header)' is missing; the mapping sets \(columns[index].column.header) from it",
              suggestion: "check that this is the export the mapping is made for"))
          continue
        }
        used.insert(field)
        columns[index].conditions.append(
          ResolvedCondition(field: field, value: condition.value.lowercased(), target: Array(condition.target.utf8)))
      }
    }

    let unused = headers.indices.filter { !used.contains($0) }
    let seen = headers.map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: ", ")
    let separatorHint = separatorProblem(rawHeaders)
    for (column, choices) in missing {
      let wanted = choices[0].name
      let guess = closestHeader(to: wanted, among: unused.map { headers[$0] })
      var message = "the header '\(wanted)'"
      if choices.count > 1 {
        message += " (or " + choices.dropFirst().map { "'\($0.name)'" }.joined(separator: ", ") + ")"
      }
      if wanted != column.header { message += " (mapped to \(column.header))" }
      message += " is missing; headers seen: \(seen)"
      var suggestion: String
      if let separatorHint {
        suggestion = separatorHint
      } else if let guess {
        suggestion = "did you mean '\(guess)'? Rename it, or map it: [\(column.header)] from = \(guess)"
      } else {
        suggestion = "add the column, or map one of your headers to it with --mapping (man 5 sis-sync-mapping)"
      }
      if mapping.isIdentity && separatorHint == nil && guess == nil {
        suggestion =
          "add the column, or describe your SIS's headers in a mapping file and pass --mapping (man 5 sis-sync-mapping)"
      }
      findings.append(
        Finding(
          code: .missingHeader, line: 1, column: column.header, value: nil, message: message,
          suggestion: suggestion, suggestedValue: guess))
    }
    let missingSources = missing.map(\.1[0].name)
    for index in unused where !mapping.ignoresUnusedHeaders {
      let name = headers[index]
      let guess = closestHeader(to: name, among: missingSources)
      let repeats = headers.indices.filter { headers[$0] == name }
      var message = "the column '\(name.isEmpty ? "(empty header)" : name)' is not used"
      if repeats.count > 1, repeats.first == index {
        message += " (it appears in columns \(repeats.map { String($0 + 1) }.joined(separator: ", ")))"
      }
      findings.append(
        Finding(
          code: .unknownHeader, line: 1, column: nil, field: index + 1, value: name, message: message,
          suggestion: guess.map { "did you mean '\($0)'?" }, suggestedValue: guess))
    }
    return Resolution(columns: columns, findings: findings, companionKeyFields: companionKeyFields)
  }

  /// The first of `choices` the file has, exactly: its field, and the other
  /// copies of its header when it repeats and no copy was chosen (rows where
  /// they disagree are reported). A chosen copy the file lacks is reported.
  private func exactSource(
    _ choices: [HeaderChoice], in headers: [String], column: ExportColumn, used: inout Set<Int>,
    findings: inout [Finding]
  ) -> (source: ResolvedColumn.Source, otherCopies: [Int])? {
    for choice in choices {
      let copies = headers.indices.filter { headers[$0] == choice.name }
      guard !copies.isEmpty else { continue }
      used.formUnion(copies)
      guard let occurrence = choice.occurrence else { return (.field(copies[0]), Array(copies.dropFirst())) }
      if occurrence <= copies.count { return (.field(copies[occurrence - 1]), []) }
      findings.append(
        Finding(
          code: .missingHeader, line: 1, column: column.header, field: copies[0] + 1, value: choice.name,
          message:
            "the mapping reads copy #\(occurrence) of the header '\(choice.name)', but the file has "
            + (copies.count == 1 ? "one" : "\(copies.count)") + " (column "
            + copies.map { String($0 + 1) }.joined(separator: ", ") + ")",
          suggestion: "check that this is the export the mapping is made for"))
      return (.missing, [])
    }
    return nil
  }

  /// The one unused header that is a choice spelt another way (`First Name`
  /// for `first_name`); `looseHeaders` are the headers as
  /// `normalizedForMatching` spells them.
  private func looseSource(_ choices: [HeaderChoice], in looseHeaders: [String], used: Set<Int>) -> Int? {
    for choice in choices where choice.occurrence == nil {
      let name = normalizedForMatching(choice.name)
      let loose = looseHeaders.indices.filter { !used.contains($0) && looseHeaders[$0] == name }
      if loose.count == 1 { return loose[0] }
    }
    return nil
  }

  /// `@file.header`: the companion file and the header's place in it.
  private func companionSource(
    _ reference: CompanionReference, column: ExportColumn, findings: inout [Finding]
  ) -> ResolvedColumn.Source {
    guard let index = companions.firstIndex(where: { $0.file.name == reference.file }) else { return .missing }
    let companion = companions[index]
    guard let field = companion.index(of: reference.header) else {
      findings.append(
        Finding(
          code: .companionFile, line: nil, column: column.header, value: reference.header,
          message:
            "\(companion.path) has no '\(reference.header)' header (for \(column.header)); headers: "
            + companion.headers.joined(separator: ", ")))
      return .missing
    }
    return .companion(index, field)
  }

  private func trimmedHeader(_ header: String) -> String {
    var text = Substring(header)
    if text.first == "\u{FEFF}" { text = text.dropFirst() }
    return text.trimmingSpaces()
  }

  /// A header row that is one field holding semicolons or tabs was saved
  /// with the wrong separator (European spreadsheets use `;`).
  private func separatorProblem(_ headers: [String]) -> String? {
    guard headers.count == 1, let only = headers.first else { return nil }
    if only.contains(";") {
      return "the header line is separated by ';', not ','; save the file as comma-separated CSV"
    }
    if only.contains("\t") {
      return "the header line is separated by tabs, not ','; save the file as comma-separated CSV"
    }
    return nil
  }
}
