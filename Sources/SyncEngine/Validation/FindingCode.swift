import SyncModel

/// A stable finding code and everything `sis-sync explain` says about it.
/// (A class: findings are numerous, and each holds one reference to its code.)
///
/// Codes never change meaning once shipped: scripts and support notes refer
/// to them. Add new codes; never renumber.
public final class FindingCode: Sendable, Hashable, CustomStringConvertible {
  /// `E014`, `W025`, `I008`: the letter is the severity.
  public let id: String
  /// A short, stable name (`duplicate-custom-id`).
  public let name: String
  public let severity: Severity
  /// Whether the finding concerns the whole file rather than one row.
  public let isFileLevel: Bool
  public let title: String
  /// What it means and why it matters.
  public let explanation: String
  /// How to fix it at the source, so it does not come back next export.
  public let fix: String

  init(
    id: String, name: String, severity: Severity, isFileLevel: Bool, title: String,
    explanation: String, fix: String
  ) {
    self.id = id
    self.name = name
    self.severity = severity
    self.isFileLevel = isFileLevel
    self.title = title
    self.explanation = explanation
    self.fix = fix
  }

  public var description: String { id }

  /// A file-level error: the export as a whole cannot be used.
  public var isFatal: Bool { isFileLevel && severity == .error }

  public static func == (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.id == rhs.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }

  /// Looks a code up by its id (`E030`, case-insensitive) or its name.
  public static func named(_ text: String) -> FindingCode? {
    let wanted = text.uppercased()
    return FindingCatalog.all.first { $0.id == wanted || $0.name == text.lowercased() }
  }
}
