import Foundation

/// Latin letters spelt in ASCII for a template's `:ascii` modifier
/// (`José` → `Jose`, `Nguyễn` → `Nguyen`, `Łukasz` → `Lukasz`,
/// `Straße` → `Strasse`).
///
/// A letter with accents is taken apart (Unicode canonical decomposition)
/// and its combining marks dropped: that covers Latin-1 Supplement, Latin
/// Extended-A and the Vietnamese letters of Latin Extended Additional. The
/// letters that do not come apart that way (ß, æ, ø, ł, đ, œ, þ…) are in
/// `letters` below. Anything still not ASCII afterwards (a name in
/// Cyrillic, Greek, Chinese, Arabic…) is not guessed at: `spell` returns nil
/// and the row gets E053.
package enum ASCIITransliteration {
  /// Latin letters without a canonical decomposition, and their usual
  /// ASCII spelling.
  static let letters: [Character: String] = [
    "ß": "ss", "ẞ": "SS",
    "æ": "ae", "Æ": "AE",
    "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D",
    "œ": "oe", "Œ": "OE",
    "þ": "th", "Þ": "TH",
    "ħ": "h", "Ħ": "H",
    "ı": "i", "ĳ": "ij", "Ĳ": "IJ",
    "ĸ": "k", "ŀ": "l", "Ŀ": "L", "ŉ": "n",
    "ŋ": "n", "Ŋ": "N", "ſ": "s",
    "ŧ": "t", "Ŧ": "T",
    // Typographic apostrophes and dashes that names carry from word processors.
    "\u{2019}": "'", "\u{2018}": "'", "\u{02BC}": "'",
    "\u{2010}": "-", "\u{2011}": "-", "\u{2013}": "-",
  ]

  /// `text` in ASCII letters, or nil when a character is not a Latin letter
  /// (or ASCII) that can be spelt so.
  package static func spell(_ text: String) -> String? {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    let characters = Array(text)
    for (index, character) in characters.enumerated() {
      if character.isASCII {
        result.append(character)
      } else if let spelling = letters[character] {
        // Þór → Thor, Æsa → Aesa: a capital spelt with two letters is
        // capitalised like the word it starts.
        let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
        result += nextIsLower && spelling.count > 1 ? spelling.prefix(1) + spelling.dropFirst().lowercased() : spelling
      } else if let stripped = withoutMarks(character) {
        result += stripped
      } else {
        return nil
      }
    }
    return result
  }

  /// The character's base letters when its decomposition is ASCII plus
  /// combining marks (`ễ` → `e`); nil otherwise.
  private static func withoutMarks(_ character: Character) -> String? {
    var base = ""
    for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars {
      if scalar.isASCII {
        base.unicodeScalars.append(scalar)
      } else if scalar.properties.generalCategory != .nonspacingMark {
        return nil
      }
    }
    return base.isEmpty ? nil : base
  }
}
