import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

private let header =
  "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"

private func validate(
  _ rows: [String], directory: (any DirectoryLookup)? = nil, keepsRows: Bool = true
) throws -> ValidationResult {
  try ExportValidator.validate(
    source: MemoryByteSource(([header] + rows).joined(separator: "\n") + "\n"), name: "test.csv",
    options: ValidationOptions(directory: directory, keepsRows: keepsRows))
}

@Suite struct ValidatorTests {
  @Test func directoryChecksNameUnknownBuildingsWithSuggestions() throws {
    let directory = KnownOrganizations(organizationExternalIDs: ["0042", "HS-01", "DIST"])
    let result = try validate(
      [
        "A,,B,a@x.org,1,42,Student,,1,Active",
        "C,,D,c@x.org,2,HS-1,Student,,1,Active",
        "E,,F,e@x.org,3,ZZZ,Student,,1,Active",
        "G,,H,g@x.org,4,HS-01,Student,,1,Active",
      ], directory: directory)
    let unknown = result.findings.filter { $0.code == .unknownOrganization }
    #expect(unknown.map(\.line) == [2, 3, 4])
    #expect(unknown.map(\.suggestedValue) == ["0042", "HS-01", nil])
    #expect(unknown[0].suggestion?.contains("leading zeros") == true)
    #expect(result.directoryChecked)
    #expect(!result.findings.contains { $0.code == .directoryChecksSkipped })
    #expect(result.rowsWithErrors == 3)
  }

  @Test func withoutDirectoryTheChecksAreSkippedAndSaidSo() throws {
    let result = try validate(["A,,B,a@x.org,1,ZZZ,Student,,1,Active"])
    #expect(result.findings.map(\.code) == [.directoryChecksSkipped])
    #expect(!result.directoryChecked)
  }

  @Test func duplicatesNameEveryLineInvolved() throws {
    let result = try validate(
      [
        "A,,B,a@x.org,7,S,Student,,1,Active",
        "C,,D,c@x.org,7,S,Student,,1,Active",
        "E,,F,A@X.ORG,8,S,Student,,1,Active",
        "G,,H,g@x.org,7,S,Student,,1,Active",
      ])
    let ids = result.findings.filter { $0.code == .duplicateCustomID }
    #expect(ids.map(\.line) == [2, 3, 5])
    #expect(ids[0].relatedLines == [3, 5])
    #expect(ids[2].message == "the same custom_id is on lines 2, 3, 5")
    let emails = result.findings.filter { $0.code == .duplicateEmail }
    #expect(emails.map(\.line) == [2, 4])
    #expect(emails.map(\.value) == ["a@x.org", "A@X.ORG"])
    #expect(result.rowsWithErrors == 4)
    let table = try #require(result.table)
    #expect((0..<4).allSatisfy { table.hasError(row: $0) })
  }

  @Test func enumsAreNormalisedWithAWarningAndGradesFollowUserType() throws {
    let result = try validate(
      [
        "A,,B,a@x.org,1,S,student,,,active",
        "C,,D,c@x.org,2,S,Teacher,\"Teacher, Math\",7,Active",
        "E,,F,e@x.org,3,S,Student,Coach,k,Disabled",
      ])
    #expect(result.count(.error) == 0)
    let table = try #require(result.table)
    #expect(table.value(row: 0, column: .userType) == "Student")
    #expect(table.value(row: 0, column: .status) == "Active")
    #expect(table.value(row: 0, column: .grade) == "Unspecified")
    #expect(table.value(row: 1, column: .grade) == "")
    #expect(table.value(row: 1, column: .position) == "Teacher, Math")
    #expect(table.value(row: 2, column: .grade) == "K")
    #expect(table.value(row: 2, column: .position) == "")
    #expect(result.findings.filter { $0.code == .caseNormalised }.map(\.line) == [2, 2, 4])
    let ignored = result.findings.filter { $0.code == .ignoredValue }
    #expect(ignored.map(\.column) == ["grade", "position"])
  }

