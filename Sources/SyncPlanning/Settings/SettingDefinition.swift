import Foundation

/// One setting stored in the directory (`sis-sync settings`): its key,
/// what it means, the syntax of its value with the parser that checks it,
/// and the built-in default a key not stored has.
public struct SettingDefinition: Sendable {
  public let key: String
  /// What it means, in one line (for `settings` and the man page).
  public let meaning: String
  /// Its value's syntax, as people read it ("COUNT,PERCENT% or off").
  public let syntax: String
  /// The built-in default, in canonical spelling.
  public let defaultValue: String
  /// The value in its canonical spelling, or nil when the text is not one.
  let canonical: @Sendable (String) -> String?
  /// Why a text that is not a value is not, where the syntax alone does not
  /// say (which character of a command would need a shell).
  let problem: @Sendable (String) -> String?

  /// The placeholder ending a family's key: `grades.SCHOOL` stands for one
  /// key per school (`grades.E1`), each stored on its own.
  public static let schoolPlaceholder = "SCHOOL"

  /// Whether the key stands for one key per school (`grades.SCHOOL`).
  public var isFamily: Bool { key.hasSuffix("." + Self.schoolPlaceholder) }

  /// A family's keys start with this (`grades.`); nil for a single key.
  var familyPrefix: Substring? { isFamily ? key.dropLast(Self.schoolPlaceholder.count) : nil }

  /// The school a family's key names (`grades.E1` → `E1`); nil when `key`
  /// is not one of this family's.
  public func school(of key: String) -> String? {
    guard let prefix = familyPrefix, key.hasPrefix(prefix), key.count > prefix.count else { return nil }
    return String(key.dropFirst(prefix.count))
  }

  /// This family's definition under one school's key.
  func named(_ key: String) -> SettingDefinition {
    SettingDefinition(
      key: key, meaning: meaning, syntax: syntax, defaultValue: defaultValue, canonical: canonical, problem: problem)
  }

  init(
    key: String, meaning: String, syntax: String, defaultValue: String,
    canonical: @escaping @Sendable (String) -> String?, problem: @escaping @Sendable (String) -> String? = { _ in nil }
  ) {
    self.key = key
    self.meaning = meaning
    self.syntax = syntax
    self.defaultValue = defaultValue
    self.canonical = canonical
    self.problem = problem
  }

  /// The value as stored (canonical spelling), or an error naming the key
  /// and what it expects.
  public func checked(_ text: String) throws(SettingError) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let value = canonical(trimmed) else {
      throw SettingError(
        message: "'\(text)' is not a value of setting \(key): expected \(syntax) (default \(defaultValue))"
          + (problem(trimmed).map { "; \($0)" } ?? ""))
    }
    return value
  }
}

/// A setting that cannot be set or used: an unknown key, a value not of its
/// syntax, or a stored value this version cannot read.
public struct SettingError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public var description: String { message }

  public init(message: String) { self.message = message }
}
