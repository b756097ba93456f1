import SyncModel

/// Values replaced while an export is read: single rows by line, and
/// building IDs for all rows. Applied after the mapping, before validation,
/// so every check sees the decided value.
public struct ValueOverrides: Sendable, Equatable {
  public var byLine: [Int: [ExportColumn: String]]
  public var buildingRemaps: [String: String]
  /// Per column, lowercased value → value (vocabulary decisions).
  public var valueMaps: [ExportColumn: [String: String]]
  /// Lines the reviewer excluded: their custom_id makes no duplicate
  /// (E030), so excluding every other row of a duplicate clears the one
  /// left. Values are not changed (`isEmpty` does not count these).
  public var excludedLines: Set<Int>

  public init(
    byLine: [Int: [ExportColumn: String]] = [:], buildingRemaps: [String: String] = [:],
    valueMaps: [ExportColumn: [String: String]] = [:], excludedLines: Set<Int> = []
  ) {
    self.byLine = byLine
    self.buildingRemaps = buildingRemaps
    self.valueMaps = valueMaps
    self.excludedLines = excludedLines
  }

  /// No value is overridden (excluded lines change no value).
  public var isEmpty: Bool { byLine.isEmpty && buildingRemaps.isEmpty && valueMaps.isEmpty }
}