  @Test func invalidValuesGetSuggestions() throws {
    let result = try validate(
      [
        "A,,B,ana @x.org,1,S,Techer,,,Active",
        "C,,D,c@x.org,2,S,Student,,09,Inactive",
        "E,,F,e@x.org,3,S,Student,,KG,Active",
      ])
    func finding(_ code: FindingCode, _ line: Int) -> Finding? {
      result.findings.first { $0.code == code && $0.line == line }
    }
    #expect(finding(.invalidEmail, 2)?.suggestedValue == "ana@x.org")
    #expect(finding(.invalidUserType, 2)?.suggestedValue == "Teacher")
    #expect(finding(.invalidGrade, 3)?.suggestedValue == "9")
    #expect(finding(.invalidStatus, 3)?.suggestedValue == "Disabled")
    #expect(finding(.invalidGrade, 4)?.suggestedValue == "K")
    #expect(finding(.invalidGrade, 4)?.suggestion?.contains("[grade] value KG = K") == true)
  }

  /// Reading order: file-level findings first, then by line and field;
  /// findings of one line and field stay as found, and each keeps its own
  /// values (they are moved into place, not rebuilt).
  @Test func findingsArePutInReadingOrderStably() {
    func finding(_ line: Int?, _ field: Int?, _ message: String) -> Finding {
      Finding(code: .invalidEmail, line: line, field: field, value: message, message: message, relatedLines: [7])
    }
    var findings = [
      finding(5, 2, "d"), finding(3, nil, "b"), finding(5, 1, "c"), finding(nil, nil, "a"), finding(5, 2, "e"),
      finding(3, nil, "b2"),
    ]
    findings.putInReadingOrder()
    #expect(findings.map(\.message) == ["a", "b", "b2", "c", "d", "e"])
    #expect(findings.map(\.value) == ["a", "b", "b2", "c", "d", "e"])
    #expect(findings.allSatisfy { $0.relatedLines == [7] && $0.code == .invalidEmail })
  }

  @Test func aRepeatedBadValueIsAdvisedAlikeOnEveryRowAndInItsOwnColumn() throws {
    // The advice is worked out once per column and value, then reused.
    let result = try validate((0..<30).map { "A\($0),,B,a\($0)@x.org,\($0),S,Techer,,,Techer" })
    let types = result.findings.filter { $0.code == .invalidUserType }
    let statuses = result.findings.filter { $0.code == .invalidStatus }
    #expect(types.map(\.line) == Array(2...31) && statuses.map(\.line) == Array(2...31))
    #expect(types.allSatisfy { $0.suggestedValue == "Teacher" && $0.suggestion == types[0].suggestion })
    #expect(types[0].suggestion?.contains("[user_type] value Techer = Teacher") == true)
    // The same spelling in another column gets that column's advice.
    #expect(statuses.allSatisfy { $0.suggestedValue == nil && $0.suggestion == "use one of Active, Disabled" })
  }

  @Test func windows1252BytesAreDecodedNotDropped() throws {
    let bytes = Array((header + "\nJos").utf8) + [0xE9] + Array(",,M\u{00FC}ller,j@x.org,1,S,Student,,1,Active\n".utf8)
    let result = try ExportValidator.validate(
      source: MemoryByteSource(bytes), name: "t.csv", options: ValidationOptions(keepsRows: true))
    let warning = try #require(result.findings.first { $0.code == .windows1252 })
    #expect(warning.line == 2)
    #expect(warning.column == "first_name")
    #expect(warning.value == "José")
    #expect(result.table?.value(row: 0, column: .firstName) == "José")
    #expect(result.table?.value(row: 0, column: .lastName) == "Müller")
    #expect(result.count(.error) == 0)
  }

  /// In a line that is not plain text (a non-ASCII name), each value is
  /// looked at on its own: the plain ones still get the length rule, the
  /// others the control-character rule, each finding on its column.
  @Test func aNonPlainLineChecksEachValueOnItsOwn() throws {
    let longID = String(repeating: "1", count: 65)
    let result = try validate([
      "José,,Brown,jose@x.org,\(longID),S,Student,,6,Active",
      "Ana,Zoë,Br\u{1}own,ana@x.org,2,S,Student,,6,Active",
      "Ana,Zoë,Brown,ana3@x.org,3,S,Student,,\u{7}6,Active",
    ])
    let tooLong = result.findings.filter { $0.code == .valueTooLong }
    #expect(tooLong.map(\.line) == [2])
    #expect(tooLong.first?.column == "custom_id")
    let controls = result.findings.filter { $0.code == .controlCharacter }
    #expect(controls.map(\.line) == [3, 4])
    #expect(controls.map(\.column) == ["last_name", "grade"])
    #expect(result.rowsWithErrors == 3)
  }

