/// An account or organization the sync must leave alone (`sis-sync
/// protect`), as the directory stores it. One per record: protecting a
/// record again replaces its protection.
public struct ProtectionRecord: Sendable, Equatable, Hashable {
  public enum Kind: String, Sendable, CaseIterable {
    case account
    case organization
  }

  /// The row's key in the store (0 before it is stored).
  public var id: Int64
  public var kind: Kind
  /// The account's or the organization's id.
  public var targetID: Int64
  /// Why (required): shown in every plan that holds something back for it.
  public var reason: String
  /// The last day it holds (`YYYY-MM-DD`), nil for no end.
  public var until: String?
  public var createdAt: String
  public var createdBy: String

  public init(
    id: Int64 = 0, kind: Kind, targetID: Int64, reason: String, until: String?, createdAt: String, createdBy: String
  ) {
    self.id = id
    self.kind = kind
    self.targetID = targetID
    self.reason = reason
    self.until = until
    self.createdAt = createdAt
    self.createdBy = createdBy
  }

  /// Whether it still holds on `today` (`YYYY-MM-DD`): the day `until`
  /// names is the last one.
  public func holds(on today: String) -> Bool { until.map { $0 >= today } ?? true }

  /// As a change records it (`before` or `after`), and back.
  public var recorded: [String] {
    [kind.rawValue, String(targetID), reason, until ?? "", createdAt, createdBy]
  }

  public init?(recorded values: [String]) {
    guard values.count == 6, let kind = Kind(rawValue: values[0]), let target = Int64(values[1]) else { return nil }
    self.init(
      kind: kind, targetID: target, reason: values[2], until: values[3].isEmpty ? nil : values[3],
      createdAt: values[4], createdBy: values[5])
  }

  /// The same protection, whatever row holds it.
  public func sameTerms(as other: ProtectionRecord) -> Bool { recorded == other.recorded }
}
