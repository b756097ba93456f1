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
  /// The one value an exact match can be, by `exactSlot` of the raw value
  /// (-1: none, -2: several, look at each): the common, exact, value is
  /// found without walking the set (sixteen grades).
  @usableFromInline let exactSlots: [Int8]

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
    var slots = [Int8](repeating: -1, count: 64)
    for (index, candidate) in bytes.enumerated() {
      let slot = Self.exactSlot(count: candidate.count, first: candidate[0], last: candidate[candidate.count - 1])
      slots[slot] = slots[slot] == -1 ? Int8(index) : -2
    }
    exactSlots = slots
  }

  /// Where a value of this length, first and last byte is looked up in
  /// `exactSlots`.
  @inlinable @inline(__always)
  static func exactSlot(count: Int, first: UInt8, last: UInt8) -> Int {
    (count &* 7 &+ Int(first) &* 3 &+ Int(last)) & 63
  }

  /// The bytes of `value` (16 at most) packed little-endian, ASCII letters
  /// lowercased when `folding`; zero past the end.
  @inlinable @inline(__always)
  static func pack(_ value: UnsafeBufferPointer<UInt8>, folding: Bool) -> (UInt64, UInt64) {
    guard let base = value.baseAddress else { return (0, 0) }
    let raw = UnsafeRawPointer(base)
    let count = min(value.count, 16)
    var low: UInt64 = 0
    var high: UInt64 = 0
    // Loads that stay within the value, overlapping where it is not a
    // whole number of them (the overlapping bytes land on themselves).
    if count >= 8 {
      low = raw.loadUnaligned(as: UInt64.self)
      if count > 8 {
        high = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) &>> UInt64((16 - count) &* 8)
      }
    } else if count >= 4 {
      low = UInt64(raw.loadUnaligned(as: UInt32.self))
      low |= UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) &<< UInt64((count - 4) &* 8)
    } else {
      for offset in 0..<count { low |= UInt64(base[offset]) &<< UInt64(offset &* 8) }
    }
    return folding ? (KeyHash.lowercasedASCII(low), KeyHash.lowercasedASCII(high)) : (low, high)
  }

  @inlinable
  package func match(_ value: UnsafeBufferPointer<UInt8>) -> VocabularyMatch {
    let count = value.count
    guard let base = value.baseAddress, count > 0, count <= 16 else { return .none }
    let words = Self.pack(value, folding: false)
    let slot = Int(exactSlots[Self.exactSlot(count: count, first: base[0], last: base[count - 1])])
    if slot >= 0, packed[slot].count == count, packed[slot].raw == words { return .exact(slot) }
    // Not the exact value of its slot: some case differs, or it is none.
    // (No two values are equal once folded: the first match is the only.)
    let folded = (KeyHash.lowercasedASCII(words.0), KeyHash.lowercasedASCII(words.1))
    for index in packed.indices where packed[index].count == count {
      let candidate = packed[index]
      if candidate.raw == words { return .exact(index) }
      if candidate.folded == folded { return .caseInsensitive(index) }
    }
    return .none
  }
}

@inlinable @inline(__always)
package func asciiLowercase(_ byte: UInt8) -> UInt8 {
  byte &- 0x41 < 26 ? byte | 0x20 : byte
}
