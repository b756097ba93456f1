import SyncModel

/// How one target column gets its value (see `man 5 sis-sync-mapping`).
public struct ColumnRule: Sendable, Equatable {
  /// The source headers that may feed the column, in order of preference
  /// (`from = orgSourcedIds | orgs | orgId`): the first one the file has is
  /// read. Empty when `constant` is set.
  public var sources: [HeaderChoice]
  /// The first source header; nil when `constant` is set. Setting it makes
  /// it the only one.
  public var source: String? {
    get { sources.first?.name }
    set { sources = newValue.map { [HeaderChoice(name: $0)] } ?? [] }
  }
  /// `optional = yes`: a file without any of the source headers leaves the
  /// column empty (its `default` applies) instead of failing (E003).
  public var isOptional = false
  /// `home = first | HEADER` ([school_district_external_id] only): staff
  /// listed once per school keep one row, the others are left out (I058).
  public var homeSchool: HomeSchool?
  /// A value used for every row, whatever the source says.
  public var constant: String?
  /// Used when the source value is empty (after trimming).
  public var defaultValue: String?
  /// Source value → target value, applied after trimming. Matched exactly
  /// first, then without regard to letter case.
  public var translations: [String: String]
  /// Where the rule was written (mapping file line of its section), if anywhere.
  public var definedOnLine: Int?
  /// The source holds a comma-separated list (OneRoster `orgSourcedIds`,
  /// `grades`): the first item is used and the others are reported.
  public var firstOfList: Bool
  /// Rows whose source value is one of these (letter case ignored) are left
  /// out, counted and reported (roles such as `guardian`).
  public var skippedValues: [String]
  /// Values set by another header of the row (`when enabledUser = false
  /// then Disabled`), checked in order; the first that matches wins.
  public var conditions: [ValueCondition]
  /// `template = …`: the value built from other headers, for every row
  /// (no `from`); see `templatesByUserType` for the rows of one type.
  public var template: ValueTemplate?
  /// `template Student = …`: the template for rows of that (target) user
  /// type, which wins over `template`; keyed by the canonical user type.
  public var templatesByUserType: [String: ValueTemplate] = [:]
  /// `generate = …` ([email] only): the email proposed for a row that has
  /// none, with a counter before the `@` when it is taken.
  public var generate: ValueTemplate?

  /// Whether any template builds this column's value on some rows.
  public var usesTemplates: Bool { template != nil || !templatesByUserType.isEmpty }

  public init(
    source: String? = nil, constant: String? = nil, defaultValue: String? = nil,
    translations: [String: String] = [:], definedOnLine: Int? = nil, firstOfList: Bool = false,
    skippedValues: [String] = [], conditions: [ValueCondition] = []
  ) {
    self.sources = source.map { [HeaderChoice(name: $0)] } ?? []
    self.constant = constant
    self.defaultValue = defaultValue
    self.translations = translations
    self.definedOnLine = definedOnLine
    self.firstOfList = firstOfList
    self.skippedValues = skippedValues
    self.conditions = conditions
  }
}

/// Which of a person's rows a `home` rule keeps when an export lists staff
/// once per school (PowerSchool, SDS v1).
public enum HomeSchool: Sendable, Equatable {
  /// The person's first row.
  case first
  /// The row whose school is the one this header names (`HomeSchoolID`).
  case column(String)

  /// As written in a mapping file.
  public var text: String {
    switch self {
    case .first: "first"
    case .column(let header): header
    }
  }
}

/// A source header, and which copy of it when the header repeats
/// (`from = role #2`: the second column named role).
public struct HeaderChoice: Sendable, Equatable {
  public var name: String
  /// 1-based; nil: the first copy, with a warning on rows where the copies
  /// disagree (W057).
  public var occurrence: Int?

  public init(name: String, occurrence: Int? = nil) {
    self.name = name
    self.occurrence = occurrence
  }
}

/// `when HEADER = VALUE then TARGET`: the column is TARGET for rows whose
/// HEADER holds VALUE (trimmed, letter case ignored).
public struct ValueCondition: Sendable, Equatable {
  public var header: String
  public var value: String
  public var target: String

  public init(header: String, value: String, target: String) {
    self.header = header
    self.value = value
    self.target = target
  }
}

/// A second file read with the export, joined to it by a key (OneRoster
/// 1.2 `roles.csv`, School Data Sync `roles.csv`). Its columns feed target
/// columns as `from = @name.header`.
public struct CompanionFile: Sendable, Equatable {
  public var name: String
  /// A path inside the export's folder (absolute paths and escapes are
  /// refused).
  public var path: String
  /// The line of the mapping file that set `path`, for messages.
  public var pathLine: Int?
  /// Set by `--companion NAME=PATH`: the file is read from there instead,
  /// wherever it is (the operator's own choice, not the mapping's).
  public var commandLinePath: String?
  /// The companion's header holding the join key (`userSourcedId`).
  public var key: String
  /// The export's header whose value is looked up (`sourcedId`).
  public var matches: String
  /// When several companion rows share a key, the one where this header
  /// has this value wins (`roleType = primary`); else the first.
  public var prefer: ValueCondition?
  public var definedOnLine: Int?

  public init(
    name: String, path: String = "", key: String = "", matches: String = "", prefer: ValueCondition? = nil,
    definedOnLine: Int? = nil
  ) {
    self.name = name
    self.path = path
    self.key = key
    self.matches = matches
    self.prefer = prefer
    self.definedOnLine = definedOnLine
  }

  /// What the mapping says: where `path` was set, and a file named on the
  /// command line instead, are not part of it (a saved mapping keeps its own
  /// path).
  public static func == (left: CompanionFile, right: CompanionFile) -> Bool {
    (left.name, left.path, left.key, left.matches, left.prefer, left.definedOnLine)
      == (right.name, right.path, right.key, right.matches, right.prefer, right.definedOnLine)
  }
}

/// A column mapping: which source header feeds each target column, value
/// translations and constants. Columns it does not mention are read from the
/// header of the same name.
public struct ColumnMapping: Sendable, Equatable {
  public var rules: [ExportColumn: ColumnRule]
  public var companions: [CompanionFile]
  /// Where it came from (a file path or a preset name), for messages.
  public var origin: String
  /// A format's own extra columns (passwords, phone numbers) are expected:
  /// presets and files extending them do not report them as unused (W006).
  public var ignoresUnusedHeaders = false

  public init(rules: [ExportColumn: ColumnRule] = [:], companions: [CompanionFile] = [], origin: String) {
    self.rules = rules
    self.companions = companions
    self.origin = origin
  }

  /// No mapping: every column is read from its own header.
  public static let identity = ColumnMapping(origin: "no mapping")

  public var isIdentity: Bool { rules.isEmpty && companions.isEmpty }

  /// The rule for a column, defaulting to "read the header of the same name".
  public func rule(for column: ExportColumn) -> ColumnRule {
    rules[column] ?? ColumnRule(source: column.header)
  }
}

/// `@roles.role`: a header of a companion file, as a column's source.
struct CompanionReference: Equatable {
  let file: String
  let header: String

  init?(_ source: String) {
    guard source.hasPrefix("@"), let dot = source.firstIndex(of: ".") else { return nil }
    file = String(source[source.index(after: source.startIndex)..<dot])
    header = String(source[source.index(after: dot)...])
    guard !file.isEmpty, !header.isEmpty else { return nil }
  }
}