  @Test func spreadsheetMangledIDsAreFlagged() throws {
    let result = try validate([
      "A,,B,a@x.org,1.23457E+11,S,Student,,1,Active", "C,,D,c@x.org,4567.0,S,Student,,1,Active",
    ])
    #expect(result.findings.filter { $0.code == .spreadsheetMangledID }.map(\.line) == [2, 3])
  }

  @Test func controlCharactersAndLengths() throws {
    let long = String(repeating: "é", count: 129)
    let result = try validate(["A\u{0}x,,B,a@x.org,1,S,Student,,1,Active", "\(long),,B,b@x.org,2,S,Student,,1,Active"])
    #expect(result.findings.first { $0.code == .controlCharacter }?.line == 2)
    #expect(result.findings.first { $0.code == .valueTooLong }?.message.contains("129 characters") == true)
  }

  @Test func binarySpreadsheetIsRecognised() throws {
    let result = try ExportValidator.validate(
      source: MemoryByteSource([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]), name: "roster.xlsx")
    #expect(result.findings.map(\.code) == [.notCSVText])
    #expect(result.findings[0].message.contains("Excel workbook"))
    #expect(!result.isUsable)
  }

  /// Compressed or image data need not hold a NUL byte; its other control
  /// bytes give it away. (It used to be read as a CSV whose header was
  /// "separated by tabs", and counted rows as valid.)
  @Test func binaryDataWithoutNULBytesIsNotCSVText() throws {
    var state: UInt64 = 0x5EED
    var bytes: [UInt8] = Array("PK\u{7}\t".utf8)
    while bytes.count < 3_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes.append(UInt8(truncatingIfNeeded: state >> 56) | 1)  // never NUL
    }
    let result = try ExportValidator.validate(source: MemoryByteSource(bytes), name: "roster.csv.gz")
    #expect(result.findings.map(\.code) == [.notCSVText])
    #expect(result.findings.first?.message.contains("binary data") == true)
    #expect(!result.isUsable && result.validRowCount == 0)
  }

  /// A real tab-separated export is text, not binary: it keeps the hint
  /// that says how to save it (tabs are control bytes, but every line has them).
  @Test func aTabSeparatedExportIsToldItsSeparatorNotCalledBinary() throws {
    let lines =
      [ExportColumn.allCases.map(\.header).joined(separator: "\t")]
      + (1...60).map { "Ann\t\tLee\tann\($0)@x.org\t\($0)\tS1\tStudent\t\t3\tActive" }
    let result = try ExportValidator.validate(
      source: MemoryByteSource(Array((lines.joined(separator: "\n") + "\n").utf8)), name: "export.txt")
    #expect(!result.findings.contains { $0.code == .notCSVText })
    let missing = result.findings.filter { $0.code == .missingHeader }
    #expect(!missing.isEmpty)
    #expect(missing.allSatisfy { $0.suggestion?.contains("separated by tabs, not ','") == true })
    #expect(result.validRowCount == 0)
  }

  @Test func aUsableFileWithAStrayControlByteIsStillCSV() throws {
    let result = try validate(["A\u{1}x,,B,a@x.org,1,S,Student,,1,Active", "C,,D,c@x.org,2,S,Student,,1,Active"])
    #expect(result.isUsable)
    #expect(result.findings.contains { $0.code == .controlCharacter && $0.line == 2 })
    #expect(result.validRowCount == 1)
  }
}

@Suite struct ReportTests {
  @Test func jsonEscapesEverythingAScriptCouldChokeOn() throws {
    var json = JSONWriter()
    json.beginObject()
    json.field("v", "a\"b\\c\nd\u{1}e\u{2028}王")
    json.field("n", nil as Int?)
    json.endObject()
    #expect(json.output == #"{"v":"a\"b\\c\nd\u0001e\u2028王","n":null}"#)
  }

  @Test func textReportGroupsByCodeAndCapsEachGroup() throws {
    let rows = (0..<30).map { "A,,B,bad\($0),\($0),S,Student,,1,Active" }
    let result = try validate(rows, keepsRows: false)
    let text = ValidationReport.text(result, perCode: 5)
    #expect(text.contains("E021 The email address is not valid (30)"))
    #expect(text.contains("… and 25 more (lines 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, …)"))
    #expect(text.hasPrefix("test.csv: 30 rows, 30 with errors, 0 valid\n30 errors, 0 warnings, 1 note\n"))
  }

