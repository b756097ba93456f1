import ExportReading
import Foundation
import SyncDirectory
import SyncModel
import SyncPlanning

/// An import that was refused, with what is wrong in which file.
public struct DirectoryImportError: Error, CustomStringConvertible {
  /// `file:line:column: message` lines (organizations file).
  public var problems: [String]
  /// The accounts file's validation, when that is what failed.
  public var accountsValidation: ValidationResult?

  /// The problems; the accounts file's findings are worded by the
  /// reporting layer (`report`).
  public var description: String {
    var lines = problems
    if let validation = accountsValidation {
      lines.append("\(validation.exportName): \(validation.rowsWithErrors) rows with errors")
    }
    return lines.joined(separator: "\n")
  }

}

/// The CSV forms of the directory (SPEC §2): organizations as
/// `external_id,name,kind`, accounts with the export's ten columns (custom_id
/// empty for unmanaged accounts; the school column holds the organization's
/// external ID, or its name when it has none). Any store can be filled from
/// them and written out as them.
public enum DirectoryCSV {
  public static let organizationsHeader = ["external_id", "name", "kind"]
  /// Accounts are written in groups of this many (the store batches them).
  static let accountsPerWrite = 1024
}

extension DirectoryStore {
  /// Brings a platform's current state into an empty directory, in one
  /// transaction, recorded as an import run.
  public func importCSV(organizationsPath: String, accountsPath: String) throws -> RunRecord {
    try importCSV(
      organizations: try DirectoryCSV.readOrganizations(path: organizationsPath), accountsPath: accountsPath)
  }

  /// The same, with the organizations already read (the command says what
  /// the import added to them).
  public func importCSV(organizations imported: ImportedOrganizations, accountsPath: String) throws -> RunRecord {
    let organizations = imported.organizations
    let known = Set(organizations.map { $0.externalID ?? $0.name })
    let validation = try PhaseTimer.measure("validating the accounts") {
      try ExportValidator.validate(
        file: accountsPath,
        options: ValidationOptions(
          directory: KnownOrganizations(organizationExternalIDs: known), keepsRows: true, customIDOptional: true))
    }
    // An accounts file with a header and no rows is a directory of
    // organizations only: fine here, unlike an export.
    let onlyEmpty =
      validation.rowCount == 0
      && validation.findings.allSatisfy {
        $0.severity != .error || $0.code == .noDataRows
      }
    guard onlyEmpty || (validation.isUsable && validation.rowsWithErrors == 0) else {
      throw DirectoryImportError(problems: [], accountsValidation: validation)
    }
    let table = validation.table ?? ExportTable()
    do {
      return try PhaseTimer.measure("writing the directory") {
        try write { directory in
          try DirectoryCSV.fill(
            directory, organizations: organizations, accounts: table, accountsPath: accountsPath, location: location)
        }
      }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    }
  }

}

extension DirectoryCSV {
  static func fill(
    _ directory: any DirectoryTransaction, organizations: [Organization], accounts table: ExportTable,
    accountsPath: String, location: String
  ) throws -> RunRecord {
    guard try directory.isEmpty() else {
      throw DirectoryError(path: location, reason: "the directory is not empty; import into a new directory file")
    }
    let generation = try directory.moveToNewState()
    var organizationIDs: [String: Int64] = [:]
    for organization in organizations {
      organizationIDs[organization.reference] = try directory.insertOrganization(organization)
    }
    try PhaseTimer.measure("inserting the accounts") {
      try directory.bulkLoadingAccounts {
        var start = 0
        while start < table.rowCount {
          let rows = start..<min(start + DirectoryCSV.accountsPerWrite, table.rowCount)
          _ = try directory.insertAccounts(
            rows.map { row in
              let values = AccountValues(values: ExportColumn.allCases.map { table.value(row: row, column: $0) })
              return StoredAccount(organizationID: organizationIDs[values[.schoolExternalID]]!, values: values)
            })
          start = rows.upperBound
        }
      }
    }
    let now = RunClock.now()
    let runID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .import, startedAt: now, finishedAt: now, user: RunClock.user, host: RunClock.host,
        exportPath: accountsPath, exportSHA256: nil, revertsRun: nil, generation: generation,
        counts: ["organizations": organizations.count, "accounts": table.rowCount]))
    return try directory.run(id: runID)!
  }

  /// The organizations of a file (any form `OrganizationsFile` reads), in
  /// the directory's terms.
  public static func readOrganizations(path: String) throws -> ImportedOrganizations {
    do {
      return ImportedOrganizations(try OrganizationsFile.read(path: path))
    } catch let error as OrganizationsFileError {
      throw DirectoryImportError(problems: error.problems)
    }
  }
}

extension DirectoryStore {
  /// The directory as its two CSV files' contents.
  public func exportCSV() throws(DirectoryError) -> (organizations: String, accounts: String) {
    let snapshot = try snapshot()
    var organizations = DirectoryCSV.organizationsHeader.joined(separator: ",") + "\n"
    for organization in snapshot.organizations {
      organizations +=
        [organization.externalID ?? "", organization.name, organization.kind.rawValue]
        .map(csvField).joined(separator: ",") + "\n"
    }
    var accounts = ExportColumn.allCases.map(\.header).joined(separator: ",") + "\n"
    for account in 0..<snapshot.accountCount {
      accounts +=
        snapshot.values(ofAccount: account).values.map(csvField)
        .joined(separator: ",") + "\n"
    }
    return (organizations, accounts)
  }
}
