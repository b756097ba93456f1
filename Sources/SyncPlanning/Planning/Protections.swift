import ExportReading
import SyncDirectory
import SyncModel

/// The protections a run plans under (`sis-sync protect`), and the day
/// their expiry is judged by: a protection whose `until` is before `today`
/// has lapsed, and the plan says so (I063).
public struct PlanProtections: Sendable, Equatable {
  public var records: [ProtectionRecord]
  /// `YYYY-MM-DD`, from the run clock.
  public var today: String

  public init(records: [ProtectionRecord], today: String) {
    self.records = records
    self.today = today
  }

  /// No protection at all (planning from options not read from a directory).
  public static let none = PlanProtections(records: [], today: "")

  public var active: [ProtectionRecord] { records.filter { $0.holds(on: today) } }
  public var expired: [ProtectionRecord] { records.filter { !$0.holds(on: today) } }
}

/// What protection held back: the change the sync would have made, and why
/// it did not.
public struct HeldBackChange: Sendable, Equatable {
  /// The change planning would have made without the protection.
  public var would: PlannedChange
  public var protection: ProtectionRecord
  /// The organization's name when its protection (not the account's) held
  /// the change back (disable-missing spares a protected school's accounts).
  public var organizationName: String?

  public init(would: PlannedChange, protection: ProtectionRecord, organizationName: String? = nil) {
    self.would = would
    self.protection = protection
    self.organizationName = organizationName
  }

  /// Why, in plain words: "protected: on leave until June" or
  /// "organization North High is protected: …".
  public var reason: String {
    (organizationName.map { "organization \($0) is protected" } ?? "protected") + ": " + protection.reason
  }
}

/// The active protections of a plan, by index into the snapshot.
struct ProtectionIndex {
  private var accounts: [Int: ProtectionRecord] = [:]
  private var organizations: [Int: ProtectionRecord] = [:]

  var isEmpty: Bool { accounts.isEmpty && organizations.isEmpty }

  init() {}

  init(_ protections: PlanProtections, directory: DirectorySnapshot) {
    for protection in protections.active {
      switch protection.kind {
      case .account:
        if let index = directory.accountIndex(id: protection.targetID) { accounts[index] = protection }
      case .organization:
        if let index = directory.organizationIndex(id: protection.targetID) { organizations[index] = protection }
      }
    }
  }

  /// The account's own protection: nothing changes it.
  func account(_ account: Int) -> ProtectionRecord? { accounts.isEmpty ? nil : accounts[account] }

  /// An organization's protection (its record is kept as it is).
  func organization(_ organization: Int) -> ProtectionRecord? {
    organizations.isEmpty ? nil : organizations[organization]
  }

  /// What keeps an absent account from disable-missing: its own protection
  /// or its organization's.
  func sparingFromDisableMissing(_ account: Int, _ change: PlannedChange, directory: DirectorySnapshot)
    -> HeldBackChange?
  {
    if let protection = self.account(account) { return HeldBackChange(would: change, protection: protection) }
    let organization = Int(directory.accountOrganizations[account])
    guard let protection = self.organization(organization) else { return nil }
    return HeldBackChange(
      would: change, protection: protection, organizationName: directory.organizations[organization].name)
  }

  /// One I063 note per lapsed protection of a record still in the directory.
  static func expiryNotes(_ protections: PlanProtections, directory: DirectorySnapshot) -> [Finding] {
    protections.expired.compactMap { protection in
      let what: String
      switch protection.kind {
      case .account:
        guard let index = directory.accountIndex(id: protection.targetID) else { return nil }
        let customID = directory.accounts.value(row: index, column: .customID)
        what = "account #\(protection.targetID)" + (customID.isEmpty ? "" : " (custom_id \(customID))")
      case .organization:
        guard let index = directory.organizationIndex(id: protection.targetID) else { return nil }
        what = "organization \(directory.organizations[index].name) (#\(protection.targetID))"
      }
      return Finding(
        code: .protectionExpired, line: nil,
        message: "protection of \(what) expired on \(protection.until ?? ""): it is planned as any other",
        suggestion: "protect it again with a later --until, or remove the protection with 'sis-sync unprotect'")
    }
  }
}
