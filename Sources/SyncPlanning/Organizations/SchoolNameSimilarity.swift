import Foundation
import SyncModel

/// How alike two school names are, 0…100, for proposing which SIS
/// organization a directory organization is. Names are compared as words
/// after folding case, accents and punctuation, expanding the usual
/// abbreviations (`Elem`, `HS`, `MS`, `Acad`) and dropping words every
/// school has (`School`, `the`, `of`): "Lincoln Elem." and "Lincoln
/// Elementary School" are the same. A word one or two typing slips away
/// still counts, and a different level (middle, high) weighs against.
package enum SchoolNameSimilarity {
  /// 0…100; 100 when the names are the same once normalised.
  package static func score(_ lhs: String, _ rhs: String) -> Int {
    let left = words(of: lhs)
    let right = words(of: rhs)
    guard !left.isEmpty, !right.isEmpty else { return 0 }
    if left == right { return 100 }
    // Words in common, a near-miss counted nearly as one (Dice
    // coefficient); a level word weighs half: two elementary schools share
    // it and are still two schools.
    var unmatched = right
    var common = 0.0
    for word in left {
      if let exact = unmatched.firstIndex(of: word) {
        common += weight(word)
        unmatched.remove(at: exact)
      } else if let close = unmatched.firstIndex(where: { isTypo(word, $0) }) {
        common += 0.8 * weight(word)
        unmatched.remove(at: close)
      }
    }
    let dice = 2 * common / (left.map(weight).reduce(0, +) + right.map(weight).reduce(0, +))
    // The letters as a whole, for words run together or split.
    let joinedLeft = left.joined(separator: " ")
    let joinedRight = right.joined(separator: " ")
    let letters =
      1 - Double(editDistance(joinedLeft, joinedRight))
      / Double(max(joinedLeft.unicodeScalars.count, joinedRight.unicodeScalars.count))
    var similarity = 0.7 * dice + 0.3 * letters
    let leftLevels = Set(left).intersection(levels)
    let rightLevels = Set(right).intersection(levels)
    if !leftLevels.isEmpty && !rightLevels.isEmpty && leftLevels.isDisjoint(with: rightLevels) {
      similarity *= 0.5
    }
    return min(99, max(0, Int((similarity * 100).rounded())))
  }

  /// The name's words: folded, abbreviations expanded, common words gone.
  package static func words(of name: String) -> [String] {
    let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
      .lowercased()
    // Periods and apostrophes join (M.S. is ms, St. Mary's is st marys);
    // every other mark separates words.
    let separated = String(
      folded.unicodeScalars.compactMap { scalar -> Character? in
        if scalar == "." || scalar == "'" || scalar == "\u{2019}" { return nil }
        return CharacterSet.alphanumerics.contains(scalar) ? Character(scalar) : " "
      })
    return separated.split(separator: " ").compactMap { word in
      let expanded = abbreviations[String(word)] ?? String(word)
      return commonWords.contains(expanded) ? nil : expanded
    }
  }

  static func weight(_ word: String) -> Double { levels.contains(word) ? 0.5 : 1 }

  /// Two words that differ by a slip: one edit in a word of four letters
  /// or more, two in one of eight or more.
  static func isTypo(_ lhs: String, _ rhs: String) -> Bool {
    let length = min(lhs.count, rhs.count)
    guard length >= 4 else { return false }
    return editDistance(lhs, rhs) <= (length >= 8 ? 2 : 1)
  }

  static let abbreviations: [String: String] = [
    "elem": "elementary", "el": "elementary", "es": "elementary", "elm": "elementary",
    "hs": "high", "shs": "high", "sr": "senior",
    "ms": "middle", "mid": "middle", "jhs": "junior", "jr": "junior", "int": "intermediate",
    "intermed": "intermediate", "acad": "academy", "ctr": "center", "centre": "center", "sch": "school",
    "schl": "school", "prep": "preparatory", "dist": "district", "isd": "district", "usd": "district",
    "mt": "mount", "ft": "fort", "st": "saint",
  ]

  /// Words nearly every school name has: they say nothing about which one.
  static let commonWords: Set<String> = [
    "school", "schools", "academy", "the", "of", "and", "at", "for", "public", "k12", "campus", "district", "unified",
  ]

  /// The level of a school: different levels are different schools.
  static let levels: Set<String> = ["elementary", "primary", "middle", "junior", "intermediate", "high", "senior"]
}
