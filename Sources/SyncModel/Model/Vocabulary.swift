/// The closed value sets of SPEC §3 and their canonical spellings.
///
/// A value that matches only when case is ignored is accepted as its
/// canonical form (with a warning); anything else is an error.
public enum Vocabulary {
  public static let userTypes = ["Teacher", "Staff", "Administrator", "Student"]
  public static let statuses = ["Active", "Disabled"]
  public static let grades =
    ["Unspecified", "PreK", "K"] + (1...12).map(String.init) + ["Other"]

  /// The value set of a column, or nil for free-text columns.
  public static func values(of column: ExportColumn) -> [String]? {
    switch column {
    case .userType: userTypes
    case .status: statuses
    case .grade: grades
    default: nil
    }
  }

  package static let userTypeSet = VocabularySet(userTypes)
  package static let statusSet = VocabularySet(statuses)
  package static let gradeSet = VocabularySet(grades)

  static func set(of column: ExportColumn) -> VocabularySet? {
    switch column {
    case .userType: userTypeSet
    case .status: statusSet
    case .grade: gradeSet
    default: nil
    }
  }
}

/// How a raw value relates to a closed value set.
package enum VocabularyMatch: Equatable {
  case exact(Int)
  /// Matches canonical value `index` only when ASCII case is ignored.
  case caseInsensitive(Int)
  case none
}

/// A closed value set matched on raw bytes, so validating a million rows
/// creates no strings for the common, valid case.
///
/// Each value is packed into two words, as it is and ASCII-lowercased: a
/// raw value of a candidate's length (16 bytes at most; longer ones match
/// nothing) is packed once and compared a word at a time, instead of a
/// byte loop per candidate. No two values are equal once folded, so the
/// first folded match is the only one, exact or case-insensitive.
package struct VocabularySet: Sendable {
  package let values: [String]
  @usableFromInline let bytes: [[UInt8]]
  /// Per value: its length, and its bytes packed little-endian as they
  /// are and folded.
  @usableFromInline let packed: [(count: Int, raw: (UInt64, UInt64), folded: (UInt64, UInt64))]

  init(_ values: [String]) {
    self.values = values
    self.bytes = values.map { Array($0.utf8) }
    self.packed = bytes.map { candidate in
      precondition(candidate.count <= 16, "vocabulary values are packed into 16 bytes")
      return candidate.withUnsafeBufferPointer {
        (candidate.count, Self.pack($0, folding: false), Self.pack($0, folding: true))
      }
    }
    let distinct = Set(packed.map { "\($0.count) \($0.folded.0) \($0.folded.1)" })
    precondition(distinct.count == values.count, "vocabulary values must differ when case is ignored")
  }

  /// The bytes of `value` (16 at most) packed little-endian, ASCII letters
  /// lowercased when `folding`; zero past the end.
  @inlinable @inline(__always)
  static func pack(_ value: UnsafeBufferPointer<UInt8>, folding: Bool) -> (UInt64, UInt64) {
    var low: UInt64 = 0
    var high: UInt64 = 0
    let count = min(value.count, 16)
    for offset in 0..<min(count, 8) { low |= UInt64(value[offset]) &<< UInt64(offset &* 8) }
    if count > 8 {
      for offset in 8..<count { high |= UInt64(value[offset]) &<< UInt64((offset &- 8) &* 8) }
    }
    return folding ? (KeyHash.lowercasedASCII(low), KeyHash.lowercasedASCII(high)) : (low, high)
  }

  @inlinable
  package func match(_ value: UnsafeBufferPointer<UInt8>) -> VocabularyMatch {
    guard value.count <= 16 else { return .none }
    var raw: (UInt64, UInt64)?
    for index in packed.indices where packed[index].count == value.count {
      let words = raw ?? Self.pack(value, folding: false)
      raw = words
      let candidate = packed[index]
      if candidate.raw == words { return .exact(index) }
      let folded = (KeyHash.lowercasedASCII(words.0), KeyHash.lowercasedASCII(words.1))
      if candidate.folded == folded { return .caseInsensitive(index) }
    }
    return .none
  }
}

@inlinable @inline(__always)
package func asciiLowercase(_ byte: UInt8) -> UInt8 {
  byte &- 0x41 < 26 ? byte | 0x20 : byte
}
