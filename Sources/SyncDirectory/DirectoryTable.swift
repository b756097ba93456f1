/// One table of a directory as `directory copy` moves it: its name and its
/// columns in order, the first being its key. Both stores have the same
/// tables and columns (their schemas are kept alike), so one description
/// serves both; a table added by a later migration is added to `all`, and
/// the copy, its check and the empty-target check take it from there.
public struct DirectoryTable: Sendable, Hashable, CustomStringConvertible {
  public struct Column: Sendable, Hashable {
    public let name: String
    /// An integer column (else text): how a store reads and binds it.
    public let isInteger: Bool
  }

  public let name: String
  public let columns: [Column]
  public var description: String { name }
  /// The key: rows are read, copied and checked in its order (integers by
  /// value, text by its UTF-8 bytes).
  public var key: Column { columns[0] }
  /// The column names, comma separated, for SQL.
  package var columnList: String { columns.map(\.name).joined(separator: ", ") }

  init(_ name: String, integers: [String] = [], _ columns: [String]) {
    self.name = name
    self.columns = columns.map { Column(name: $0, isInteger: integers.contains($0)) }
  }

  /// The directory's identity and current state (directory_id, generation,
  /// state_token, and whatever else a later version keeps there).
  public static let directoryInfo = DirectoryTable("directory_info", ["key", "value"])
  /// Every state token the directory has had, with its generation.
  public static let directoryState = DirectoryTable(
    "directory_state", integers: ["generation"], ["token", "generation"])
  public static let organization = DirectoryTable(
    "organization", integers: ["id", "changed_generation"], ["id", "external_id", "name", "kind", "changed_generation"])
  public static let account = DirectoryTable(
    "account", integers: ["id", "organization_id", "changed_generation", "email_generated"],
    [
      "id", "custom_id", "first_name", "middle_name", "last_name", "email", "organization_id", "user_type",
      "position", "grade", "status", "changed_generation", "email_generated",
    ])
  public static let run = DirectoryTable(
    "run", integers: ["id", "reverts_run", "generation"],
    [
      "id", "kind", "started_at", "finished_at", "user_name", "host", "export_path", "export_sha256", "reverts_run",
      "generation", "counts", "source",
    ])
  public static let change = DirectoryTable(
    "change", integers: ["id", "run_id", "account_id", "organization_id", "line"],
    ["id", "run_id", "action", "account_id", "organization_id", "custom_id", "line", "before", "after", "outcome"])
  /// The settings an admin stored (`sis-sync settings`), by key.
  public static let setting = DirectoryTable("setting", ["key", "value"])
  /// Accounts and organizations the sync leaves alone (`sis-sync protect`).
  public static let protection = DirectoryTable(
    "protection", integers: ["id", "target_id"],
    ["id", "kind", "target_id", "reason", "until", "created_at", "created_by"])
  /// Accounts found missing, waiting out the grace before disable.
  public static let pendingDisable = DirectoryTable(
    "pending_disable", integers: ["account_id", "run_id"], ["account_id", "missing_since", "run_id"])

  /// The source that manages each account (`--source`), one per account.
  public static let accountSource = DirectoryTable(
    "account_source", integers: ["account_id"], ["account_id", "source"])

  /// Fields an account keeps as the district set them (`sis-sync local-fields`).
  public static let localField = DirectoryTable("local_field", integers: ["account_id"], ["account_id", "fields"])

  /// Held scheduled runs kept for a person (`sis-sync pending`), with
  /// their plan and export.
  public static let pendingRun = DirectoryTable(
    "pending_run", integers: ["id", "applied_run", "superseded_by"],
    ["id"] + PendingRunRecord.recordColumns + PendingRunContent.columns)

  /// Every table, in the order they are copied: a table before those that
  /// refer to it.
  public static let all: [DirectoryTable] = [
    directoryInfo, directoryState, organization, account, run, change, setting, pendingDisable, protection,
    accountSource, localField, pendingRun,
  ]

  /// The tables a new directory already fills (its identity and first
  /// state): a copy replaces their rows.
  static let identityTables: Set<String> = [directoryInfo.name, directoryState.name]
}

/// One row of a table as copied: its values in column order, as text
/// (integers in decimal), nil for NULL. Both stores read and write this
/// form, so the digests of the two sides compare.
public typealias CopiedRow = [String?]
