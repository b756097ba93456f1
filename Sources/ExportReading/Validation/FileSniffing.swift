import SyncModel

/// Tells, from its first bytes, a file that is not CSV text at all: a
/// workbook, a PDF, UTF-16 text, binary data. Such a file is refused with
/// one finding rather than read as thousands of broken rows.
enum FileSniffing {
  /// How many bytes of the file are looked at.
  static let prefixLength = 4_096

  /// What a file that is not CSV text turned out to be.
  enum Signature: Equatable {
    /// A zip archive, as an `.xlsx` workbook is.
    case zip
    /// An old Excel workbook (`.xls`, an OLE compound file).
    case oldExcel
    case pdf
    case utf16
    /// Control bytes that text never holds (NUL, and the C0 controls but
    /// tab, line feed and carriage return; DEL), counted in the first
    /// `prefixSize` bytes.
    case binary(controlCount: Int, prefixSize: Int)
  }

  /// The kind of non-CSV file `prefix` starts, or nil when it may be CSV.
  static func nonCSVSignature(_ prefix: [UInt8]) -> Signature? {
    if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
    if prefix.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return .oldExcel }
    if prefix.starts(with: Array("%PDF".utf8)) { return .pdf }
    if prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF]) { return .utf16 }
    // More than one byte in 64 is a control byte: text files have none
    // (a stray one in a value is reported there, E016). Compressed or
    // image data has about one in nine, NUL or not.
    let controlCount = prefix.reduce(0) { $0 + (isBinaryControl($1) ? 1 : 0) }
    if controlCount >= 2 && controlCount * 64 >= prefix.count {
      return .binary(controlCount: controlCount, prefixSize: prefix.count)
    }
    return nil
  }

  private static func isBinaryControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
  }
}
