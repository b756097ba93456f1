import ExportReading
import Foundation
import GRDB
import SyncModel

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
/// external ID, or its name when it has none).
extension SQLiteDirectory {
  public static let organizationsHeader = ["external_id", "name", "kind"]

  /// Brings a platform's current state into an empty directory, in one
  /// transaction, recorded as an import run.
  public func importCSV(organizationsPath: String, accountsPath: String) throws -> RunRecord {
    let organizations = try Self.readOrganizations(path: organizationsPath)
    let known = Set(organizations.map { $0.externalID ?? $0.name })
    let validation = try ExportValidator.validate(
      file: accountsPath,
      options: ValidationOptions(
        directory: InMemoryDirectory(organizationExternalIDs: known), keepsRows: true, customIDOptional: true))
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
    guard let lock = try DirectoryLock.acquire(directoryPath: path, wait: 0) else {
      throw ApplyRefusal.locked(DirectoryLock.holder(directoryPath: path))
    }
    defer { withExtendedLifetime(lock) {} }
    var record: RunRecord?
    try translatingErrors {
      try queue.inTransaction(.immediate) { db in
        let existing =
          try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM organization)") ?? 0
        guard existing == 0 else {
          throw DirectoryError(path: path, reason: "the directory is not empty; import into a new directory file")
        }
        let generation = try Self.nextGeneration(db)
        var organizationIDs: [String: Int64] = [:]
        for organization in organizations {
          try db.execute(
            sql: "INSERT INTO organization (external_id, name, kind, changed_generation) VALUES (?, ?, ?, ?)",
            arguments: [organization.externalID, organization.name, organization.kind.rawValue, generation])
          organizationIDs[organization.externalID ?? organization.name] = db.lastInsertedRowID
        }
        let insert = try RawStatement(
          db,
          """
          INSERT INTO account (custom_id, first_name, middle_name, last_name, email, organization_id, user_type,
                               position, grade, status, changed_generation)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
        for row in 0..<table.rowCount {
          let values = AccountValues(values: ExportColumn.allCases.map { table.value(row: row, column: $0) })
          Self.bindAccount(
            insert, values: values, organizationID: organizationIDs[values[.schoolExternalID]]!,
            generation: generation)
          try insert.run(db)
        }
        let now = RunClock.now()
        let counts = ["organizations": organizations.count, "accounts": table.rowCount]
        try db.execute(
          sql: """
            INSERT INTO run (kind, started_at, finished_at, user_name, host, export_path, generation, counts)
            VALUES ('import', ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [now, now, RunClock.user, RunClock.host, accountsPath, generation, Self.encodeCounts(counts)])
        record = Self.runRecord(
          try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        return .commit
      }
    }
    return record!
  }

  static func readOrganizations(path: String) throws -> [Organization] {
    let reader = CSVReader(source: try RegularFile(path: path).bytes())
    var problems: [String] = []
    guard try reader.next() else { throw DirectoryImportError(problems: ["\(path):1:1: the file is empty"]) }
    let header = (0..<reader.fieldCount).map { reader.fieldText($0).trimmingCharacters(in: .whitespaces).lowercased() }
    guard header == organizationsHeader else {
      throw DirectoryImportError(problems: [
        "\(path):1:1: the header must be \(organizationsHeader.joined(separator: ",")); found \(header.joined(separator: ","))"
      ])
    }
    var organizations: [Organization] = []
    var seen: [String: Int] = [:]
    while try reader.next() {
      let line = reader.line
      guard reader.fieldCount == 3 else {
        problems.append("\(path):\(line):1: expected 3 fields, found \(reader.fieldCount)")
        continue
      }
      let fields = (0..<3).map { reader.fieldText($0).trimmingCharacters(in: .whitespaces) }
      guard !fields[1].isEmpty else {
        problems.append("\(path):\(line):2: the name is empty")
        continue
      }
      guard let kind = OrganizationKind(rawValue: fields[2].lowercased()) else {
        problems.append("\(path):\(line):3: kind must be district or school, not '\(fields[2])'")
        continue
      }
      let key = fields[0].isEmpty ? fields[1] : fields[0]
      if let first = seen[key] {
        problems.append("\(path):\(line):1: '\(key)' is already used on line \(first)")
        continue
      }
      seen[key] = line
      organizations.append(
        Organization(id: 0, externalID: fields[0].isEmpty ? nil : fields[0], name: fields[1], kind: kind))
    }
    guard problems.isEmpty else { throw DirectoryImportError(problems: problems) }
    return organizations
  }

  /// The directory as its two CSV files' contents.
  public func exportCSV() throws(DirectoryError) -> (organizations: String, accounts: String) {
    let snapshot = try snapshot()
    var organizations = Self.organizationsHeader.joined(separator: ",") + "\n"
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
