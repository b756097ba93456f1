import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// Fields a district owns locally (issue 15): an email set by IT, a
/// preferred first name. The sync leaves them as the directory has them —
/// for every account (the setting `fields.local`) or for one account
/// (`sis-sync local-fields`) — and the plan lists each as "kept (local)".
/// A new account still takes the export's values: only existing accounts
/// have anything to keep.
public enum LocalFields {
  /// The fields that may be marked local: those an update writes, but the
  /// custom_id (the key the export names the account by), the school (the
  /// export's scope: which schools it covers, disable-missing and the
  /// organizations' protections hang on it) and the status (disables and
  /// reactivations are the sync's own decisions).
  public static let eligible: [ExportColumn] = [
    .firstName, .middleName, .lastName, .email, .userType, .position, .grade,
  ]

  /// Field names (export headers) as columns in column order, duplicates
  /// dropped; an error names a field that is not one or may not be local.
  public static func parse(_ names: [String]) throws(LocalFieldsError) -> [ExportColumn] {
    var columns: Set<ExportColumn> = []
    for name in names {
      let name = name.trimmingCharacters(in: .whitespaces)
      guard let column = ExportColumn(header: name), eligible.contains(column) else {
        throw LocalFieldsError(
          message: "'\(name)' is not a field that can be local; the fields are: "
            + eligible.map(\.header).joined(separator: ", "))
      }
      columns.insert(column)
    }
    return columns.sorted()
  }

  /// Stored names as columns, ignoring any this version does not know (a
  /// setting's value is checked when it is set).
  static func columns(stored names: [String]) -> [ExportColumn] {
    Set(names.compactMap { ExportColumn(header: $0) }.filter(eligible.contains)).sorted()
  }
}

/// A field name that is not one, or may not be local.
public struct LocalFieldsError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }

  public init(message: String) { self.message = message }
}

/// The local fields a run plans under: for every account, and per account.
public struct PlanLocalFields: Sendable, Equatable {
  /// Local for every account (the setting `fields.local`).
  public var everyAccount: [ExportColumn]
  /// Local for one account, by account id (`sis-sync local-fields`).
  public var accounts: [Int64: [ExportColumn]]

  public init(everyAccount: [ExportColumn] = [], accounts: [Int64: [ExportColumn]] = [:]) {
    self.everyAccount = everyAccount
    self.accounts = accounts
  }

  public static let none = PlanLocalFields()

  public var isEmpty: Bool { everyAccount.isEmpty && accounts.isEmpty }

  /// The fields the sync leaves alone on this account, in column order.
  public func fields(ofAccount id: Int64) -> [ExportColumn] {
    guard let own = accounts[id], !own.isEmpty else { return everyAccount }
    return Set(everyAccount + own).sorted()
  }
}

/// One field the sync left as the directory has it: the export's value is
/// not written.
public struct KeptLocalField: Sendable, Equatable {
  public var column: ExportColumn
  /// The value the export has (the directory's stays).
  public var exportValue: String

  public init(column: ExportColumn, exportValue: String) {
    self.column = column
    self.exportValue = exportValue
  }
}

/// A row whose account differs from the export only in local fields: the
/// account stays unchanged and the plan lists what was kept.
public struct KeptLocalFields: Sendable, Equatable {
  public var line: Int
  public var accountID: Int64
  public var customID: String
  /// The account's values (kept as they are).
  public var values: AccountValues
  public var fields: [KeptLocalField]

  public init(line: Int, accountID: Int64, customID: String, values: AccountValues, fields: [KeptLocalField]) {
    self.line = line
    self.accountID = accountID
    self.customID = customID
    self.values = values
    self.fields = fields
  }
}

/// The local fields of a plan, by index into the snapshot.
struct LocalFieldIndex {
  private var everyAccount: [ExportColumn] = []
  private var accounts: [Int: [ExportColumn]] = [:]

  var isEmpty: Bool { everyAccount.isEmpty && accounts.isEmpty }

  init() {}

  init(_ local: PlanLocalFields, directory: DirectorySnapshot) {
    everyAccount = local.everyAccount
    for (id, columns) in local.accounts where !columns.isEmpty {
      if let index = directory.accountIndex(id: id) { accounts[index] = local.fields(ofAccount: id) }
    }
  }

  /// The account's local fields, in column order.
  func columns(_ account: Int) -> [ExportColumn] { accounts.isEmpty ? everyAccount : accounts[account] ?? everyAccount }

  /// Puts the directory's values back into `after` for the account's local
  /// fields; returns the fields whose export value differed (kept).
  func keep(_ account: Int, before: AccountValues, after: inout AccountValues) -> [KeptLocalField] {
    var kept: [KeptLocalField] = []
    for column in columns(account) where after[column] != before[column] {
      kept.append(KeptLocalField(column: column, exportValue: after[column]))
      after[column] = before[column]
    }
    return kept
  }
}