  @Test func csvQuotesAndNeutralisesFormulas() {
    #expect(csvField("a,b") == "\"a,b\"")
    #expect(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(ValidationReport.spreadsheetSafe("=1+1") == "'=1+1")
    #expect(ValidationReport.spreadsheetSafe("@SUM") == "'@SUM")
    #expect(ValidationReport.spreadsheetSafe("Ana") == "Ana")
  }
}

@Suite struct TextDecodingTests {
  /// The eight-bytes-at-a-time classification must agree with a plain
  /// byte loop on every input.
  @Test func classifyAgreesWithAByteLoop() {
    var state: UInt64 = 42
    for length in 0..<64 {
      for _ in 0..<200 {
        let bytes = (0..<length).map { _ -> UInt8 in
          state = state &* 6_364_136_223_846_793_005 &+ 1
          let roll = Int(state >> 58)
          // Mostly printable ASCII, sometimes controls, DEL or high bytes.
          switch roll {
          case 0: return UInt8(truncatingIfNeeded: state >> 40) & 0x1F
          case 1: return 0x7F
          case 2: return 0x80 | UInt8(truncatingIfNeeded: state >> 40)
          default: return 0x20 + UInt8(truncatingIfNeeded: state >> 40) % 0x5F
          }
        }
        let classes = bytes.withUnsafeBufferPointer { TextDecoding.classify($0) }
        #expect(classes.hasNonASCII == bytes.contains { $0 >= 0x80 })
        #expect(classes.hasControl == bytes.contains { $0 < 0x20 || $0 == 0x7F })
      }
    }
  }

  /// The byte-table UTF-8 check says what the standard library's decoder
  /// says, on every lead byte followed by every second byte and on random
  /// runs of lead, continuation and ASCII bytes (well and ill formed).
  @Test func utf8CheckAgreesWithTheStandardDecoder() {
    func decoderSays(_ bytes: [UInt8]) -> Bool {
      var iterator = bytes.makeIterator()
      var decoder = UTF8()
      while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
      }
    }
    func check(_ bytes: [UInt8]) {
      let checked = bytes.withUnsafeBufferPointer { TextDecoding.isValidUTF8($0) }
      #expect(checked == decoderSays(bytes), "bytes \(bytes)")
    }
    for lead in UInt8(0x80)...0xFF {
      for second in UInt8(0)...0xFF {
        check([0x61, lead, second])
        check([lead, second, 0x80, 0x80])
        check([lead, second, 0xBF, 0xBF, 0x41])
      }
    }
    var state: UInt64 = 7
    let pieces: [[UInt8]] = [
      [0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
      [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xBF], [0xC3], [0xF0, 0x9F], [0xFF], [0x7F],
    ]
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int(state >> 61) + 1 {
        state = state &* 6_364_136_223_846_793_005 &+ 1
        bytes += pieces[Int(state >> 33) % pieces.count]
      }
      check(bytes)
    }
  }
}

@Suite struct EmailRuleTests {
  @Test func localPartSetsMatchTheirCharacters() {
    let allowed = Set("!#$%&'*+-./0123456789=?ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~".utf8)
    for byte in UInt8(0)..<128 {
      let inSet =
        byte < 64
        ? (ValueRules.localPartLow >> UInt64(byte)) & 1 == 1
        : (ValueRules.localPartHigh >> UInt64(byte - 64)) & 1 == 1
      #expect(inSet == allowed.contains(byte), "byte \(byte)")
    }
  }

  @Test(arguments: [
    ("ana@x.org", true), ("a.b+c@sub.school-1.k12.us", true), ("O'Brien@x.org", true),
    ("a@b", false), ("a..b@x.org", false), (".a@x.org", false), ("a.@x.org", false), ("a@-x.org", false),
    ("a@x-.org", false), ("a@x..org", false), ("a b@x.org", false), ("a@b@x.org", false), ("@x.org", false),
    ("josé@x.org", false), ("a@x.org.", false),
  ])
  func emailValidity(address: String, valid: Bool) {
    #expect(Array(address.utf8).withUnsafeBufferPointer { ValueRules.isValidEmail($0) } == valid)
  }
}

