/// Levenshtein distance over Unicode scalars, for "did you mean" hints.
package func editDistance(_ lhs: String, _ rhs: String) -> Int {
  let left = Array(lhs.unicodeScalars)
  let right = Array(rhs.unicodeScalars)
  if left.isEmpty { return right.count }
  if right.isEmpty { return left.count }
  var previous = Array(0...right.count)
  var current = [Int](repeating: 0, count: right.count + 1)
  for i in 1...left.count {
    current[0] = i
    for j in 1...right.count {
      let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
      current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    swap(&previous, &current)
  }
  return previous[right.count]
}

/// Longer than this (in UTF-8 bytes), a text is taken for no typo of a
/// name and is not compared: headers, vocabulary words and preset names
/// are far shorter, and comparing costs the product of the two lengths (a
/// header line of a thousand 8 KB fields took minutes).
package let longestTypoCompared = 64

/// The candidate closest to `text`, if it is close enough to be a typo:
/// at most a third of the longer string differs (and at least one edit).
/// Texts and candidates longer than `longestTypoCompared` are not compared.
package func closestMatch(to text: String, among candidates: [String]) -> String? {
  guard text.utf8.count <= longestTypoCompared else { return nil }
  let normalizedText = normalizedForMatching(text)
  var best: (candidate: String, distance: Int)?
  for candidate in candidates where candidate.utf8.count <= longestTypoCompared {
    let distance = editDistance(normalizedText, normalizedForMatching(candidate))
    if best == nil || distance < best!.distance { best = (candidate, distance) }
  }
  guard let best else { return nil }
  let allowed = max(1, max(text.count, best.candidate.count) / 3)
  return best.distance <= allowed ? best.candidate : nil
}

/// Lowercased, with spaces, hyphens and underscores treated alike, so that
/// "First Name", "first-name" and "first_name" compare equal.
package func normalizedForMatching(_ text: String) -> String {
  String(
    text.lowercased().unicodeScalars.compactMap { scalar -> Character? in
      switch scalar {
      case " ", "-", "_", ".": return nil
      default: return Character(scalar)
      }
    })
}

/// Whether `lhs` becomes `rhs` by one substitution, insertion or deletion
/// of a character; linear, for checking many candidates.
package func isOneEditAway(_ lhs: String, _ rhs: String) -> Bool {
  let left = Array(lhs.unicodeScalars)
  let right = Array(rhs.unicodeScalars)
  guard abs(left.count - right.count) <= 1, left != right else { return false }
  let (short, long) = left.count <= right.count ? (left, right) : (right, left)
  var i = 0
  var j = 0
  var edited = false
  while i < short.count && j < long.count {
    if short[i] == long[j] {
      i += 1
      j += 1
      continue
    }
    if edited { return false }
    edited = true
    if short.count == long.count { i += 1 }
    j += 1
  }
  return true
}
