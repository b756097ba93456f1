import ExportReading
import SyncDirectory
import SyncModel

/// SPEC §5's table for one valid, included row: what its account needs.
/// Shared by planning from a finished export table and planning while the
/// export is read; values come by column, as bytes. (A class: it is called
/// once per row, and a struct holding collections would be copied, with
/// their reference counts, every time.)
final class RowDecider {
  let directory: DirectorySnapshot
  let accountRows: UnsafeRows
  let decisions: ReviewDecisions
  /// 1-based position of the email column in the file, for findings.
  let emailField: Int?
  let protections: ProtectionIndex
  let localFields: LocalFieldIndex
  /// The run's source: a row naming another source's account is not applied.
  let sources: PlanSources
  private let hasOrganizationDecisions: Bool

  init(
    directory: DirectorySnapshot, accountRows: UnsafeRows, decisions: ReviewDecisions, emailField: Int?,
    protections: ProtectionIndex = ProtectionIndex(), localFields: LocalFieldIndex = LocalFieldIndex(),
    sources: PlanSources = .none
  ) {
    self.directory = directory
    self.protections = protections
    self.localFields = localFields
    self.sources = sources
    self.accountRows = accountRows
    self.decisions = decisions
    self.emailField = emailField
    self.hasOrganizationDecisions = !decisions.organizationExternalIDs.isEmpty
  }

  enum Outcome {
    case unchanged
    /// Disabled in the export, no account: nothing to do.
    case skipped
    case change(PlannedChange)
    /// The email belongs to another managed account, `owner`. `newID`: the
    /// row's values, when it names no account (it may be an absent
    /// account's ID change).
    case conflict(Finding, newID: AccountValues?, owner: Int)
    /// The account is protected: the change it would get is not made.
    case heldBack(HeldBackChange)
    /// Another source owns the account, or what the row would create
    /// (E065, E066): the row is not applied.
    case otherSource(Finding)
    /// The account differs from the row only in its local fields: it is
    /// left unchanged, and the plan lists what was kept.
    case keptLocal(KeptLocalFields)
  }

  /// The row's outcome, and a leading-zeros warning when one applies.
  func decide(
    line: Int, account: Int?, organization: Int, _ value: (ExportColumn) -> UnsafeBufferPointer<UInt8>
  ) -> (Outcome, Finding?) {
    let organizationID = directory.organizations[organization].id
    // Checked before anything else, unchanged rows too: a row naming
    // another source's account is that source's person, never this one's.
    if sources.isActive, let owned = otherSourceFinding(line: line, account: account, value) {
      return (.otherSource(owned), nil)
    }
    // Emails are unique in the directory: when the row keeps its account's
    // email, the account is the email's owner and no lookup is needed.
    let emailOwner =
      account.flatMap { bytesEqual(value(.email), accountRows.bytes($0, .email)) ? $0 : nil }
      ?? directory.account(email: value(.email), rows: accountRows)
    // Most rows of a routine sync are unchanged: compare bytes, make no strings.
    if let account, emailOwner == nil || emailOwner == account, !hasDecidedReference(account),
      ExportColumn.every.allSatisfy({ bytesEqual(value($0), accountRows.bytes(account, $0)) })
    {
      return (.unchanged, nil)
    }
    let exported = AccountValues(bytes: value)
    func change(_ action: ChangeAction, _ target: Int?) -> Outcome {
      var change = PlannedChange(
        action: action, customID: exported[.customID], line: line, accountID: target.map { directory.accountIDs[$0] },
        organizationID: organizationID, before: target.map { accountValues($0) }, after: exported)
      // An existing account keeps its local fields (a create has none).
      if let target, let before = change.before, !localFields.isEmpty {
        change.keptLocal = localFields.keep(target, before: before, after: &change.after)
      }
      // A protected account gets no change of any kind (update, disable,
      // reactivation, ID): what it would have got is listed as held back.
      if let target, let protection = protections.account(target) {
        return .heldBack(HeldBackChange(would: change, protection: protection))
      }
      return .change(change)
    }
    guard let account else {
      if let assigned = decisions.assignments[line], let target = directory.accountIDs.firstIndex(of: assigned),
        !directory.isManaged(account: target)
      {
        return (change(.assignID, target), nil)
      }
      if let owner = emailOwner {
        return directory.isManaged(account: owner)
          ? (conflict(line, exported, owner, newID: true), nil) : (change(.assignID, owner), nil)
      }
      if exported[.status] == "Disabled" { return (.skipped, nil) }
      return (change(.create, nil), leadingZeros(line: line, customID: value(.customID)))
    }
    let local = localFields.isEmpty ? [] : localFields.columns(account)
    // A local email is not written: another account holding the row's
    // email is no conflict.
    if let owner = emailOwner, owner != account, !local.contains(.email) {
      return (conflict(line, exported, owner), nil)
    }
    let before = accountValues(account)
    var after = exported
    let kept = local.isEmpty ? [] : localFields.keep(account, before: before, after: &after)
    if before == after {
      guard !kept.isEmpty else { return (.unchanged, nil) }
      return (
        .keptLocal(
          KeptLocalFields(
            line: line, accountID: directory.accountIDs[account], customID: before[.customID], values: before,
            fields: kept)), nil
      )
    }
    let action: ChangeAction =
      switch (before[.status], after[.status]) {
      case ("Active", "Disabled"): .disable
      case ("Disabled", "Active"): .reactivate
      default: .update
      }
    return (change(action, account), nil)
  }

