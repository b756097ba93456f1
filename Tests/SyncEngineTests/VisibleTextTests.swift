import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

private let header =
  "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"

private func validate(_ rows: [String], name: String = "test.csv") throws -> ValidationResult {
  try ExportValidator.validate(
    source: MemoryByteSource(([header] + rows).joined(separator: "\n") + "\n"), name: name,
    options: ValidationOptions())
}

/// Whether the text holds a character a terminal would obey or that would
/// reorder the line, other than the line breaks given.
private func holdsRawControl(_ text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
  text.unicodeScalars.contains { VisibleText.isEscaped($0) && !allowed.contains($0) }
}

@Suite struct VisibleTextTests {
  @Test func controlAndBidiCharactersAreWrittenVisibly() {
    #expect(VisibleText.escaped("a\u{1B}[2Jb\u{07}") == "a<U+001B>[2Jb<U+0007>")
    #expect(VisibleText.escaped("x\u{9B}31m\u{7F}") == "x<U+009B>31m<U+007F>")
    #expect(VisibleText.escaped("gpj\u{202E}.exe") == "gpj<U+202E>.exe")
    #expect(VisibleText.escaped("\u{202A}\u{202B}\u{202C}\u{202D}") == "<U+202A><U+202B><U+202C><U+202D>")
    #expect(VisibleText.escaped("\u{2066}\u{2067}\u{2068}\u{2069}") == "<U+2066><U+2067><U+2068><U+2069>")
    #expect(VisibleText.escaped("a\nb\r\tc\0") == "a\\nb\\r\\tc<U+0000>")
    #expect(VisibleText.escapedKeepingLines("a\u{1B}\nb\r\n") == "a<U+001B>\nb\\r\n")
  }

  @Test func ordinaryTextAndDirectionMarksAreKept() {
    for text in ["", "Zoë Ñúñez", "李小龙", "שָׁלוֹם\u{200F}", "\u{200E}abc", "a\u{2028}b", "€ – “x” \u{A0}é", "🙂"] {
      #expect(VisibleText.escaped(text) == text)
    }
    // U+0080–U+009F end at C2 9F; C2 A0 (no-break space) is ordinary text.
    #expect(VisibleText.escaped("\u{80}\u{9F}\u{A0}") == "<U+0080><U+009F>\u{A0}")
    // Right next to the bidi ranges: U+2029, U+202F, U+2065, U+206A are kept.
    #expect(VisibleText.escaped("\u{202F}\u{2065}\u{206A}") == "\u{202F}\u{2065}\u{206A}")
  }

  @Test func escapingTwiceChangesNothing() {
    let once = VisibleText.escapedKeepingLines("\u{1B}]0;title\u{07}\u{9B}\u{202E}x\n")
    #expect(VisibleText.escapedKeepingLines(once) == once)
    #expect(!holdsRawControl(once, allowing: ["\n"]))
  }

  @Test func everyScalarUpToU3000IsEscapedExactlyWhenItShouldBe() {
    for value in UInt32(0)..<0x3000 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let escaped = VisibleText.escaped(String(scalar))
      let expected =
        value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
        || (0x2066...0x2069).contains(value)
      #expect(VisibleText.isEscaped(scalar) == expected, "U+\(String(value, radix: 16))")
      #expect((escaped != String(scalar)) == expected, "U+\(String(value, radix: 16))")
    }
  }

  @Test func jsonWritesC1AndBidiControlsAsUnicodeEscapes() throws {
    var json = JSONWriter()
    json.beginObject()
    json.field("v", "a\u{9B}b\u{202E}c\u{2066}d\u{7F}e\u{200F}f")
    json.endObject()
    #expect(json.output == #"{"v":"a\u009bb\u202ec\u2066d\u007fe"# + "\u{200F}" + #"f"}"#)
    let decoded = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: String]
    #expect(decoded?["v"] == "a\u{9B}b\u{202E}c\u{2066}d\u{7F}e\u{200F}f")
  }

  // MARK: Values

  @Test func aC1ControlInAValueIsAnError() throws {
    let result = try validate(["Ana\u{9B}31m,,Ruiz,ana@x.org,1,S,Student,,1,Active"])
    let finding = try #require(result.findings.first { $0.code == .controlCharacter })
    #expect(finding.severity == .error)
    #expect(finding.line == 2 && finding.column == "first_name")
    #expect(finding.message == "first_name contains the control character U+009B")
    #expect(result.rowsWithErrors == 1)
  }

  @Test func aBidiOverrideInAValueIsAWarning() throws {
    let result = try validate(["Ana,,Ruiz\u{202E}xe.,ana@x.org,1,S,Student,,1,Active"])
    let finding = try #require(result.findings.first { $0.code == .bidiControl })
    #expect(finding.code.id == "W018")
    #expect(finding.severity == .warning)
    #expect(finding.line == 2 && finding.column == "last_name")
    #expect(finding.message.contains("U+202E"))
    #expect(Set(result.findings.map(\.code)) == [.bidiControl, .directoryChecksSkipped])
    #expect(result.rowsWithErrors == 0)
    let isolate = try validate(["\u{2067}Ana\u{2069},,Ruiz,ana@x.org,1,S,Student,,1,Active"])
    #expect(Set(isolate.findings.map(\.code)) == [.bidiControl, .directoryChecksSkipped])
    #expect(isolate.rowsWithErrors == 0)
  }

  @Test func directionMarksInHebrewAndArabicNamesAreValid() throws {
    let result = try validate([
      "שרה\u{200F},,כהן,sara@x.org,1,S,Student,,1,Active",
      "\u{200E}Ana,,\u{200F}Ruiz,ana@x.org,2,S,Student,,1,Active",
      "مريم\u{200F},,العلي,maryam@x.org,3,S,Student,,1,Active",
    ])
    #expect(result.findings.map(\.code) == [.directoryChecksSkipped])
    #expect(result.rowsWithErrors == 0)
    #expect(result.validRowCount == 3)
  }

  // MARK: Reports

  @Test func textAndCSVReportsHoldNoRawControlCharacters() throws {
    let result = try validate(
      [
        "Ana\u{9B}31m,,Ruiz,ana@x.org,1,S,Student,,1,Active",
        "Bo\u{202E}x,,Li,bo@x.org,2,S,Student,,1,Active",
        "Cy,,Wu,cy@x.org,3\u{1B}[2J,S,Student,,1,Active",
      ], name: "ex\u{1B}]0;pwned\u{07}port.csv")
    let text = ValidationReport.text(result)
    #expect(!holdsRawControl(text, allowing: ["\n"]))
    #expect(text.contains("ex<U+001B>]0;pwned<U+0007>port.csv"))
    #expect(text.contains("Ana<U+009B>31m"))
    #expect(text.contains("Bo<U+202E>x"))
    let csv = ValidationReport.csv(result)
    #expect(!holdsRawControl(csv, allowing: ["\r", "\n"]))
    #expect(csv.contains("3<U+001B>[2J"))
  }
}
