import SyncEngine

/// `t`: the selected person's account, whose runs the timeline lists.
extension ReviewLoop {
  var selectedAccountID: Int64? { Self.accountID(of: state.selectedItem, in: model) }

  /// The account a row stands for: the one its change touches, else the
  /// one holding its custom_id (an unchanged row); an absent account is
  /// itself. Nil for a new person.
  static func accountID(of item: ReviewItem?, in model: ReviewModel) -> Int64? {
    let plan = model.livePlan
    switch item {
    case .row(let row):
      if let accountID = plan.change(row: row)?.accountID ?? plan.heldBack(row: row)?.would.accountID {
        return accountID
      }
      let customID = plan.effectiveValue(row: row, column: .customID)
      guard !customID.isEmpty else { return nil }
      return plan.directory.account(customID: customID).map { plan.directory.accountIDs[$0] }
    case .missingAccount(let account):
      return plan.directory.accountIDs[account]
    case nil:
      return nil
    }
  }
}
