import ExportReading
import SyncDirectory
import SyncModel

/// A reviewer's decision about the plan (SPEC §6). Decisions are kept in
/// order in a review session; undo removes the last one.
public enum Decision: Sendable, Equatable, Codable {
  /// Leave the row out of this run (its account is not touched, and it
  /// still counts as present for disable-missing).
  case exclude(line: Int)
  case include(line: Int)
  /// Exclude many rows at once (a school, an error code, a category).
  case excludeLines([Int], reason: String)
  case editCustomID(line: Int, customID: String)
  case changeBuildingID(line: Int, buildingID: String)
  /// Every row with building ID `from` gets `to` (a mapping rule in effect).
  case remapBuildingID(from: String, to: String)
  /// The row's custom_id goes to this unmanaged account instead of a new one.
  case assignID(line: Int, accountID: Int64)
  /// An organization without an external ID gets one.
  case setOrganizationExternalID(organizationID: Int64, externalID: String)
  /// A value no translation covers (grade `TK`) is read as another (`K`) in
  /// every row: a mapping rule, which can be saved into a mapping file.
  case mapValue(column: ExportColumn, from: String, to: String)
  /// The email the mapping's generate rule proposes for the row is accepted
  /// (W054): it is applied with the plan.
  case acceptGeneratedEmail(line: Int)
  /// Every proposed email of the plan is accepted.
  case acceptAllGeneratedEmails

  /// A short description for lists and the undo message.
  public var summary: String {
    switch self {
    case .exclude(let line): "exclude line \(line)"
    case .include(let line): "include line \(line)"
    case .excludeLines(let lines, let reason): "exclude \(lines.count) rows (\(reason))"
    case .editCustomID(let line, let value): "line \(line): custom_id → \(value)"
    case .changeBuildingID(let line, let value): "line \(line): building ID → \(value)"
    case .remapBuildingID(let from, let to): "building ID \(from) → \(to) for all rows"
    case .assignID(let line, let account): "line \(line): assign its ID to account #\(account)"
    case .setOrganizationExternalID(let organization, let value):
      "organization #\(organization) gets external ID \(value)"
    case .mapValue(let column, let from, let to): "\(column.header) '\(from)' → \(to) for all rows"
    case .acceptGeneratedEmail(let line): "line \(line): accept the proposed email"
    case .acceptAllGeneratedEmails: "accept every proposed email"
    }
  }
}

/// The effect of a list of decisions, folded for planning.
public struct ReviewDecisions: Sendable, Equatable {
  public private(set) var decisions: [Decision] = []
  public private(set) var excludedLines: Set<Int> = []
  /// Values replaced on single rows, by line.
  public private(set) var rowOverrides: [Int: [ExportColumn: String]] = [:]
  public private(set) var buildingRemaps: [String: String] = [:]
  public private(set) var assignments: [Int: Int64] = [:]
  public private(set) var organizationExternalIDs: [Int64: String] = [:]
  /// Values read as others in every row, by column (keys lowercased).
  public private(set) var valueMaps: [ExportColumn: [String: String]] = [:]
  /// Lines whose proposed email is accepted, or all of them.
  public private(set) var acceptedEmailLines: Set<Int> = []
  public private(set) var acceptsAllGeneratedEmails = false

  public init(_ decisions: [Decision] = []) {
    for decision in decisions { apply(decision) }
  }

  public var isEmpty: Bool { decisions.isEmpty }

  public mutating func apply(_ decision: Decision) {
    decisions.append(decision)
    switch decision {
    case .exclude(let line): excludedLines.insert(line)
    case .include(let line): excludedLines.remove(line)
    case .excludeLines(let lines, _): excludedLines.formUnion(lines)
    case .editCustomID(let line, let value): rowOverrides[line, default: [:]][.customID] = value
    case .changeBuildingID(let line, let value): rowOverrides[line, default: [:]][.schoolExternalID] = value
    case .remapBuildingID(let from, let to): buildingRemaps[from] = to
    case .assignID(let line, let account): assignments[line] = account
    case .setOrganizationExternalID(let organization, let value): organizationExternalIDs[organization] = value
    case .mapValue(let column, let from, let to): valueMaps[column, default: [:]][from.lowercased()] = to
    case .acceptGeneratedEmail(let line): acceptedEmailLines.insert(line)
    case .acceptAllGeneratedEmails: acceptsAllGeneratedEmails = true
    }
  }

  /// Whether the proposed email of the row at `line` is accepted.
  public func acceptsGeneratedEmail(line: Int) -> Bool {
    acceptsAllGeneratedEmails || acceptedEmailLines.contains(line)
  }

  /// Removes the last decision; returns it.
  @discardableResult
  public mutating func undo() -> Decision? {
    guard let last = decisions.last else { return nil }
    self = ReviewDecisions(Array(decisions.dropLast()))
    return last
  }

  /// Removes the last decision, an exclude or include, knowing whether its
  /// line was excluded before it: the others are not folded again.
  package mutating func undoLastExclusion(wasExcluded: Bool) {
    switch decisions.popLast() {
    case .exclude(let line), .include(let line):
      if wasExcluded { excludedLines.insert(line) } else { excludedLines.remove(line) }
    default: preconditionFailure("the last decision is no exclude or include")
    }
  }

  /// The value overrides validation applies while reading.
  var valueOverrides: ValueOverrides {
    ValueOverrides(
      byLine: rowOverrides, buildingRemaps: buildingRemaps, valueMaps: valueMaps, excludedLines: excludedLines)
  }
}
