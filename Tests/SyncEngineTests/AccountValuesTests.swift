import Foundation
import Testing

@testable import SyncDirectory
@testable import SyncModel

/// An account's ten values kept in one buffer read back, compare, change
/// and code exactly as the ten strings they replaced.
@Suite struct AccountValuesTests {
  /// In column order: first, middle, last name, email, custom_id, school,
  /// user type, position, grade, status.
  private static let sample = [
    "Zoë", "", "O'Brien", "zoe@district.org", "S-1", "0042", "Student", "", "7", "Active",
  ]

  /// Values as bytes, as planning lends them (one buffer, each value a slice).
  private func fromBytes(_ values: [[UInt8]]) -> AccountValues {
    let joined = values.flatMap { $0 }
    var starts = [0]
    for value in values { starts.append(starts.last! + value.count) }
    return joined.withUnsafeBufferPointer { all in
      AccountValues(bytes: { UnsafeBufferPointer(rebasing: all[starts[$0.rawValue]..<starts[$0.rawValue + 1]]) })
    }
  }

  @Test func valuesReadBackAsGiven() {
    let values = AccountValues(values: Self.sample)
    #expect(values.values == Self.sample)
    for column in ExportColumn.allCases {
      #expect(values[column] == Self.sample[column.rawValue])
      #expect(values.isEmpty(column) == Self.sample[column.rawValue].isEmpty)
      values.withBytes(column) { #expect(Array($0) == Array(Self.sample[column.rawValue].utf8)) }
    }
  }

  @Test func bytesMakeTheSameValuesAsStrings() {
    let fromStrings = AccountValues(values: Self.sample)
    let made = fromBytes(Self.sample.map { Array($0.utf8) })
    #expect(made == fromStrings)
    #expect(made.values == Self.sample)
  }

  /// Ill-formed UTF-8 (a lone continuation byte, a truncated sequence) is
  /// kept as `String(decoding:as:)` repairs it: the bytes lent (what SQLite
  /// is given) are the repaired ones, not the raw ones.
  @Test func illFormedBytesAreRepairedAsStringsRepairThem() {
    var bytes = Self.sample.map { Array($0.utf8) }
    bytes[ExportColumn.firstName.rawValue] = [0x5A, 0x80, 0x6F]
    bytes[ExportColumn.lastName.rawValue] = [0x4F, 0xE2, 0x82]
    let made = fromBytes(bytes)
    let firstName = String(decoding: [0x5A, 0x80, 0x6F] as [UInt8], as: UTF8.self)
    let lastName = String(decoding: [0x4F, 0xE2, 0x82] as [UInt8], as: UTF8.self)
    #expect(firstName.contains("\u{FFFD}"))
    made.withBytes(.firstName) { #expect(Array($0) == Array(firstName.utf8)) }
    made.withBytes(.lastName) { #expect(Array($0) == Array(lastName.utf8)) }
    made.withBytes(.email) { #expect(Array($0) == Array("zoe@district.org".utf8)) }
    #expect(made[.firstName] == firstName)
  }

  /// The values are checked as one run of bytes when that run is ASCII;
  /// otherwise each on its own: an "é" split between two values is valid
  /// UTF-8 only when they are read together, and each half is repaired.
  @Test func aSequenceSplitBetweenTwoValuesIsRepairedInEach() {
    var bytes = Self.sample.map { Array($0.utf8) }
    bytes[ExportColumn.firstName.rawValue] = [0x4A, 0xC3]
    bytes[ExportColumn.middleName.rawValue] = [0xA9, 0x6F]
    let made = fromBytes(bytes)
    #expect(made[.firstName] == String(decoding: [0x4A, 0xC3] as [UInt8], as: UTF8.self))
    #expect(made[.middleName] == String(decoding: [0xA9, 0x6F] as [UInt8], as: UTF8.self))
    #expect(made[.firstName].hasSuffix("\u{FFFD}") && made[.middleName].hasPrefix("\u{FFFD}"))
    made.withBytes(.firstName) { #expect(Array($0) == Array("J\u{FFFD}".utf8)) }
    #expect(made.values.enumerated().allSatisfy { $0.offset < 2 || $0.element == Self.sample[$0.offset] })
  }

  @Test func settingOneValueChangesOnlyThatOne() {
    var values = AccountValues(values: Self.sample)
    let before = values
    values[.status] = "Disabled"
    values[.customID] = ""
    values[.middleName] = "a much longer middle name than before"
    var expected = Self.sample
    expected[ExportColumn.status.rawValue] = "Disabled"
    expected[ExportColumn.customID.rawValue] = ""
    expected[ExportColumn.middleName.rawValue] = "a much longer middle name than before"
    #expect(values.values == expected)
    #expect(before.values == Self.sample)
    #expect(values.differences(from: before) == [.middleName, .customID, .status])
    values.values = Self.sample
    #expect(values == before)
  }

  /// Strings compare by canonical equivalence: a precomposed é and e with a
  /// combining accent are the same value, as they were when each value was
  /// a String, though their bytes differ.
  @Test func canonicallyEquivalentValuesAreEqual() {
    var precomposed = Self.sample
    precomposed[ExportColumn.firstName.rawValue] = "Zo\u{E9}"
    var decomposed = Self.sample
    decomposed[ExportColumn.firstName.rawValue] = "Zoe\u{301}"
    let lhs = AccountValues(values: precomposed)
    let rhs = AccountValues(values: decomposed)
    #expect(lhs == rhs)
    #expect(lhs.differences(from: rhs).isEmpty)
    var other = decomposed
    other[ExportColumn.grade.rawValue] = "8"
    #expect(AccountValues(values: other) != lhs)
    #expect(AccountValues(values: other).differences(from: lhs) == [.grade])
  }

  @Test func codedAsTenStrings() throws {
    let values = AccountValues(values: Self.sample)
    let data = try JSONEncoder().encode(values)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String]])
    #expect(object == ["values": Self.sample])
    #expect(try JSONDecoder().decode(AccountValues.self, from: data) == values)
    let short = try JSONEncoder().encode(["values": ["one", "two"]])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(AccountValues.self, from: short) }
  }
}
