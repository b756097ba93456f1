import SyncModel

/// Every setting a mapping file can hold: where it goes, how it is written
/// and what it does. The parser, its "unknown setting" errors and their
/// lists of settings all read this one list.
enum MappingSetting: String, CaseIterable {
  // Before the first section.
  case extends, unused
  // In a `[column]` section, in the order errors list them.
  case from, optional, constant, `default`, value, list, skip, when, template, generate, home
  // In a `[file NAME]` section.
  case path, key, matches, prefer

  /// Where a setting may appear.
  enum Place {
    /// Before the first section.
    case top
    /// In a `[column]` section.
    case column
    /// In a `[file NAME]` section.
    case companion
  }

  /// How a setting is written.
  enum Form {
    /// `NAME = VALUE`.
    case assignment
    /// `NAME SOURCE = TARGET`: the name, then an assignment.
    case keyedAssignment
    /// `NAME …`: the name, a space, then the rest of the line.
    case statement
  }

  var place: Place {
    switch self {
    case .extends, .unused: .top
    case .from, .optional, .constant, .default, .value, .list, .skip, .when, .template, .generate, .home: .column
    case .path, .key, .matches, .prefer: .companion
    }
  }

  var form: Form {
    switch self {
    case .value, .prefer, .template: .keyedAssignment
    case .skip, .when: .statement
    default: .assignment
    }
  }

  /// What the setting takes and does, one line.
  var help: String {
    switch self {
    case .extends: "PRESET: start from a built-in preset; each section of the file replaces its column"
    case .unused: "ignore or report: whether headers no rule reads are reported (W006)"
    case .from:
      "HEADER [| HEADER…]: the export's header the column is read from (the first the file has; HEADER #2: its second copy)"
    case .home:
      "first or HEADER ([school_district_external_id]): of a person's rows at several schools, keep the first or the home school's"
    case .optional: "yes or no: whether a file without the source header is allowed (the column is then empty)"
    case .constant: "VALUE: the same value on every row"
    case .default: "VALUE: the value when the source is empty"
    case .value: "SOURCE = TARGET: translates one source value"
    case .list: "first: the source holds a comma-separated list; its first item is used"
    case .skip: "VALUE: rows whose source holds VALUE are left out"
    case .when: "HEADER = VALUE then TARGET: sets the column when another header holds VALUE"
    case .template:
      "[USER_TYPE] = TEXT: the value built from headers, {givenName:lower:ascii}.{familyName}@school.org; by user type first"
    case .generate: "TEXT: [email] only; the email proposed (and counted up) for a row that has none"
    case .path: "FILE: the companion file, beside the export"
    case .key: "HEADER: the companion's header holding the join key"
    case .matches: "HEADER: the export's header holding the same key"
    case .prefer: "HEADER = VALUE: of several companion rows for one key, the one with VALUE"
    }
  }

  /// The settings allowed in `place`, in order.
  static func allowed(in place: Place) -> [MappingSetting] { allCases.filter { $0.place == place } }

  /// "(settings: from, constant, …)": the list an error about an unknown
  /// setting in `place` ends with.
  static func listing(for place: Place) -> String {
    "(settings: " + allowed(in: place).map(\.rawValue).joined(separator: ", ") + ")"
  }

  /// The statement setting of `place` that `content` starts with
  /// (`skip VALUE`, `when …`), if any.
  static func statement(startingLine content: Substring, in place: Place) -> MappingSetting? {
    allowed(in: place).first {
      $0.form == .statement && (content.hasPrefix($0.rawValue + " ") || content.hasPrefix($0.rawValue + "\t"))
    }
  }

  /// Whether `key` (the text before `=`) is this keyed setting: its name
  /// alone or followed by its operand.
  func isKey(of key: String) -> Bool {
    key == rawValue || key.hasPrefix(rawValue + " ") || key.hasPrefix(rawValue + "\t")
  }
}
