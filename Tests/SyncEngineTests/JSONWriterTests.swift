import Foundation
import Testing

@testable import SyncModel

/// The JSON writer works on bytes (eight at a time where it can): its output
/// must be exactly what the escaping rules say, wherever in a value the
/// character to escape falls, and integers exact to their extremes.
@Suite struct JSONWriterTests {
  /// The rules of `JSONWriter.appendString`, one scalar at a time.
  private func expectedJSON(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{202A}"..."\u{202E}",
        "\u{2066}"..."\u{2069}":
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  private func written(_ value: String) -> String {
    var json = JSONWriter()
    json.string(value)
    return json.output
  }

  /// Keys written in the code are copied as they are; keys made at run
  /// time are escaped: both make the same object as a JSON parser reads it.
  @Test func staticAndRunTimeKeysWriteTheSameMembers() throws {
    var json = JSONWriter()
    json.beginObject()
    json.field("custom_id", "S-1")
    json.key(ExportColumn.schoolExternalID)
    json.number(7)
    json.field("made \"at\" run time" + String(1), true)
    json.key("")
    json.string(nil)
    json.endObject()
    #expect(
      json.output
        == #"{"custom_id":"S-1","school_district_external_id":7,"made \"at\" run time1":true,"":null}"#)
    let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    #expect(parsed?["school_district_external_id"] as? Int == 7)
  }

  @Test func everyColumnsKeyIsItsHeader() {
    for column in ExportColumn.allCases {
      var json = JSONWriter()
      json.beginObject()
      json.key(column)
      json.bool(true)
      json.endObject()
      #expect(json.output == "{\"\(column.header)\":true}")
    }
  }

  @Test func everyEscapeIsExactAtEveryPositionOfAValue() throws {
    let specials = [
      "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "é",
      "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{2027}", "\u{200F}", "中", "😀",
    ]
    for special in specials {
      for length in [0, 1, 7, 8, 9, 15, 16, 17, 24] {
        for position in 0...length {
          let plain = String(repeating: "a", count: length)
          let value = String(plain.prefix(position)) + special + String(plain.dropFirst(position))
          #expect(written(value) == expectedJSON(value), "\(special.unicodeScalars.map(\.value)) at \(position)")
        }
      }
    }
  }

  @Test func plainValuesAndRunsOfSpecialsAreExact() throws {
    let values = [
      "", "a", "abcdefgh", "Nguyễn Thị Minh Khai, \"Ana\" \\ O'Brien\t#12", String(repeating: "\"", count: 20),
      String(repeating: "Ж\u{85}", count: 9), "ends with a quote\"", "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{9}",
    ]
    for value in values { #expect(written(value) == expectedJSON(value)) }
    // Read back, every value is the one written.
    let decoded = try JSONSerialization.jsonObject(
      with: Data(("[" + values.map(written).joined(separator: ",") + "]").utf8))
    #expect(decoded as? [String] == values)
  }

  @Test func integersAreExactToTheirExtremes() {
    for value in [0, 1, -1, 9, 10, 99, 100, -100, 1_000_000_000_000_000_000, Int.max, Int.min, Int.max - 1] {
      var json = JSONWriter()
      json.number(value)
      #expect(json.output == String(value))
    }
  }

  @Test func membersAndNestingGetTheirCommas() {
    var json = JSONWriter()
    json.beginObject()
    json.field("a", 1)
    json.field("b", nil as String?)
    json.key("c")
    json.beginArray()
    json.number(1)
    json.beginObject()
    json.endObject()
    json.beginArray()
    json.endArray()
    json.bool(false)
    json.endArray()
    json.field("d", true)
    json.key("e")
    json.rawValue("{\"x\":[1]}")
    json.endObject()
    json.newline()
    #expect(json.output == #"{"a":1,"b":null,"c":[1,{},[],false],"d":true,"e":{"x":[1]}}"# + "\n")
  }

  @Test func aReportStreamedInPiecesIsTheSameBytes() {
    var whole = JSONWriter()
    var streamed = JSONWriter()
    var pieces: [UInt8] = []
    for writer in [0, 1] {
      for index in 0..<5_000 {
        if writer == 0 {
          whole.field("k\(index)", "value \(index) \"quoted\"")
        } else {
          streamed.field("k\(index)", "value \(index) \"quoted\"")
          if index % 97 == 0 { streamed.flush { pieces += $0 } }
        }
      }
    }
    streamed.flush { pieces += $0 }
    #expect(String(decoding: pieces, as: UTF8.self) == whole.output)
  }

  /// Much written before a flush (a core's part of a plan's changes) is
  /// handed on in pieces no larger than `flushPiece`, the same bytes.
  @Test func aLargeFlushIsHandedOnInBoundedPieces() {
    var whole = JSONWriter()
    var streamed = JSONWriter()
    for index in 0..<20_000 {
      whole.field("key \(index)", "a value of some length, number \(index)")
      streamed.field("key \(index)", "a value of some length, number \(index)")
    }
    var pieces: [[UInt8]] = []
    streamed.flush { pieces.append($0) }
    #expect(pieces.count > 10)
    #expect(pieces.allSatisfy { !$0.isEmpty && $0.count <= JSONWriter.flushPiece })
    #expect(String(decoding: pieces.joined(), as: UTF8.self) == whole.output)
    #expect(streamed.pendingByteCount == 0)
  }
}
