import Foundation

/// A command an admin wrote (`apply --on-finish`, setting `on_finish`),
/// split into the words of its argument list as a shell splits a simple
/// command: blanks separate words, `'…'` keeps what it encloses as it is,
/// `"…"` too but for `\"` and `\\`, and a backslash outside quotes keeps
/// the next character. Nothing else: no shell ever runs it, so what a shell
/// would expand or connect (`$`, backquotes, `|`, `;`, `&`, `<`, `>`, `(`,
/// `)`) is refused outside single quotes rather than passed on silently as
/// text the admin meant otherwise.
public struct CommandWords: Sendable, Equatable, CustomStringConvertible {
  /// The program (searched in PATH unless it has a `/`) and its arguments.
  public let words: [String]
  /// The command as written.
  public let text: String

  public var description: String { text }

  /// The program's name as messages show it (its last path component).
  public var programName: String { String(words[0].split(separator: "/").last ?? Substring(words[0])) }

  private static let shellOnly: Set<Character> = ["$", "`", "|", ";", "&", "<", ">", "(", ")"]

  public init(parsing text: String) throws(SettingError) {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    var column = 0
    var quoteColumn = 0
    for character in text {
      column += 1
      if escaped {
        word.append(character)
        escaped = false
        continue
      }
      switch quote {
      case "'":
        if character == "'" { quote = nil } else { word.append(character) }
      case "\"":
        if character == "\"" {
          quote = nil
        } else if character == "\\" {
          escaped = true
        } else if character == "$" || character == "`" {
          throw Self.shellError(character, column: column, text: text)
        } else {
          word.append(character)
        }
      default:
        if character == " " || character == "\t" {
          if inWord { words.append(word) }
          word = ""
          inWord = false
          continue
        }
        inWord = true
        if character == "'" || character == "\"" {
          quote = character
          quoteColumn = column
        } else if character == "\\" {
          escaped = true
        } else if Self.shellOnly.contains(character) || character.isNewline {
          throw Self.shellError(character, column: column, text: text)
        } else {
          word.append(character)
        }
      }
    }
    if let quote {
      throw SettingError(message: "the command '\(text)' has a \(quote) at column \(quoteColumn) that is not closed")
    }
    if escaped {
      throw SettingError(message: "the command '\(text)' ends with a backslash")
    }
    if inWord { words.append(word) }
    guard let program = words.first, !program.isEmpty else {
      throw SettingError(message: "the command is empty; give a program and its arguments, or none")
    }
    self.words = words
    self.text = text.trimmingCharacters(in: .whitespaces)
  }

  private static func shellError(_ character: Character, column: Int, text: String) -> SettingError {
    let shown = character.isNewline ? "a line break" : "'\(character)'"
    return SettingError(
      message: "the command '\(text)' has \(shown) at column \(column): it is run as a program with arguments, "
        + "never through a shell, so nothing is expanded, piped or redirected; put that in a script and give the "
        + "script (or quote the character in '…' to pass it as it is)")
  }
}
