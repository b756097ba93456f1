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
package struct VocabularySet: Sendable {
  package let values: [String]
  @usableFromInline let bytes: [[UInt8]]

  init(_ values: [String]) {
    self.values = values
    self.bytes = values.map { Array($0.utf8) }
  }

  @inlinable
  package func match(_ value: UnsafeBufferPointer<UInt8>) -> VocabularyMatch {
    var caseInsensitive: Int?
    for index in bytes.indices {
      let candidate = bytes[index]
      guard candidate.count == value.count else { continue }
      var exact = true
      var folded = true
      candidate.withUnsafeBufferPointer { candidate in
        for offset in 0..<candidate.count where candidate[offset] != value[offset] {
          exact = false
          if asciiLowercase(candidate[offset]) != asciiLowercase(value[offset]) {
            folded = false
            break
          }
        }
      }
      if exact { return .exact(index) }
      if folded && caseInsensitive == nil { caseInsensitive = index }
    }
    return caseInsensitive.map { .caseInsensitive($0) } ?? .none
  }
}

@inlinable @inline(__always)
package func asciiLowercase(_ byte: UInt8) -> UInt8 {
  byte &- 0x41 < 26 ? byte | 0x20 : byte
}
