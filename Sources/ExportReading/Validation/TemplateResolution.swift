import SyncModel

/// A mapping template with each header it reads found in the export.
struct ResolvedTemplate {
  let template: ValueTemplate
  /// The export field of each header the template reads.
  let fields: [String: Int]
}

/// A column's templates, resolved: by user type (lowercased), the one for
/// every other row, and the `generate` rule of `[email]`.
struct ColumnTemplates {
  var fallback: ResolvedTemplate?
  var byUserType: [String: ResolvedTemplate] = [:]
  var generate: ResolvedTemplate?

  /// The template for a row of `userType` (as the row spells it), if any.
  func template(forUserType userType: String) -> ResolvedTemplate? {
    byUserType.isEmpty ? fallback : byUserType[userType.lowercased()] ?? fallback
  }
}

extension HeaderResolver {
  /// Finds the headers `rule`'s templates read; a missing one is E003
  /// naming the template and its line in the mapping. Nil when the column
  /// has no template (plain exports pay nothing).
  func resolveTemplates(
    _ rule: ColumnRule, column: ExportColumn, headers: [String], used: inout Set<Int>, findings: inout [Finding]
  ) -> ColumnTemplates? {
    guard rule.usesTemplates || rule.generate != nil else { return nil }
    func resolve(_ template: ValueTemplate, setting: String) -> ResolvedTemplate? {
      var fields: [String: Int] = [:]
      for header in template.headers {
        let exact = headers.indices.filter { headers[$0] == header }
        let loose = headers.indices.filter { normalizedForMatching(headers[$0]) == normalizedForMatching(header) }
        if let field = exact.first ?? (loose.count == 1 ? loose.first : nil) {
          fields[header] = field
          used.insert(field)
          continue
        }
        let guess = closestMatch(to: header, among: headers)
        let place = template.line.map { " (line \($0) of \(mapping.origin))" } ?? ""
        findings.append(
          Finding(
            code: .missingHeader, line: 1, column: column.header, value: header,
            message:
              "the header '\(header)' is missing; the mapping's '\(setting)' for \(column.header)\(place) reads it: \(template.text)",
            suggestion: guess.map { "did you mean '\($0)'? Write {\($0)} in the template" }
              ?? "check that this is the export the mapping is made for", suggestedValue: guess))
        return nil
      }
      return ResolvedTemplate(template: template, fields: fields)
    }
    var templates = ColumnTemplates()
    templates.fallback = rule.template.flatMap { resolve($0, setting: "template") }
    for (userType, template) in rule.templatesByUserType.sorted(by: { $0.key < $1.key }) {
      if let resolved = resolve(template, setting: "template \(userType)") {
        templates.byUserType[userType.lowercased()] = resolved
      }
    }
    templates.generate = rule.generate.flatMap { resolve($0, setting: "generate") }
    return templates
  }
}
