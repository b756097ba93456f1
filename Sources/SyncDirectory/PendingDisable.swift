/// An account found missing from the export while disables wait a grace
/// (`--disable-missing-after`): recorded by the committed run that first
/// found it missing, removed by the run that finds it back or disables it.
public struct PendingDisableRecord: Sendable, Equatable {
  public let accountID: Int64
  /// When the account was first found missing (ISO 8601, UTC), from `RunClock`.
  public let missingSince: String
  /// The run that recorded it (reverting that run removes it).
  public let runID: Int64

  public init(accountID: Int64, missingSince: String, runID: Int64) {
    self.accountID = accountID
    self.missingSince = missingSince
    self.runID = runID
  }
}