@Suite struct KeyHashTests {
  @Test func wordLowercasingAgreesWithAByteLoop() {
    var state: UInt64 = 7
    for _ in 0..<20_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let word = state
      var expected: UInt64 = 0
      for byte in 0..<8 {
        let value = UInt8(truncatingIfNeeded: word >> UInt64(byte * 8))
        expected |= UInt64(asciiLowercase(value)) << UInt64(byte * 8)
      }
      #expect(KeyHash.lowercasedASCII(word) == expected)
    }
  }

  @Test func foldedHashesIgnoreASCIICaseOnly() {
    func hash(_ text: String, fold: Bool) -> UInt32 {
      Array(text.utf8).withUnsafeBufferPointer { KeyHash.hash($0, foldingCase: fold) }
    }
    #expect(hash("Ana.Ruiz@School.ORG", fold: true) == hash("ana.ruiz@school.org", fold: true))
    #expect(hash("Ana.Ruiz@School.ORG", fold: false) != hash("ana.ruiz@school.org", fold: false))
    #expect(hash("ana@x.org", fold: true) != hash("anb@x.org", fold: true))
  }

  /// The hash as first written (whole words, then the last bytes one by
  /// one): the last-word load must give the same value for every length,
  /// wherever the key lies (the directory's key index stores hashes).
  @Test func lastWordLoadKeepsTheHashOfTheByteLoop() {
    func reference(_ key: UnsafeBufferPointer<UInt8>, fold: Bool) -> UInt32 {
      let raw = UnsafeRawPointer(key.baseAddress!)
      var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
      var index = 0
      while index + 8 <= key.count {
        var word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        if fold { word = KeyHash.lowercasedASCII(word) }
        hash = KeyHash.mix(hash ^ word)
        index += 8
      }
      if index < key.count {
        var word: UInt64 = 0
        var shift: UInt64 = 0
        while index < key.count {
          word |= UInt64(fold ? asciiLowercase(key[index]) : key[index]) << shift
          shift += 8
          index += 1
        }
        hash = KeyHash.mix(hash ^ word)
      }
      return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }
    let text = Array("xQ@Ana.Ruiz@School.ORG.k12.example.ORG.é-Z".utf8)
    text.withUnsafeBufferPointer { whole in
      for start in 0..<3 {
        for end in (start + 1)...whole.count {
          let key = UnsafeBufferPointer(rebasing: whole[start..<end])
          for fold in [false, true] { #expect(KeyHash.hash(key, foldingCase: fold) == reference(key, fold: fold)) }
        }
      }
    }
  }
}

@Suite struct RadixSortTests {
  /// Entries ordered by hash (the high 32 bits), equal hashes in entry
  /// order: as a stable sort, whether the hashes differ in every digit or
  /// share some (those passes are skipped), or are all the same.
  @Test(arguments: [0xFFFF_FFFF, 0x0000_03FF, 0xFFC0_0000, 0xFF00_00FF, 0x0000_0000] as [UInt32])
  func sortsLikeAStableSortOnTheHash(hashBits: UInt32) {
    var state: UInt64 = 11
    let hashes: [UInt32] = (0..<5_000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt32(truncatingIfNeeded: state >> 20) & hashBits
    }
    let expected = hashes.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
      .map { UInt64($0.element) << 32 | UInt64($0.offset) }
    #expect(hashes.withUnsafeBufferPointer(entriesSortedByHash) == expected)
    let few: [UInt32] = [5, 3]
    #expect(few.withUnsafeBufferPointer(entriesSortedByHash) == [3 << 32 | 1, 5 << 32 | 0])
    #expect([UInt32]().withUnsafeBufferPointer(entriesSortedByHash).isEmpty)
  }
}

@Suite struct EditDistanceTests {
  @Test(arguments: [
    ("HS-01", "HS-1", true), ("HS-01", "HS-02", true), ("HS-01", "HS-012", true), ("0042", "0042", false),
    ("0042", "042", true), ("0042", "4200", false), ("abc", "xyz", false), ("", "a", true), ("ab", "ba", false),
  ])
  func oneEditAwayAgreesWithTheEditDistance(lhs: String, rhs: String, expected: Bool) {
    #expect(isOneEditAway(lhs, rhs) == expected)
    #expect((editDistance(lhs, rhs) == 1) == expected)
  }
}
