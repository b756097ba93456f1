import CNcurses

/// Wide characters (accents, CJK, Hangul) need a UTF-8 locale both for
/// curses and for `wcwidth`.
enum TerminalLocale {
  /// Takes the user's locale; when its codeset is not UTF-8 (unset, "C",
  /// "POSIX", Latin-1), falls back to C.UTF-8. True when UTF-8 is in use.
  @discardableResult
  static func useUTF8() -> Bool {
    setlocale(LC_ALL, "")
    if isUTF8 { return true }
    setlocale(LC_ALL, "C.UTF-8")
    return isUTF8
  }

  static var isUTF8: Bool {
    guard let codeset = cncurses_codeset() else { return false }
    let name = String(cString: codeset).uppercased()
    return name == "UTF-8" || name == "UTF8"
  }
}
