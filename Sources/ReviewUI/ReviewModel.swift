import Foundation
import SyncEngine

/// One entry of a category's list: an export row, or (in Disables) an
/// account of the directory that the export no longer names.
public enum ReviewItem: Hashable, Sendable {
  case row(Int)
  case missingAccount(Int)

  /// Packed for lists of a million: rows as themselves, accounts negative.
  init(packed: Int32) { self = packed >= 0 ? .row(Int(packed)) : .missingAccount(Int(-packed - 1)) }
  var packed: Int32 {
    switch self {
    case .row(let row): Int32(row)
    case .missingAccount(let account): Int32(-account - 1)
    }
  }
}

/// The review's data: the engine's live plan, and each category's items
/// as index lists kept up to date decision by decision, so that a key
/// press costs the same at a hundred rows and at a million.
public final class ReviewModel {
  /// Replaced only when the plan is rebuilt against a changed directory.
  public private(set) var livePlan: LivePlan
  public let exportPath: String
  /// Where the directory is (a store's own description), for the header.
  public let directoryLocation: String
  /// The mapping the export was read with (value decisions extend it when
  /// saved as a mapping file).
  public let mapping: ColumnMapping
  /// The SIS's organizations file (`review --organizations`): `O` matches
  /// schools by it.
  public var organizationsFile: OrganizationsFile?
  /// The `--directory` option as given, so printed commands name it.
  public var directoryOption: String?
  /// Items per category, rows in file order (absent accounts after them).
  private var lists: [[Int32]]
  private var categoryOfRow: [UInt8]
  /// `categoryOfRow` of a row no category lists (yet).
  private static let notListed = UInt8.max
  private var missingCount = 0
  private var heldBackMissingCount = 0
  /// The live plan's `acrossRowsVersion` the absent accounts were listed at.
  private var missingListedAt: Int?
  /// Moves on with every decision and undo (caches compare it).
  public private(set) var version = 0
  /// Where each decision is written as it is made (nil: nowhere, as in
  /// most tests).
  public var journal: DecisionJournal?
  /// Why the journal could not be written, the last time it failed.
  public private(set) var journalProblem: String?
  /// Saved decisions that did not fit the export or directory on opening.
  public var notApplied: [NotAppliedDecision] = []
  /// The held scheduled run under review (`review --pending N`); nil for
  /// an export's review.
  public var pendingRun: Int64?
  /// Decisions a journal kept that the session file does not: offered.
  public var recovered: DecisionJournal.Recovered?
  /// While the whole export is still planned and the plan is a preview of
  /// its first rows (`ReviewPreview`): how far loading has come. Counts are
  /// then counts so far, and decisions wait. Nil once the plan is whole.
  public var planning: LoadProgress?

  public init(plan: LivePlan, exportPath: String, directoryLocation: String, mapping: ColumnMapping = .identity) {
    self.livePlan = plan
    self.exportPath = exportPath
    self.directoryLocation = directoryLocation
    self.mapping = mapping
    lists = Array(repeating: [], count: ReviewCategory.allCases.count)
    categoryOfRow = []
    rebuild()
  }

  /// How the export was read, for the header: the preset (`oneroster-1.1
  /// (auto)` when `--mapping auto` chose it) or the mapping file's name;
  /// nil without a mapping.
  public var mappingLabel: String? {
    guard !mapping.isIdentity else { return nil }
    if mapping.origin.hasPrefix("preset ") { return String(mapping.origin.dropFirst("preset ".count)) }
    return (mapping.origin as NSString).lastPathComponent
  }

  public func items(_ category: ReviewCategory) -> [Int32] { lists[category.rawValue] }
  public func count(_ category: ReviewCategory) -> Int { lists[category.rawValue].count }
  /// Where the row is listed; nil while the directory is read and the row
  /// has no error (its outcome is not known yet).
  public func category(ofRow row: Int) -> ReviewCategory? { ReviewCategory(rawValue: Int(categoryOfRow[row])) }
  public var decisions: [Decision] { livePlan.decisions.decisions }
  public var disablesOfAbsentAccounts: Int { missingCount }

  /// Applies a decision through the engine and moves the rows it touched.
  public func apply(_ decision: Decision) {
    moveTouched(livePlan.apply(decision))
    version += 1
    record { journal throws(FileAccessError) in
      try journal.append(
        AnchoredDecision(decision: decision, anchor: livePlan.anchor(for: decision)),
        earlier: { Array(livePlan.anchoredDecisions.dropLast()) })
    }
  }