  /// E065 when another source owns the row's account; E066 when the row
  /// names none and would create (or give an ID to) an account another
  /// source owns. A Disabled row naming no account does nothing: no finding.
  private func otherSourceFinding(line: Int, account: Int?, _ value: (ExportColumn) -> UnsafeBufferPointer<UInt8>)
    -> Finding?
  {
    let customID = String(decoding: value(.customID), as: UTF8.self)
    if let account {
      guard let owner = sources.otherOwner(ofAccount: account, in: directory) else { return nil }
      return sources.accountOfOtherSource(line: line, customID: customID, owner: owner)
    }
    let userType = String(decoding: value(.userType), as: UTF8.self)
    guard let (owner, byCustomID) = sources.otherOwner(ofNewCustomID: customID, userType: userType),
      decisions.assignments[line] != nil || !value(.status).elementsEqual("Disabled".utf8)
    else { return nil }
    return sources.newAccountOfOtherSource(
      line: line, customID: customID, userType: userType, owner: owner, byCustomID: byCustomID)
  }

  func accountValues(_ account: Int) -> AccountValues {
    PlanAssembly.accountValues(account, directory, decisions)
  }

  private func hasDecidedReference(_ account: Int) -> Bool {
    hasOrganizationDecisions
      && decisions.organizationExternalIDs[directory.organization(ofAccount: account).id] != nil
  }

  private func conflict(_ line: Int, _ after: AccountValues, _ owner: Int, newID: Bool = false) -> Outcome {
    let ownerID = directory.accounts.value(row: owner, column: .customID)
    let rowID = after[.customID]
    // 4512 in the export, 004512 in the directory: a spreadsheet ate the zeros.
    let zerosLost =
      !rowID.isEmpty && rowID != ownerID && rowID.allSatisfy(\.isASCIIDigit)
      && ownerID.drop { $0 == "0" } == rowID.drop { $0 == "0" }
    return .conflict(
      Finding(
        code: .emailConflict, line: line, column: ExportColumn.email.header, field: emailField, value: after[.email],
        message: "'\(after[.email])' belongs to " + Self.describe(owner, ownerID: ownerID, in: directory),
        suggestion: zerosLost
          ? "custom_id \(rowID) is \(ownerID) without its leading zeros: use '\(ownerID)'"
          : "correct the email or the custom_id; the other account is not changed",
        suggestedValue: zerosLost ? ownerID : nil), newID: newID ? after : nil, owner: owner)
  }

  /// The account that holds an email: by custom_id, or, for an account
  /// sis-sync does not manage (no custom_id), by its name and number.
  static func describe(_ account: Int, ownerID: String, in directory: DirectorySnapshot) -> String {
    guard ownerID.isEmpty else { return "the account with custom_id \(ownerID)" }
    let name = [ExportColumn.firstName, .lastName].map { directory.accounts.value(row: account, column: $0) }
      .filter { !$0.isEmpty }.joined(separator: " ")
    return "\(name.isEmpty ? "an account" : name) (#\(directory.accountIDs[account])), an unmanaged account"
      + " (no custom_id: sis-sync does not change it)"
  }

  /// A new custom_id that equals an existing one once leading zeros are
  /// restored (up to four, as spreadsheets strip them) or removed. Checked
  /// on bytes: every created row asks.
  private func leadingZeros(line: Int, customID: UnsafeBufferPointer<UInt8>) -> Finding? {
    guard !customID.isEmpty, customID.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
    let zeros = customID.prefix { $0 == 0x30 }.count
    let digits = customID.count - zeros
    guard digits > 0 else { return nil }
    // Four zeros then the significant digits: each candidate is a suffix.
    let match = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digits + 4) { buffer -> Int? in
      for index in 0..<4 { buffer[index] = 0x30 }
      for index in 0..<digits { buffer[4 + index] = customID[zeros + index] }
      func candidate(_ added: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress! + (4 - added), count: digits + added)
      }
      // Each lookup waits on memory: asked for together, the waits overlap
      // (a create's four lookups were 1.5% of a warm plan's samples).
      for added in 0...4 where added != zeros { directory.prefetchAccount(customID: candidate(added)) }
      for added in 0...4 where added != zeros {
        if let account = directory.account(customID: candidate(added), rows: accountRows) { return account }
      }
      return nil
    }
    guard let match else { return nil }
    let value = String(decoding: customID, as: UTF8.self)
    let existing = String(decoding: accountRows.bytes(match, .customID), as: UTF8.self)
    return Finding(
      code: .leadingZeros, line: line, column: ExportColumn.customID.header, value: value,
      message: "custom_id \(value) is new, but account \(existing) exists",
      suggestion: "did you mean '\(existing)'? (leading zeros differ)", suggestedValue: existing)
  }
}
