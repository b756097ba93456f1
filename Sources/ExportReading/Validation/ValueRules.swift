import Foundation
import SyncModel

/// Checks on single values, done on bytes so that valid rows cost no strings.
package enum ValueRules {
  /// A plain address: `local@domain.tld`, ASCII, with the characters of
  /// RFC 5322's dot-atom in the local part and hostname labels in the domain.
  package static func isValidEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if let verdict = EmailWords.verdict(bytes) { return verdict }
    return isValidEmailByteByByte(bytes)
  }

  /// `isValidEmail` a byte at a time, for any address (`EmailWords` takes
  /// the common ones eight bytes at a time).
  static func isValidEmailByteByByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let dot = UInt8(ascii: ".")
    let hyphen = UInt8(ascii: "-")
    guard let base = bytes.baseAddress, bytes.count <= 254 else { return false }
    let count = bytes.count
    // One table load a byte (the bits of `emailByteClasses`).
    return emailByteClasses.withUnsafeBufferPointer { classes in
      // Local part, up to the first `@`: no leading, trailing or double dot.
      var at = 0
      var previous = dot
      while at < count {
        let byte = base[at]
        if classes[Int(byte)] & EmailByte.localPart == 0 {
          guard byte == UInt8(ascii: "@") else { return false }
          break
        }
        guard byte != dot || previous != dot else { return false }
        previous = byte
        at += 1
      }
      guard at < count, at > 0, at <= 64, previous != dot else { return false }
      // Domain: at least two labels of letters, digits and inner hyphens.
      var labels = 0
      var labelLength = 0
      var lastByte: UInt8 = 0
      var index = at + 1
      guard index < count else { return false }
      while index < count {
        let byte = base[index]
        let kind = classes[Int(byte)]
        if kind & EmailByte.alphanumeric != 0 {
          labelLength += 1
        } else if byte == dot {
          guard labelLength > 0, labelLength <= 63, lastByte != hyphen else { return false }
          labels += 1
          labelLength = 0
        } else {
          guard byte == hyphen, labelLength > 0 else { return false }
          labelLength += 1
        }
        lastByte = byte
        index += 1
      }
      // The end closes the last label as a dot would.
      guard labelLength > 0, labelLength <= 63, lastByte != hyphen else { return false }
      return labels + 1 >= 2
    }
  }

  /// Bits of `emailByteClasses`.
  private enum EmailByte {
    static let localPart: UInt8 = 1
    static let alphanumeric: UInt8 = 2
  }

  /// For each byte: whether it may appear in an email's local part (RFC
  /// 5322 dot-atom text) and whether it is an ASCII letter or digit.
  private static let emailByteClasses: [UInt8] = (0..<256).map { byte in
    let value = UInt8(byte)
    return (isLocalPartByte(value) ? EmailByte.localPart : 0) | (isAlphanumeric(value) ? EmailByte.alphanumeric : 0)
  }

  /// A repair for a common email mistake, if one is obvious and valid.
  static func repairedEmail(_ value: String) -> String? {
    var candidate = value.filter { !$0.isWhitespace }
    if candidate.lowercased().hasPrefix("mailto:") { candidate = String(candidate.dropFirst(7)) }
    while candidate.contains("@@") { candidate = candidate.replacingOccurrences(of: "@@", with: "@") }
    while candidate.contains("..") { candidate = candidate.replacingOccurrences(of: "..", with: ".") }
    if candidate.hasSuffix(".") { candidate.removeLast() }
    if candidate.hasSuffix(",") { candidate.removeLast() }
    candidate = candidate.replacingOccurrences(of: ",", with: ".")
    guard candidate != value else { return nil }
    let valid = Array(candidate.utf8).withUnsafeBufferPointer { isValidEmail($0) }
    return valid ? candidate : nil
  }

  /// True for IDs a spreadsheet has turned into a number: `1.23457E+11`,
  /// `123456.0`.
  package static func looksSpreadsheetMangled(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = bytes.first, isDigit(first) else { return false }
    if let exponent = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) {
      let mantissa = bytes[..<exponent]
      let rest = bytes[(exponent + 1)...]
      guard mantissa.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }),
        let sign = rest.first, sign == UInt8(ascii: "+"), rest.count > 1,
        rest.dropFirst().allSatisfy(isDigit)
      else { return false }
      return true
    }
    guard bytes.count > 2, bytes[bytes.count - 2] == UInt8(ascii: "."), bytes[bytes.count - 1] == UInt8(ascii: "0")
    else { return false }
    return bytes[..<(bytes.count - 2)].allSatisfy(isDigit)
  }

  /// The first control character allowed nowhere in `column`, if any: C0
  /// controls and DEL, and the C1 controls U+0080–U+009F (`C2 80`–`C2 9F`
  /// in UTF-8), which a terminal may obey (U+009B starts an escape
  /// sequence). Line breaks are allowed in names (with a warning) and
  /// positions; tabs only in positions. `bytes` is well-formed UTF-8.
  package static func forbiddenControlCharacter(
    in bytes: UnsafeBufferPointer<UInt8>, column: ExportColumn
  ) -> Unicode.Scalar? {
    for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x7F || byte == 0xC2 {
      switch (byte, column) {
      case (0x0A, .position), (0x0D, .position), (0x09, .position): continue
      case (0x0A, .firstName), (0x0A, .middleName), (0x0A, .lastName): continue
      case (0x0D, .firstName), (0x0D, .middleName), (0x0D, .lastName): continue
      case (0xC2, _):
        if index + 1 < bytes.count, bytes[index + 1] <= 0x9F { return Unicode.Scalar(bytes[index + 1]) }
      default: return Unicode.Scalar(byte)
      }
    }
    return nil
  }

  /// The first bidi embedding, override or isolate (U+202A–U+202E,
  /// U+2066–U+2069), if any: they make text display in another order than
  /// it is stored. The marks U+200E and U+200F are not among them.
  static func bidiControl(in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
    for (index, byte) in bytes.enumerated() where byte == 0xE2 && index + 2 < bytes.count {
      if let scalar = VisibleText.bidiControl(bytes[index + 1], bytes[index + 2]) { return scalar }
    }
    return nil
  }

  /// Length in Unicode scalars of well-formed UTF-8.
  static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
    return count
  }

  /// The canonical value an unknown enum value most likely means, if any:
  /// common SIS spellings, grades with leading zeros, and near-typos.
  static func suggestedVocabularyValue(_ value: String, column: ExportColumn) -> String? {
    let key = normalizedForMatching(value)
    if let synonym = synonyms[column]?[key] { return synonym }
    guard let allowed = Vocabulary.values(of: column) else { return nil }
    if column == .grade, let number = Int(value), (1...12).contains(number) { return String(number) }
    guard value.count > 2 else { return nil }
    return closestMatch(to: value, among: allowed)
  }

  private static let synonyms: [ExportColumn: [String: String]] = [
    .grade: [
      "kg": "K", "kindergarten": "K", "kinder": "K", "kf": "K", "00": "K",
      "pk": "PreK", "prek": "PreK", "prekindergarten": "PreK", "preschool": "PreK",
      "ug": "Unspecified", "ungraded": "Unspecified", "unspecified": "Unspecified",
      "13": "Other", "other": "Other",
    ],
    .status: [
      "inactive": "Disabled", "disable": "Disabled", "deactivated": "Disabled",
      "withdrawn": "Disabled", "suspended": "Disabled", "tobedeleted": "Disabled",
      "enabled": "Active", "enable": "Active", "enrolled": "Active", "a": "Active",
      "i": "Disabled",
    ],
    .userType: [
      "faculty": "Teacher", "instructor": "Teacher", "educator": "Teacher",
      "admin": "Administrator", "principal": "Administrator",
      "districtadministrator": "Administrator", "siteadministrator": "Administrator",
      "employee": "Staff", "aide": "Staff", "learner": "Student", "pupil": "Student",
    ],
  ]

  /// Letters, digits and ``!#$%&'*+/=?^_`{|}~.-`` (RFC 5322 dot-atom text),
  /// as a 128-bit set: two constants, no table to load.
  @inline(__always)
  private static func isLocalPartByte(_ byte: UInt8) -> Bool {
    if byte < 64 { return (localPartLow >> UInt64(byte)) & 1 == 1 }
    if byte < 128 { return (localPartHigh >> UInt64(byte - 64)) & 1 == 1 }
    return false
  }

  // Literals, not computed statics: a computed static costs a lazy-init
  // check on every access. `localPartSetsMatchTheirCharacters` checks them.
  static let localPartLow: UInt64 = 0xa3ff_ecfa_0000_0000  // !#$%&'*+-./0-9=?
  static let localPartHigh: UInt64 = 0x7fff_ffff_c7ff_fffe  // A-Z^_`a-z{|}~
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
@inline(__always) func isAlphanumeric(_ byte: UInt8) -> Bool {
  isDigit(byte) || (byte | 0x20) &- 0x61 < 26
}
