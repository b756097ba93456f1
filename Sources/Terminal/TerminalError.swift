/// Why the review screen could not start: said so a user knows what to do.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
  /// Standard input or output (named) is not a terminal: a script or a pipe.
  case notATerminal(String)
  /// The TERM value curses does not know or cannot drive ("" when unset).
  case unknownTerminal(String)
  /// A file the terminal needs could not be opened (headless: /dev/null).
  case cannotOpen(String)

  public var description: String {
    switch self {
    case .notATerminal(let stream):
      "sis-sync review needs a terminal: \(stream) is not a terminal (use `sis-sync plan` in scripts)"
    case .unknownTerminal(""):
      "the terminal type is not set (TERM); try TERM=xterm-256color"
    case .unknownTerminal(let term):
      "unknown terminal type '\(term)' (TERM), or one that cannot move the cursor; try TERM=xterm-256color"
    case .cannotOpen(let path):
      "cannot open \(path) for the terminal"
    }
  }
}