  /// Moves the rows a decision or undo re-planned between the lists (all
  /// of them made again when many were, or when the engine cannot say which).
  private func moveTouched(_ touched: [Int]?) {
    if let touched, touched.count <= 256 {
      for row in touched { move(row) }
      refreshMissing()
    } else {
      rebuild()
    }
  }

  /// The plan rebuilt against the directory as it is now (decisions
  /// replayed by the loader): every list is made again.
  public func replacePlan(_ plan: LivePlan) {
    livePlan = plan
    rebuild()
    version += 1
  }

  /// Takes back the last decision; nil when there is none.
  public func undo() -> Decision? {
    guard let (undone, touched) = livePlan.undoLast() else { return nil }
    moveTouched(touched)
    version += 1
    record { journal throws(FileAccessError) in try journal.appendUndo(earlier: { livePlan.anchoredDecisions }) }
    return undone
  }

  /// Starts over with `decisions` (a recovered journal's), journaled afresh.
  public func replaceDecisions(with decisions: [Decision]) {
    livePlan.replaceDecisions(with: decisions)
    rebuild()
    version += 1
    record { journal throws(FileAccessError) in try journal.start(with: livePlan.anchoredDecisions) }
  }

  private func record(_ write: (DecisionJournal) throws(FileAccessError) -> Void) {
    guard let journal else { return }
    do {
      try write(journal)
      journalProblem = nil
    } catch {
      journalProblem = "\(error)"
    }
  }

  // MARK: - Keeping the lists

  private func rebuild() {
    var fresh = Array(repeating: [Int32](), count: ReviewCategory.allCases.count)
    var categories = [UInt8](repeating: 0, count: livePlan.rowCount)
    for row in 0..<livePlan.rowCount {
      let category = ReviewCategory(livePlan.outcome(row: row))
      // Before the directory is read only errors are known: the other rows
      // are listed nowhere rather than somewhere they may not belong.
      if livePlan.awaitsDirectory, category != .errors {
        categories[row] = Self.notListed
        continue
      }
      categories[row] = UInt8(category.rawValue)
      fresh[category.rawValue].append(Int32(row))
    }
    lists = fresh
    categoryOfRow = categories
    missingCount = 0
    heldBackMissingCount = 0
    missingListedAt = nil
    refreshMissing()
  }

  private func move(_ row: Int) {
    let old = Int(categoryOfRow[row])
    let new = ReviewCategory(livePlan.outcome(row: row)).rawValue
    guard old != new else { return }
    if let index = Self.position(of: Int32(row), in: lists[old]) { lists[old].remove(at: index) }
    let insertion = Self.insertionPoint(of: Int32(row), in: lists[new])
    lists[new].insert(Int32(row), at: insertion)
    categoryOfRow[row] = UInt8(new)
  }

  /// Absent accounts follow the rows of Disables; which ones depends on
  /// which accounts the rows name, so they are listed again.
  private func refreshMissing() {
    guard missingListedAt != livePlan.acrossRowsVersion else { return }
    missingListedAt = livePlan.acrossRowsVersion
    let disables = ReviewCategory.disables.rawValue
    lists[disables].removeLast(missingCount)
    let missing = livePlan.missingAccountDisables()
    lists[disables] += missing.map { ReviewItem.missingAccount($0).packed }
    missingCount = missing.count
    // Absent accounts protection keeps from disable-missing follow the
    // rows of Held back.
    let heldBack = ReviewCategory.heldBack.rawValue
    lists[heldBack].removeLast(heldBackMissingCount)
    let held = livePlan.heldBackAbsentAccountIndexes
    lists[heldBack] += held.map { ReviewItem.missingAccount($0).packed }
    heldBackMissingCount = held.count
    // Accounts waiting out the grace: accounts only, no rows.
    let directory = livePlan.directory
    lists[ReviewCategory.pendingDisables.rawValue] = livePlan.pendingDisables.compactMap {
      directory.accountIndex(id: $0.accountID).map { ReviewItem.missingAccount($0).packed }
    }
  }

  /// Binary search among rows (non-negative items, ascending at the front).
  static func position(of row: Int32, in list: [Int32]) -> Int? {
    let index = insertionPoint(of: row, in: list)
    return index < list.count && list[index] == row ? index : nil
  }

  static func insertionPoint(of row: Int32, in list: [Int32]) -> Int {
    var low = 0
    var high = list.count
    while low < high {
      let middle = (low + high) / 2
      // Absent accounts (negative) sort after every row.
      if list[middle] >= 0 && list[middle] < row { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
