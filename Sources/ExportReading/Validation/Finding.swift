import SyncModel

/// How much a finding matters.
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
  /// The row (or the file) cannot be applied as it is.
  case error
  /// Applied, but the reviewer should look.
  case warning
  /// For the record; nothing to do.
  case info

  private var rank: Int {
    switch self {
    case .error: 0
    case .warning: 1
    case .info: 2
    }
  }
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in an export: what (a stable code), where (line and
/// column), the offending value, a one-line message and, where the data
/// allows, a suggestion.
public struct Finding: Sendable, Equatable {
  public var code: FindingCode
  /// The line where the record starts (the header is line 1); nil for
  /// problems of the file as a whole.
  public var line: Int?
  /// The target column's header (e.g. `custom_id`), when one is concerned.
  public var column: String?
  /// 1-based position of the field in the file's own header, when known.
  public var field: Int?
  public var value: String?
  public var message: String
  /// What to do about it, in words.
  public var suggestion: String?
  /// A replacement value that would fix the finding, when one is known
  /// (the review screen can accept it with one key).
  public var suggestedValue: String?
  /// Other lines involved (the other occurrences of a duplicate), in file
  /// order: the first `LineList.cap` of them at most.
  public var relatedLines: [Int]
  /// How many other lines are involved in all; more than
  /// `relatedLines.count` when the list was cut.
  public var relatedCount: Int

  public init(
    code: FindingCode, line: Int?, column: String? = nil, field: Int? = nil,
    value: String? = nil, message: String, suggestion: String? = nil,
    suggestedValue: String? = nil, relatedLines: [Int] = [], relatedCount: Int? = nil
  ) {
    self.code = code
    self.line = line
    self.column = column
    self.field = field
    self.value = value
    self.message = message
    self.suggestion = suggestion
    self.suggestedValue = suggestedValue
    self.relatedLines = relatedLines
    self.relatedCount = relatedCount ?? relatedLines.count
  }

  public var severity: Severity { code.severity }

  /// Findings in reading order: by line (file-level first), then field.
  public static func readingOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
    let left = (lhs.line ?? 0, lhs.field ?? 0, lhs.code.id)
    let right = (rhs.line ?? 0, rhs.field ?? 0, rhs.code.id)
    return left < right
  }
}

extension Array where Element == Finding {
  /// Whether some finding's code passes `test`. The codes are read in
  /// place: a closure over whole findings copies each one (its strings and
  /// lists), and a million-row plan asks this of its findings many times.
  package func containsCode(where test: (FindingCode) -> Bool) -> Bool {
    withUnsafeBufferPointer { findings in findings.indices.contains { test(findings[$0].code) } }
  }

  /// How many findings' codes pass `test`, read in place as `containsCode`.
  package func countCodes(where test: (FindingCode) -> Bool) -> Int {
    withUnsafeBufferPointer { findings in
      var count = 0
      for index in findings.indices where test(findings[index].code) { count += 1 }
      return count
    }
  }

  /// Removes the findings whose code and line pass `test`, both read in
  /// place as `containsCode`; the others move forward, in order, through
  /// the buffer (`removeAll(where:)` copied each finding it handed to its
  /// test and each it moved).
  package mutating func removeAll(whereCodeAndLine test: (FindingCode, Int?) -> Bool) {
    let kept = withUnsafeMutableBufferPointer { findings in
      var kept = 0
      for index in findings.indices where !test(findings[index].code, findings[index].line) {
        if kept != index { findings.swapAt(kept, index) }
        kept += 1
      }
      return kept
    }
    removeSubrange(kept...)
  }

  /// Puts the findings in reading order: by line (file-level first), then
  /// field, else as found. Sorted by key, not by finding: comparing
  /// findings would copy their seven strings and lists each time, and a
  /// million-row export can have tens of thousands. Each finding is then
  /// moved to its place, not copied (a copy retains its strings, and the
  /// old array's release frees them one by one).
  package mutating func putInReadingOrder() {
    let order = readingOrderIndexes()
    var sorted: [Finding] = []
    sorted.reserveCapacity(count)
    withUnsafeMutableBufferPointer { findings in
      for index in order { sorted.append(findings.take(index)) }
    }
    self = sorted
  }

  private func readingOrderIndexes() -> [Int] {
    var order = indices.map { index in (line: self[index].line ?? 0, field: self[index].field ?? 0, index: index) }
    order.sort { ($0.line, $0.field, $0.index) < ($1.line, $1.field, $1.index) }
    return order.map(\.index)
  }
}

extension Finding: Vacatable {
  /// A finding that owns nothing: what `take` leaves behind in an array
  /// about to be dropped.
  @usableFromInline package static let vacated = Finding(code: .noDataRows, line: nil, message: "")
}
