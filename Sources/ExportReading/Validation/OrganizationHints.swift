import SyncModel

/// The hint of an unknown building ID (E040): a known external ID equal
/// once leading zeros are restored or removed, else the known IDs one edit
/// away. Indexed once per run, so that an export whose building column
/// holds something else (a student ID: a million distinct unknown values)
/// costs a few lookups a value, not a pass over every known ID.
struct OrganizationHints {
  /// Known IDs by their spelling without leading zeros, each list sorted.
  private let byUnpadded: [Substring: [String]]
  /// Known IDs under each spelling with one character left out.
  private let byDeletion: [String: [String]]
  private let known: Set<String>
  /// How many Unicode scalars the known IDs have: one edit changes the
  /// count by at most one, so most unknown IDs need no lookup at all.
  private let knownLengths: Set<Int>

  init(known: Set<String>) {
    self.known = known
    knownLengths = Set(known.map(\.unicodeScalars.count))
    var byUnpadded: [Substring: [String]] = [:]
    var byDeletion: [String: [String]] = [:]
    for id in known {
      byUnpadded[Self.unpadded(id), default: []].append(id)
      for deleted in Self.deletions(of: id) { byDeletion[deleted, default: []].append(id) }
    }
    self.byUnpadded = byUnpadded.mapValues { $0.sorted() }
    self.byDeletion = byDeletion
  }

  /// The hint's text, and the value to put right when there is exactly one.
  func suggestion(for id: String) -> (text: String?, value: String?) {
    let stripped = Self.unpadded(id)
    if !stripped.isEmpty, let zeros = byUnpadded[stripped]?.first(where: { $0 != id }) {
      return ("did you mean '\(zeros)'? (leading zeros differ)", zeros)
    }
    let near = oneEditAway(from: id)
    if near.count == 1 { return ("did you mean '\(near[0])'? (one character differs)", near[0]) }
    if near.count > 1 { return ("close to " + near.map { "'\($0)'" }.joined(separator: ", "), nil) }
    return ("set this external ID on an organization in the directory, or correct it in the SIS", nil)
  }

  /// The known IDs one substitution, insertion or deletion from `id`,
  /// sorted: those sharing a one-deletion spelling with it (a substitution
  /// or an extra character in the known ID) or equal to one of its own (a
  /// character fewer), checked one by one.
  private func oneEditAway(from id: String) -> [String] {
    let length = id.unicodeScalars.count
    guard knownLengths.contains(length - 1) || knownLengths.contains(length) || knownLengths.contains(length + 1)
    else { return [] }
    var candidates = Set(byDeletion[id] ?? [])
    for deleted in Self.deletions(of: id) {
      candidates.formUnion(byDeletion[deleted] ?? [])
      if known.contains(deleted) { candidates.insert(deleted) }
    }
    return candidates.filter { isOneEditAway($0, id) }.sorted()
  }

  private static func unpadded(_ id: String) -> Substring { id.drop(while: { $0 == "0" }) }

  /// `id` with each of its Unicode scalars left out in turn.
  private static func deletions(of id: String) -> [String] {
    // ASCII, nearly always: a byte is a scalar.
    let bytes = Array(id.utf8)
    if bytes.allSatisfy({ $0 < 0x80 }) {
      return bytes.indices.map { index in
        String(unsafeUninitializedCapacity: max(bytes.count - 1, 0)) { buffer in
          _ = buffer.initialize(from: bytes[..<index])
          _ = UnsafeMutableBufferPointer(rebasing: buffer[index...]).initialize(from: bytes[(index + 1)...])
          return bytes.count - 1
        }
      }
    }
    let scalars = Array(id.unicodeScalars)
    return scalars.indices.map { index in
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[..<index])
      view.append(contentsOf: scalars[(index + 1)...])
      return String(view)
    }
  }
}
