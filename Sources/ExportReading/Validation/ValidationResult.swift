import SyncModel

/// What to validate with.
public struct ValidationOptions: Sendable {
  public var mapping: ColumnMapping
  public var limits: CSVLimits
  /// When given, directory checks run (building IDs name organizations).
  public var directory: (any DirectoryLookup)?
  /// Keep every normalised row in an `ExportTable` (planning and review need
  /// it; `validate` does not).
  public var keepsRows: Bool
  /// Files at least this large are read in parts on two cores.
  public var parallelThreshold: Int
  /// Review decisions that replace values (custom_id, building ID).
  public var overrides: ValueOverrides
  /// The directory's account form: custom_id may be empty (unmanaged).
  public var customIDOptional: Bool
  /// Counts the bytes read, for a progress display.
  public var progress: LoadProgress?

  public init(
    mapping: ColumnMapping = .identity, limits: CSVLimits = .standard,
    directory: (any DirectoryLookup)? = nil, keepsRows: Bool = false, parallelThreshold: Int = 8 << 20,
    overrides: ValueOverrides = ValueOverrides(), customIDOptional: Bool = false, progress: LoadProgress? = nil
  ) {
    self.progress = progress
    self.overrides = overrides
    self.customIDOptional = customIDOptional
    self.mapping = mapping
    self.limits = limits
    self.directory = directory
    self.keepsRows = keepsRows
    self.parallelThreshold = parallelThreshold
  }
}

/// The outcome of reading and validating one export.
public struct ValidationResult: Sendable {
  /// The export's name as given (a path), for reports.
  public var exportName: String
  /// Data records read (not counting the header and blank lines).
  public var rowCount: Int
  /// Rows with at least one error: never applied.
  public var rowsWithErrors: Int
  /// In reading order: file-level first, then by line and field.
  public var findings: [Finding]
  /// The header row as found in the file.
  public var headers: [String]
  /// For each target column (by `ExportColumn.rawValue`): the 1-based
  /// field of the file it is read from, nil when it comes from elsewhere (a
  /// constant, a companion file) or the header was not resolved.
  public var sourceFields: [Int?] = []
  /// For each target column: the SIS's name for its source where the
  /// mapping renamed it (`Username`, `role (roles.csv)`, the headers a
  /// template reads); nil where it is ours or there is none.
  public var sourceColumns: [String?] = []
  public var mappingOrigin: String
  public var directoryChecked: Bool
  /// Normalised rows, when `keepsRows` was asked for and the file is usable.
  public var table: ExportTable?
  /// Records the mapping left out (`skip`): not rows of the plan, but
  /// reported (I045) so every record is accounted for.
  public var rowsSkippedByMapping = 0
  /// Rows without an email for which the mapping's `generate` rule made one
  /// (by line; their email value is left empty): planning adds the counter
  /// and proposes them (W054).
  public var proposedEmails: [Int: String] = [:]

  /// The result for a plan made without an export (cleanups): no rows, no findings.
  package static func withoutExport(name: String, mappingOrigin: String) -> ValidationResult {
    ValidationResult(
      exportName: name, rowCount: 0, rowsWithErrors: 0, findings: [], headers: [], mappingOrigin: mappingOrigin,
      directoryChecked: true)
  }

  /// False when a file-level error means no row can be used.
  public var isUsable: Bool { !findings.containsCode { $0.isFatal } }

  /// Rows that can be applied: none when the file as a whole cannot be used.
  public var validRowCount: Int { isUsable ? rowCount - rowsWithErrors : 0 }

  public func count(_ severity: Severity) -> Int {
    findings.countCodes { $0.severity == severity }
  }
}
