import TextScreen

/// What a key does on the cleanup screen.
public enum CleanupKeyAction: Sendable, Equatable {
  case moveUp, moveDown, pageUp, pageDown, toggleMark, filter
  case disable, reactivate, moveTo, setGrade, setPosition, undo, commit, saveSession, help, quit
}

/// One row of the cleanup screen's binding table: the same table
/// dispatches keys and draws the `?` dialog.
public struct CleanupKeyBinding: Sendable {
  public let keys: [Key]
  public let action: CleanupKeyAction
  public let help: String

  public var keysLabel: String { keys.map(\.label).joined(separator: " ") }
}

public enum CleanupKeys {
  public static let table: [CleanupKeyBinding] = {
    let character = Key.character
    return [
      CleanupKeyBinding(keys: [.up, character("k")], action: .moveUp, help: "previous account"),
      CleanupKeyBinding(keys: [.down, character("j")], action: .moveDown, help: "next account"),
      CleanupKeyBinding(keys: [.pageUp], action: .pageUp, help: "a page up"),
      CleanupKeyBinding(keys: [.pageDown], action: .pageDown, help: "a page down"),
      CleanupKeyBinding(keys: [character(" ")], action: .toggleMark, help: "mark or unmark the account"),
      CleanupKeyBinding(
        keys: [character("f")], action: .filter, help: "change the filter (school:, type:, grade:, status:, …)"),
      CleanupKeyBinding(
        keys: [character("d")], action: .disable, help: "stage: disable the marked accounts (or all shown)"),
      CleanupKeyBinding(keys: [character("r")], action: .reactivate, help: "stage: reactivate them"),
      CleanupKeyBinding(keys: [character("m")], action: .moveTo, help: "stage: move them to a building (asks which)"),
      CleanupKeyBinding(keys: [character("g")], action: .setGrade, help: "stage: set their grade (asks which)"),
      CleanupKeyBinding(keys: [character("p")], action: .setPosition, help: "stage: set their position (asks which)"),
      CleanupKeyBinding(keys: [character("u")], action: .undo, help: "undo the last staged change"),
      CleanupKeyBinding(
        keys: [character("c")], action: .commit, help: "commit: confirm the staged changes, apply them as one run"),
      CleanupKeyBinding(keys: [character("s")], action: .saveSession, help: "save the staged changes as a session"),
      CleanupKeyBinding(keys: [character("?")], action: .help, help: "this help"),
      CleanupKeyBinding(
        keys: [character("q"), .control("c")], action: .quit, help: "quit (asks when staged changes are not saved)"),
    ]
  }()

  /// The keys as man/sis-sync.1 lists them under `cleanup` (a test checks
  /// the page carries exactly this; `sis-sync review-keys --cleanup`
  /// prints it).
  public static var manPageReference: String {
    table.map { ".TP\n.B \(KeyBindings.roffEscaped($0.keysLabel))\n\(KeyBindings.roffEscaped($0.help))\n" }.joined()
  }

  public static func action(for key: Key) -> CleanupKeyAction? {
    table.first { $0.keys.contains(key) }?.action
  }
}
