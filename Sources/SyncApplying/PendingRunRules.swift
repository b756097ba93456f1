import Foundation
import SyncDirectory
import SyncModel
import SyncPlanning

/// What held a scheduled run, as kept with it (the record's `holds`): the
/// thresholds it exceeded and by how much, and the ID changes no person
/// accepted.
public struct PendingRunHolds: Codable, Sendable, Equatable {
  public var thresholds: [ThresholdHold]
  /// ID changes not accepted (0: none held the run).
  public var idChanges: Int

  enum CodingKeys: String, CodingKey {
    case thresholds
    case idChanges = "id_changes"
  }

  public init(_ plan: Plan) {
    thresholds = plan.isHeld ? plan.holds : []
    idChanges = plan.holdsIDChanges ? plan.summary.idChange : 0
  }

  /// The holds as a record keeps them; empty holds when the text is not one.
  public init(recorded text: String) {
    self =
      (try? JSONDecoder().decode(PendingRunHolds.self, from: Data(text.utf8)))
      ?? PendingRunHolds(thresholds: [], idChanges: 0)
  }

  init(thresholds: [ThresholdHold], idChanges: Int) {
    self.thresholds = thresholds
    self.idChanges = idChanges
  }

  var recorded: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// One line per hold, as people read them.
  public var messages: [String] {
    thresholds.map(\.message)
      + (idChanges > 0 ? ["\(idChanges) ID change\(idChanges == 1 ? "" : "s") no person accepted"] : [])
  }
}

/// Why a held run cannot be approved or rejected (nothing was written).
public enum PendingRunRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  case notFound(Int64)
  /// Approved, rejected or superseded already.
  case alreadyDecided(PendingRunRecord)
  /// Approving and rejecting need a reason: they are a person's decision.
  case noReason

  public var description: String {
    switch self {
    case .notFound(let id): "there is no pending run \(id); see sis-sync pending"
    case .alreadyDecided(let record):
      switch record.status {
      case .superseded:
        "pending run \(record.id) was superseded by pending run \(record.supersededBy.map(String.init) ?? "?")"
          + " (a newer held run of the same source)"
      case .approved:
        "pending run \(record.id) was approved already by \(record.decidedBy ?? "?") at \(record.decidedAt ?? "?")"
          + (record.appliedRun.map { " (run \($0))" } ?? "")
      case .rejected:
        "pending run \(record.id) was rejected already by \(record.decidedBy ?? "?") at \(record.decidedAt ?? "?")"
      case .pending: "pending run \(record.id) is pending"
      }
    case .noReason: "a reason is required (--reason TEXT): approving or rejecting a held run is a person's decision"
    }
  }
}

/// A held run as `holdForReview` kept it: its id and the older pending
/// runs of the same source it superseded.
public struct HeldRun: Sendable, Equatable {
  public let id: Int64
  public let superseded: [Int64]
}

extension DirectoryStore {
  /// Keeps a held scheduled run for a person: its plan, export and mapping,
  /// and what held it. Older pending runs of the same source are marked
  /// superseded by it (kept for history). The directory's state does not
  /// move: the plan stays fresh until the directory itself changes.
  public func holdForReview(_ plan: Plan, content: PendingRunContent) throws -> HeldRun {
    try write { directory in
      let record = PendingRunRecord(
        heldAt: RunClock.now(), heldBy: RunClock.user, host: RunClock.host, source: plan.options.sources.source,
        exportName: plan.exportName, exportSHA256: plan.exportSHA256, mappingOrigin: plan.mappingOrigin,
        directoryToken: plan.directoryToken, holds: PendingRunHolds(plan).recorded)
      let id = try directory.insertPendingRun(record, content: content)
      var superseded: [Int64] = []
      for var older in try directory.pendingRuns()
      where older.id != id && older.status == .pending && older.source == record.source {
        older.status = .superseded
        older.supersededBy = id
        try directory.updatePendingRun(older)
        superseded.append(older.id)
      }
      return HeldRun(id: id, superseded: superseded.sorted())
    }
  }

  /// Every held run kept, whatever its status, newest first.
  public func pendingRuns() throws(DirectoryError) -> [PendingRunRecord] { try reading { try $0.pendingRuns() } }

  /// A held run and its content; nil when there is no such run.
  public func pendingRun(id: Int64) throws -> (PendingRunRecord, PendingRunContent)? {
    try read { directory in
      guard let record = try directory.pendingRuns().first(where: { $0.id == id }),
        let content = try directory.pendingRunContent(id: id)
      else { return nil }
      return (record, content)
    }
  }

  /// The saved plan of a held run, as `apply` would read it from a file.
  public func pendingPlan(id: Int64) throws -> Plan {
    guard let (_, content) = try pendingRun(id: id) else { throw PendingRunRefusal.notFound(id) }
    return try PlanFile.parse(content.plan, path: "pending run \(id)")
  }

  /// Approves a held run: applies `plan` (by default its saved plan, the
  /// holds accepted: a person decided) and marks the run approved, linked
  /// to the run it was applied as, in one transaction. A stale plan is
  /// refused like any (`ApplyRefusal.stale`) and the run stays pending.
  public func approvePendingRun(id: Int64, reason: String, plan reviewed: Plan? = nil) throws -> ApplyOutcome {
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw PendingRunRefusal.noReason }
    var plan = try reviewed ?? pendingPlan(id: id)
    if reviewed == nil {
      plan.options.overrideThresholds = true
      plan.options.acceptIDChanges = true
    }
    return try apply(plan) { directory, applying in
      var record = try PendingRunRules.undecided(id, in: directory)
      let outcome = try applying()
      record.status = .approved
      record.decidedAt = RunClock.now()
      record.decidedBy = RunClock.user
      record.reason = reason
      if case .applied(let run) = outcome { record.appliedRun = run.id }
      try directory.updatePendingRun(record)
      return outcome
    }
  }

  /// Rejects a held run: nothing is applied; the run is kept with who,
  /// when and why.
  public func rejectPendingRun(id: Int64, reason: String) throws -> PendingRunRecord {
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw PendingRunRefusal.noReason }
    do {
      return try write { directory in
        var record = try PendingRunRules.undecided(id, in: directory)
        record.status = .rejected
        record.decidedAt = RunClock.now()
        record.decidedBy = RunClock.user
        record.reason = reason
        try directory.updatePendingRun(record)
        return record
      }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    }
  }
}

enum PendingRunRules {
  /// The record of a held run still waiting for a person, read inside the
  /// transaction that decides it (so two admins cannot both decide it).
  static func undecided(_ id: Int64, in directory: any DirectoryReading) throws -> PendingRunRecord {
    guard let record = try directory.pendingRuns().first(where: { $0.id == id }) else {
      throw PendingRunRefusal.notFound(id)
    }
    guard record.status == .pending else { throw PendingRunRefusal.alreadyDecided(record) }
    return record
  }
}
