import SyncModel

extension FindingCode {
  /// `E014`, `W025`, `I008`: the letter is the severity.
  public var id: String { rawValue }
  /// A short, stable name (`duplicate-custom-id`).
  public var name: String { definition.name }
  public var severity: Severity {
    switch rawValue.utf8.first {
    case UInt8(ascii: "E"): .error
    case UInt8(ascii: "W"): .warning
    default: .info
    }
  }
  /// Where the finding comes from, which says what can find it again.
  public var origin: FindingOrigin { definition.origin }
  /// Whether the finding concerns the whole file rather than one row.
  public var isFileLevel: Bool { definition.wholeFile }
  /// One note for many lines (blank lines, values ignored, Disabled rows
  /// without an account): made once for the whole export, not per row.
  public var summarizesLines: Bool { definition.summarizesLines }
  public var title: String { definition.title }
  /// What it means and why it matters.
  public var explanation: String { definition.explanation }
  /// How to fix it at the source, so it does not come back next export.
  public var fix: String { definition.fix }

  /// A file-level error: the export as a whole cannot be used.
  public var isFatal: Bool { isFileLevel && severity == .error }

  /// Looks a code up by its id (`E030`, case-insensitive) or its name.
  public static func named(_ text: String) -> FindingCode? {
    let wanted = text.uppercased()
    return allCases.first { $0.id == wanted || $0.name == text.lowercased() }
  }

  /// Everything a code's case says of it but its id (see FindingCatalog.swift).
  struct Definition {
    let name: String
    let origin: FindingOrigin
    let wholeFile: Bool
    let summarizesLines: Bool
    let title: String
    let explanation: String
    let fix: String

    /// `wholeFile` is true for every `.file` finding; a finding of another
    /// origin can concern the whole file too (a companion file, a cluster).
    init(
      name: String, origin: FindingOrigin, wholeFile: Bool? = nil, summarizesLines: Bool = false, title: String,
      explanation: String, fix: String
    ) {
      self.name = name
      self.origin = origin
      self.wholeFile = wholeFile ?? (origin == .file)
      self.summarizesLines = summarizesLines
      self.title = title
      self.explanation = explanation
      self.fix = fix
    }
  }
}

extension FindingCode: CustomStringConvertible {
  public var description: String { id }
}

/// Where a finding comes from: what has to be looked at to find it.
public enum FindingOrigin: Sendable, CaseIterable {
  /// The export as a whole: its first bytes, its header, its size.
  case file
  /// A row's original bytes as read: quoting, field counts, encoding, a
  /// value's letter case, and email duplicates (file-wide; emails are not
  /// edited in review). Reading the row's normalised values again cannot
  /// find these.
  case reading
  /// A row's values once read (or edited in review), alone or against the
  /// other rows' custom_ids.
  case value
  /// What the mapping did with the source: rows it skipped, lists it cut to
  /// their first value, companion files and their rows.
  case mapping
  /// Checked against the directory, or found while planning against it.
  case directory
}
