import Foundation
import StoreKinds
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

let exportHeaderLine =
  "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"

/// A directory and exports in a scratch folder, removed afterwards.
final class SyncFixture {
  let folder: URL
  let directory: any DirectoryStore
  private let sqliteDirectory: SQLiteDirectory?

  /// `accounts` rows use the ten export columns (custom_id empty for
  /// unmanaged); organizations are `external_id,name,kind` lines.
  init(
    organizations: [String] = ["DIST,Springfield District,district", "S1,Lincoln,school", "S2,Roosevelt,school"],
    accounts: [String], store: StoreKind = .sqlite
  ) throws {
    let folder = try FixtureFolder.make("sync")
    self.folder = folder
    (directory, sqliteDirectory) = try FixtureFolder.settingUp(folder) {
      let organizationsPath = try Self.write(folder, "organizations.csv", (["external_id,name,kind"] + organizations))
      let accountsPath = try Self.write(folder, "accounts.csv", [exportHeaderLine] + accounts)
      let stores: (any DirectoryStore, SQLiteDirectory?)
      if store == .sqlite {
        let sqlite = try SQLiteDirectory(path: folder.appendingPathComponent("directory.sqlite").path, access: .create)
        stores = (sqlite, sqlite)
      } else {
        stores = (try store.makeStore(in: folder), nil)
      }
      _ = try stores.0.importCSV(organizationsPath: organizationsPath, accountsPath: accountsPath)
      return stores
    }
  }

  deinit { FixtureFolder.remove(folder, after: directory) }

  /// The SQLite file, for the tests only it has (files, locks, the cache).
  var sqlite: SQLiteDirectory {
    guard let sqliteDirectory else { preconditionFailure("an SQLite-only test on another store") }
    return sqliteDirectory
  }

  var directoryPath: String { sqlite.path }

  static func write(_ folder: URL, _ name: String, _ lines: [String]) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  func export(_ rows: [String], name: String = "export.csv") throws -> String {
    try Self.write(folder, name, [exportHeaderLine] + rows)
  }

  func plan(
    _ rows: [String], decisions: [Decision] = [], options: PlanOptions = PlanOptions()
  ) throws -> Plan {
    let path = try export(rows)
    return try PlanPipeline.run(
      PlanPipeline.Input(exportPath: path, decisions: ReviewDecisions(decisions), options: options),
      directory: directory
    ).plan
  }

  /// The directory's accounts as CSV lines, for before/after comparisons.
  func accountLines() throws -> [String] {
    try directory.exportCSV().accounts.split(separator: "\n").map(String.init)
  }
}

extension SyncFixture {
  /// The plan of `export` made both ways: from the validated table, and
  /// while the file is read (in parts), for tests that compare them.
  func planBothWays(export: String, options: PlanOptions) throws -> (fromTable: Plan, streamed: Plan) {
    let snapshot = try directory.snapshot()
    let validationOptions = ValidationOptions(
      directory: KnownOrganizations(organizationExternalIDs: snapshot.organizationExternalIDs), keepsRows: true,
      parallelThreshold: 0)
    let validation = try ExportValidator.validate(file: export, options: validationOptions)
    let fromTable = Planner.plan(validation: validation, directory: snapshot, options: options, exportSHA256: "")
    let streamed = try Planner.validateAndPlan(
      file: try RegularFile(path: export), validationOptions: validationOptions, directory: snapshot, options: options)
    return (fromTable, streamed.plan)
  }
}

extension Plan {
  func change(line: Int) -> PlannedChange? { changes.first { $0.line == line } }
  func outcome(line: Int) -> RowOutcome? {
    (0..<rowOutcomes.count).first { index in
      // Rows are in file order; line = index + 2 for these one-line rows.
      index + 2 == line
    }.map { rowOutcomes[$0] }
  }
}

extension Plan {
  /// Everything a reviewer sees of a plan, as lines: for comparing plans
  /// made in different ways.
  var comparableLines: [String] {
    let s = summary
    var lines = [
      "create \(s.create) update \(s.update) disable \(s.disable) reactivate \(s.reactivate) unchanged \(s.unchanged)"
        + " assign \(s.assignID) skipped \(s.skipped) errors \(s.rowsWithErrors) excluded \(s.excluded)"
        + " orgs \(s.organizationExternalIDs) id_change \(s.idChange) held back \(s.heldBack)",
      "held \(isHeld) scope \(managedAccountsInScope) holds \(holds.map(\.message))",
    ]
    lines += changes.map {
      "\($0.action.rawValue) \($0.line ?? 0) \($0.customID) \($0.accountID ?? 0) \($0.after.values)"
        + " \($0.before?.values ?? []) \($0.matchedBy?.rawValue ?? "")"
        + ($0.keptLocal.isEmpty ? "" : " kept \($0.keptLocal.map { "\($0.column.header)=\($0.exportValue)" })")
    }
    lines += findings.filter { $0.code != .directoryChecksSkipped }.map {
      "\($0.line ?? 0) \($0.code.id) \($0.column ?? "-") \($0.field ?? 0) \($0.message) \($0.relatedLines)/\($0.relatedCount)"
        + " \($0.suggestedValue ?? "")"
    }
    lines += heldBack.map {
      "held back \($0.would.action.rawValue) \($0.would.line ?? 0) \($0.would.customID) \($0.would.accountID ?? 0) "
        + "\($0.would.after.values) \($0.reason)"
    }
    lines += keptLocal.map {
      "kept local \($0.line) \($0.customID) \($0.accountID) \($0.values.values) "
        + "\($0.fields.map { "\($0.column.header)=\($0.exportValue)" })"
    }
    lines += rowOutcomes.map { "\($0)" }
    lines += pendingDisables.map {
      "pending \($0.accountID) \($0.customID) \($0.missingSince) \($0.disableAfter) new \($0.isNew)"
    }
    lines += clearedPendingDisables.map { "cleared \($0.record.accountID) \($0.customID) \($0.record.missingSince)" }
    if let rollover {
      lines.append(
        "rollover " + RolloverGroup.allCases.map { "\($0.rawValue) \(rollover.count($0))" }.joined(separator: " ")
          + " unexplained disable \(rollover.unexplained.disable) update \(rollover.unexplained.update)"
          + " without grades \(rollover.schoolsWithoutGrades)")
    }
    return lines
  }
}

/// A small deterministic generator (SplitMix64) for repeatable inputs.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
