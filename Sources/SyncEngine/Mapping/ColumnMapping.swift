/// How one target column gets its value (see `man 5 sis-sync-mapping`).
public struct ColumnRule: Sendable, Equatable {
  /// The source header that feeds the column; nil when `constant` is set.
  public var source: String?
  /// A value used for every row, whatever the source says.
  public var constant: String?
  /// Used when the source value is empty (after trimming).
  public var defaultValue: String?
  /// Source value → target value, applied after trimming. Matched exactly
  /// first, then without regard to letter case.
  public var translations: [String: String]
  /// Where the rule was written (mapping file line of its section), if anywhere.
  public var definedOnLine: Int?

  public init(
    source: String? = nil, constant: String? = nil, defaultValue: String? = nil,
    translations: [String: String] = [:], definedOnLine: Int? = nil
  ) {
    self.source = source
    self.constant = constant
    self.defaultValue = defaultValue
    self.translations = translations
    self.definedOnLine = definedOnLine
  }
}

/// A column mapping: which source header feeds each target column, value
/// translations and constants. Columns it does not mention are read from the
/// header of the same name.
public struct ColumnMapping: Sendable, Equatable {
  public var rules: [ExportColumn: ColumnRule]
  /// Where it came from (a file path or a preset name), for messages.
  public var origin: String

  public init(rules: [ExportColumn: ColumnRule] = [:], origin: String) {
    self.rules = rules
    self.origin = origin
  }

  /// No mapping: every column is read from its own header.
  public static let identity = ColumnMapping(origin: "no mapping")

  public var isIdentity: Bool { rules.isEmpty }

  /// The rule for a column, defaulting to "read the header of the same name".
  public func rule(for column: ExportColumn) -> ColumnRule {
    rules[column] ?? ColumnRule(source: column.header)
  }
}
