import SyncModel

/// `template = {givenName:lower:ascii}.{familyName:lower:ascii}@school.org`:
/// a value built from the export's headers and fixed text (see
/// `man 5 sis-sync-mapping`). `{HEADER}` inserts the header's trimmed value
/// (`{"First Name"}` when the name holds `:` or braces), modifiers follow
/// colons, and `{{` / `}}` are literal braces.
public struct ValueTemplate: Sendable, Equatable, CustomStringConvertible {
  /// What a modifier does to the inserted value, in the order written.
  public enum Modifier: String, CaseIterable, Sendable {
    /// Lower-cased.
    case lower
    /// Upper-cased.
    case upper
    /// Latin letters spelt in ASCII (José → Jose); another script is E053.
    case ascii
    /// Only the first letter.
    case initial
  }

  public enum Part: Sendable, Equatable {
    case text(String)
    case header(String, [Modifier])
  }

  /// The template as written in the mapping file.
  public let text: String
  public let parts: [Part]
  /// The mapping file line it was written on, for messages.
  public var line: Int?

  public var description: String { text }

  /// The headers the template reads, in order, each once.
  public var headers: [String] {
    var seen = Set<String>()
    return parts.compactMap {
      guard case .header(let name, _) = $0, seen.insert(name).inserted else { return nil }
      return name
    }
  }

  /// The same template whatever line it was written on.
  public static func == (left: ValueTemplate, right: ValueTemplate) -> Bool { left.text == right.text }

  /// Reads `text`, which starts at `column` of mapping file line `line`;
  /// mistakes are reported at their own column.
  public static func parse(_ text: String, file: String, line: Int, column: Int) throws(MappingFileError)
    -> ValueTemplate
  {
    func failure(_ offset: Int, _ message: String) -> MappingFileError {
      MappingFileError(file: file, line: line, column: column + offset, message: message)
    }
    let characters = Array(text)
    var parts: [Part] = []
    var literal = ""
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "}" {
        guard index + 1 < characters.count, characters[index + 1] == "}" else {
          throw failure(index, "a '}' without its '{'; write '}}' for a brace in the value")
        }
        literal.append("}")
        index += 2
        continue
      }
      guard character == "{" else {
        literal.append(character)
        index += 1
        continue
      }
      if index + 1 < characters.count, characters[index + 1] == "{" {
        literal.append("{")
        index += 2
        continue
      }
      let open = index
      let (header, modifiers, next) = try placeholder(characters, from: open + 1, failure: failure)
      guard !header.isEmpty else {
        throw failure(open, "'{}' names no header; write the export's header between the braces: {Username}")
      }
      if !literal.isEmpty { parts.append(.text(literal)) }
      literal = ""
      parts.append(.header(header, modifiers))
      index = next
    }
    if !literal.isEmpty { parts.append(.text(literal)) }
    guard !parts.isEmpty else { throw failure(0, "'template' needs a value such as {Username}@school.org") }
    return ValueTemplate(text: text, parts: parts, line: line)
  }

  /// `HEADER:modifier:…}` from `start` (after the `{`): the header, its
  /// modifiers and the index after the closing brace.
  private static func placeholder(
    _ characters: [Character], from start: Int, failure: (Int, String) -> MappingFileError
  ) throws(MappingFileError) -> (String, [Modifier], Int) {
    var index = start
    var header = ""
    while index < characters.count, characters[index] == " " { index += 1 }
    if index < characters.count, characters[index] == "\"" {
      index += 1
      var closed = false
      while index < characters.count {
        if characters[index] == "\"" {
          if index + 1 < characters.count, characters[index + 1] == "\"" {
            header.append("\"")
            index += 2
            continue
          }
          closed = true
          index += 1
          break
        }
        header.append(characters[index])
        index += 1
      }
      guard closed else { throw failure(start - 1, "the quoted header in '{…}' is not closed") }
      while index < characters.count, characters[index] == " " { index += 1 }
    } else {
      while index < characters.count, characters[index] != ":", characters[index] != "}",
        characters[index] != "{"
      {
        header.append(characters[index])
        index += 1
      }
      header = Substring(header).trimmingSpaces()
    }
    var modifiers: [Modifier] = []
    while index < characters.count, characters[index] == ":" {
      let modifierStart = index + 1
      index = modifierStart
      var name = ""
      while index < characters.count, characters[index] != ":", characters[index] != "}",
        characters[index] != "{"
      {
        name.append(characters[index])
        index += 1
      }
      let trimmed = Substring(name).trimmingSpaces()
      guard let modifier = Modifier(rawValue: trimmed) else {
        let all = Modifier.allCases.map(\.rawValue)
        let hint: String = closestMatch(to: trimmed, among: all).map { "; did you mean '\($0)'?" } ?? ""
        let listing: String = " (modifiers: " + all.joined(separator: ", ") + ")"
        throw failure(modifierStart, "unknown modifier '\(trimmed)'" + hint + listing)
      }
      modifiers.append(modifier)
    }
    guard index < characters.count, characters[index] == "}" else {
      throw failure(start - 1, "the '{' is not closed; write '{HEADER}', or '{{' for a brace in the value")
    }
    return (header, modifiers, index + 1)
  }
}

/// What a template makes of one row.
package enum TemplateOutcome: Equatable {
  case value(String)
  /// A header the template reads is empty on this row.
  case emptyPart(String)
  /// `:ascii` met a letter it cannot spell (the header and its value).
  case notASCII(header: String, value: String)
}

extension ValueTemplate {
  /// The template's value with `lookup` giving each header's trimmed
  /// value. For an email (`forEmail`), inserted values lose their spaces
  /// and apostrophes (`O'Brien` → `OBrien`, `Mary Ann` → `MaryAnn`);
  /// hyphens stay.
  package func evaluate(forEmail: Bool, _ lookup: (String) -> String) -> TemplateOutcome {
    var result = ""
    for part in parts {
      switch part {
      case .text(let text): result += text
      case .header(let header, let modifiers):
        var value = lookup(header)
        if value.isEmpty { return .emptyPart(header) }
        for modifier in modifiers {
          switch modifier {
          case .lower: value = value.lowercased()
          case .upper: value = value.uppercased()
          case .initial: value = value.first.map { String($0) } ?? ""
          case .ascii:
            guard let spelt = ASCIITransliteration.spell(value) else {
              return .notASCII(header: header, value: lookup(header))
            }
            value = spelt
          }
        }
        if forEmail { value.removeAll { $0 == " " || $0 == "'" || $0 == "\u{2019}" || $0 == "\u{02BC}" } }
        result += value
      }
    }
    return .value(result)
  }
}
