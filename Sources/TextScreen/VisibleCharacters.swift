/// Characters a terminal would obey rather than show: C0 controls, DEL, C1
/// controls (U+009B starts an escape sequence) and the bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder the
/// rest of the line. The screen draws them visibly, as `\n`, `\r`, `\t` or
/// `<U+XXXX>`: the same form as the engine's reports (SyncEngine's
/// `VisibleText`; a test checks the two agree). The marks U+200E and U+200F
/// that Hebrew and Arabic names carry are drawn as they are.
public enum VisibleCharacters {
  public static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// `text` with every escaped scalar written visibly; the text itself when
  /// there is none (the usual case, found from the UTF-8 lead bytes).
  public static func visible(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      guard isEscaped(scalar) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
      }
    }
    return out
  }
}
