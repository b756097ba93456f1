import ExportReading
import SyncModel

/// Emails proposed by the mapping's `generate` rule (W054) are applied only
/// once accepted: in review, or with `apply --accept-generated`. Until then
/// their rows are held back and the rest of the plan applies.
extension Plan {
  /// Export lines of the changes whose proposed email is not accepted.
  public var unacceptedEmailLines: [Int] {
    changes.compactMap { $0.generatedEmail == .proposed ? ($0.line ?? 0) : nil }
  }

  /// The plan with every proposed email accepted.
  public func acceptingGeneratedEmails() -> Plan {
    var plan = self
    for index in plan.changes.indices where plan.changes[index].generatedEmail == .proposed {
      plan.changes[index].generatedEmail = .accepted
    }
    return plan
  }

  /// The plan without the changes whose proposed email is not accepted
  /// (their rows are held back; the counts follow).
  public func holdingBackProposedEmails() -> Plan {
    guard changes.contains(where: { $0.generatedEmail == .proposed }) else { return self }
    var plan = self
    var kept: [PlannedChange] = []
    var newIndex: [Int32] = []
    for change in changes {
      if change.generatedEmail == .proposed {
        plan.summary.remove(change.action)
        newIndex.append(-1)
      } else {
        newIndex.append(Int32(kept.count))
        kept.append(change)
      }
    }
    plan.changes = kept
    plan.rowChanges = rowChanges.map { $0 >= 0 ? newIndex[Int($0)] : -1 }
    return plan
  }
}
