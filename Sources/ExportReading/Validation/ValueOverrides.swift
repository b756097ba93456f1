import SyncModel

/// Values replaced while an export is read: single rows by line, and
/// building IDs for all rows. Applied after the mapping, before validation,
/// so every check sees the decided value.
public struct ValueOverrides: Sendable, Equatable {
  public var byLine: [Int: [ExportColumn: String]]
  public var buildingRemaps: [String: String]
  /// Per column, lowercased value → value (vocabulary decisions).
  public var valueMaps: [ExportColumn: [String: String]]

  public init(
    byLine: [Int: [ExportColumn: String]] = [:], buildingRemaps: [String: String] = [:],
    valueMaps: [ExportColumn: [String: String]] = [:]
  ) {
    self.byLine = byLine
    self.buildingRemaps = buildingRemaps
    self.valueMaps = valueMaps
  }

  public var isEmpty: Bool { byLine.isEmpty && buildingRemaps.isEmpty && valueMaps.isEmpty }
}
