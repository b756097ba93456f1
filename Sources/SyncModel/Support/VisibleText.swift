/// Text made safe to show to a person: characters that a terminal would
/// obey or that would reorder the text are written visibly instead.
///
/// A file name or value holding ESC could move the cursor or retitle the
/// window, a C1 control (U+0080–U+009F, U+009B is a one-byte CSI) likewise,
/// and a bidi override (U+202E) makes `gpj.exe` look like `exe.jpg`. Every
/// text output meant for a terminal or a reader goes through here: reports
/// in text and CSV, messages on standard error, the review screen. JSON
/// output stays exact (its writer uses `\uXXXX`), and so does
/// `directory export`, the machine form that imports back.
///
/// The escaped form: `\n`, `\r` and `\t` for the three everyday controls,
/// `<U+XXXX>` for every other one (`<U+001B>` for ESC, `<U+009B>`,
/// `<U+202E>`). The marks U+200E and U+200F, which Hebrew and Arabic names
/// carry legitimately, are kept.
public enum VisibleText {
  /// Whether the scalar is shown escaped: C0 controls, DEL, C1 controls, and
  /// the bidi embeddings, overrides and isolates (U+202A–U+202E,
  /// U+2066–U+2069).
  public static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// The visible form of one escaped scalar.
  public static func escape(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    default:
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
  }

  /// One line: every escaped scalar written visibly, line breaks included
  /// (a value, a file name, a message).
  public static func escaped(_ text: String) -> String {
    escaped(text, keepingLineBreaks: false)
  }

  /// Several lines (a whole report): `\n` ends a line as before; every other
  /// escaped scalar is written visibly.
  public static func escapedKeepingLines(_ text: String) -> String {
    escaped(text, keepingLineBreaks: true)
  }

  /// Works on UTF-8 bytes and returns the text itself when nothing needs
  /// escaping, so a report of a million lines costs one scan. In UTF-8 the
  /// C1 controls are `C2 80`–`C2 9F` and the bidi controls `E2 80 AA`–`AE`
  /// and `E2 81 A6`–`A9`: only those lead bytes need a closer look.
  private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
    var text = text
    return text.withUTF8 { utf8 -> String? in
      var output: [UInt8] = []
      var runStart = 0
      var index = 0
      while index < utf8.count {
        let (scalar, width) = escapedScalar(in: utf8, at: index)
        guard let scalar, !(keepingLineBreaks && scalar == "\n") else {
          index += width
          continue
        }
        if output.isEmpty { output.reserveCapacity(utf8.count + 16) }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        output.append(contentsOf: escape(scalar).utf8)
        index += width
        runStart = index
      }
      guard runStart > 0 else { return nil }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
      return String(decoding: output, as: UTF8.self)
    } ?? text
  }

  /// The escaped scalar starting at `index`, if any, and the bytes to step.
  @inline(__always)
  static func escapedScalar(in utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar?, Int) {
    let byte = utf8[index]
    if byte < 0x20 || byte == 0x7F { return (Unicode.Scalar(byte), 1) }
    if byte == 0xC2, index + 1 < utf8.count, (0x80...0x9F).contains(utf8[index + 1]) {
      return (Unicode.Scalar(utf8[index + 1]), 2)
    }
    if byte == 0xE2, index + 2 < utf8.count, let scalar = bidiControl(utf8[index + 1], utf8[index + 2]) {
      return (scalar, 3)
    }
    return (nil, 1)
  }

  /// U+202A–U+202E (`E2 80 AA`–`AE`) and U+2066–U+2069 (`E2 81 A6`–`A9`),
  /// from the two bytes after an `E2` lead byte.
  @inline(__always)
  package static func bidiControl(_ second: UInt8, _ third: UInt8) -> Unicode.Scalar? {
    if second == 0x80, (0xAA...0xAE).contains(third) { return Unicode.Scalar(0x2000 + UInt32(third) - 0x80) }
    if second == 0x81, (0xA6...0xA9).contains(third) { return Unicode.Scalar(0x2040 + UInt32(third) - 0x80) }
    return nil
  }
}
