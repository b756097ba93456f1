import CNcurses
import Testing
import TextScreen

extension CursesSuite {
  /// TextScreen lays out columns with `DisplayWidth`; the terminal with the
  /// C library's `wcwidth`. They must agree, or columns drift.
  @Test(
    arguments: [
      "a", "Z", "~", "é", "ñ", "ø", "\u{301}", "\u{308}", "王", "明", "김", "힣", "ア", "Ａ", "ｚ", "Д", "я", "ạ", "ễ",
      "ب", "\u{64E}", "😀", "\u{200B}", "\u{1161}", "\u{D7B0}", "·", "€", "—",
    ] as [Unicode.Scalar])
  func displayWidthAgreesWithWcwidth(_ scalar: Unicode.Scalar) {
    #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
    let expected = Int(wcwidth(wchar_t(bitPattern: scalar.value)))
    #expect(DisplayWidth.of(scalar) == expected, "U+\(String(scalar.value, radix: 16, uppercase: true))")
  }

  @Test func displayWidthOfNamesMatchesTheSumOfWcwidth() {
    #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
    for name in ["Rene\u{301}e", "王小明", "김민준", "Ｚｏｅ", "Nguyễn Thị Hạnh", "Ольга", "محمد"] {
      let columns = name.unicodeScalars.reduce(0) { $0 + Int(wcwidth(wchar_t(bitPattern: $1.value))) }
      #expect(DisplayWidth.of(name) == columns, "\(name)")
    }
  }
}
