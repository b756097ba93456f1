/// "Did you mean" for headers, where SIS exports name one thing many ways:
/// `orgs` or `orgId` for `orgSourcedIds`, `Email Address` for
/// `Student_Email`, `ID` for `SIS ID`. A typo (close spelling) wins; else the
/// candidate sharing the most words, or a word's beginning, with `text`.
package func closestHeader(to text: String, among candidates: [String]) -> String? {
  // A header longer than any name is no near miss of one (`closestMatch`).
  guard text.utf8.count <= longestTypoCompared else { return nil }
  if let typo = closestMatch(to: text, among: candidates) { return typo }
  let wanted = headerWords(text)
  var best: (candidate: String, score: Double)?
  for candidate in candidates where candidate.utf8.count <= longestTypoCompared {
    let score = wordOverlap(wanted, headerWords(candidate))
    if score > 0, best == nil || score > best!.score { best = (candidate, score) }
  }
  return best?.candidate
}

/// The words of a header, lowercased: split at spaces, `_`, `-`, `.` and
/// at lower-to-upper case changes (`orgSourcedIds` → org, sourced, ids);
/// a plural `s` dropped so that `ids` meets `id`.
package func headerWords(_ header: String) -> [String] {
  var words: [String] = []
  var current = ""
  var previousWasLower = false
  func finish() {
    guard !current.isEmpty else { return }
    var word = current.lowercased()
    if word.count >= 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
    words.append(word)
    current = ""
  }
  for character in header {
    if character == " " || character == "_" || character == "-" || character == "." || character == "/" {
      finish()
      previousWasLower = false
      continue
    }
    // ASCII (almost every header) without Unicode property lookups.
    let ascii = character.asciiValue
    let isUpper = ascii.map { (0x41...0x5A).contains($0) } ?? character.isUppercase
    if isUpper && previousWasLower { finish() }
    current.append(character)
    previousWasLower =
      ascii.map { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
      ?? (character.isLowercase || character.isNumber)
  }
  finish()
  return words
}

/// How much two headers' words agree, 0 when not at all: shared words count
/// fully, a word that begins another (`org` and `orgs`, `num` and `number`)
/// half. Words as common as `id` or `name` alone do not make a match.
private func wordOverlap(_ left: [String], _ right: [String]) -> Double {
  guard !left.isEmpty, !right.isEmpty else { return 0 }
  var score = 0.0
  var meaningful = false
  for word in left {
    if right.contains(word) {
      score += 1
      if !genericWords.contains(word) { meaningful = true }
    } else if word.count >= 3, right.contains(where: { $0.count >= 3 && ($0.hasPrefix(word) || word.hasPrefix($0)) }) {
      score += 0.5
      meaningful = true
    }
  }
  guard meaningful else { return 0 }
  return score / Double(max(left.count, right.count))
}

private let genericWords: Set<String> = ["id", "name", "number", "no", "code", "the", "of"]
