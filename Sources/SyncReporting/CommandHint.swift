/// The commands printed as hints ("see it with: …"), complete so that they
/// work when pasted: the same `--directory` as the command that printed
/// them, and every argument quoted for the shell where it needs it.
public enum CommandHint {
  /// `sis-sync WORDS… [--directory PATH]`; `directory` is the option as
  /// given (nil when the default or `$SIS_SYNC_DIRECTORY` was used).
  public static func command(_ words: [String], directory: String?) -> String {
    var parts = ["sis-sync"] + words.map(quoted)
    if let directory { parts += ["--directory", quoted(directory)] }
    return parts.joined(separator: " ")
  }

  /// "See it with: sis-sync show N; undo it with: sis-sync revert N".
  public static func seeAndUndo(run runID: Int64, directory: String?) -> String {
    "See it with: " + command(["show", String(runID)], directory: directory) + "; undo it with: "
      + command(["revert", String(runID)], directory: directory)
  }

  /// The argument as a POSIX shell reads it back: unchanged when it holds
  /// only safe characters, else in single quotes (a quote inside as `'\''`).
  public static func quoted(_ argument: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !argument.isEmpty && argument.allSatisfy(safe.contains) { return argument }
    return "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }
}
