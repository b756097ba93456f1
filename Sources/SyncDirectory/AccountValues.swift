import ExportReading
import SyncModel

/// The fields of an account that an export row can set, in the order of the
/// export columns. `school` is the organization's reference.
///
/// Kept in one buffer: each value's end (ten 32-bit offsets), then the
/// values' UTF-8 one after another. A million-row plan holds a quarter of a
/// million of these (each change's before and after); as ten strings each
/// was an array and up to ten more allocations, every value decoded on its
/// own, and the planner's threads grew their heaps page by page (one
/// buffer: a warm plan's peak 397 → 380 MB, Benchmarks/README.md). A
/// string is made when a value is read; `withBytes` lends the bytes.
public struct AccountValues: Sendable, Equatable, Codable {
  private var storage: AccountValueBuffer

  /// Bytes of value ends before the values.
  private static let endsSize = ExportColumn.count * MemoryLayout<UInt32>.size

  public init(values: [String]) {
    precondition(values.count == ExportColumn.count)
    storage = Self.laidOut(strings: values)
  }

  /// From each column's UTF-8 (planning: the export's or the directory's
  /// bytes, no string made). Ill-formed UTF-8 is repaired as
  /// `String(decoding:as:)` repairs it, so the values read back are the
  /// strings those bytes would have made.
  package init(bytes value: (ExportColumn) -> UnsafeBufferPointer<UInt8>) {
    storage = Self.withValues(
      { value(ExportColumn(rawValue: $0)!) },
      { values in
        // Checked once laid out, where the values are one run of bytes,
        // most often ASCII (each value on its own only past ASCII).
        let laidOut = Self.laidOut(values)
        if laidOut.withBytes({ TextDecoding.isASCII(UnsafeBufferPointer(rebasing: $0[Self.endsSize...])) })
          || values.allSatisfy(TextDecoding.isValidUTF8)
        {
          return laidOut
        }
        return Self.laidOut(strings: values.map { String(decoding: $0, as: UTF8.self) })
      })
  }

  /// The ten values `value` lends (by column number), gathered once.
  private static func withValues(
    _ value: (Int) -> UnsafeBufferPointer<UInt8>,
    _ body: (UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>) -> AccountValueBuffer
  ) -> AccountValueBuffer {
    withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: ExportColumn.count) { values in
      for index in 0..<ExportColumn.count { values.initializeElement(at: index, to: value(index)) }
      return body(values)
    }
  }

  /// The values laid out: their ends, then their bytes.
  private static func laidOut(_ values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>)
    -> AccountValueBuffer
  {
    laidOut(total: values.reduce(0) { $0 + $1.count }) { index, write in write(values[index]) }
  }

  /// The same for strings (their UTF-8 is valid: nothing to repair).
  private static func laidOut(strings: [String]) -> AccountValueBuffer {
    laidOut(total: strings.reduce(0) { $0 + $1.utf8.count }) { index, write in
      var string = strings[index]
      string.withUTF8(write)
    }
  }

  /// `total` bytes of values, each lent in turn by `value` (by column
  /// number) to the function it is given, which writes them.
  private static func laidOut(
    total: Int, _ value: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
  ) -> AccountValueBuffer {
    precondition(total <= Int(UInt32.max), "an account's values exceed 4 GiB")
    return AccountValueBuffer(count: endsSize + total) { buffer in
      let base = buffer.baseAddress!
      var end = 0
      for index in 0..<ExportColumn.count {
        value(index) { bytes in
          if let source = bytes.baseAddress, !bytes.isEmpty {
            (base + endsSize + end).initialize(from: source, count: bytes.count)
          }
          end += bytes.count
        }
        UnsafeMutableRawPointer(base).storeBytes(
          of: UInt32(end), toByteOffset: index * MemoryLayout<UInt32>.size, as: UInt32.self)
      }
    }
  }

  /// Calls `body` with the column's UTF-8 (valid only inside).
  public func withBytes<Result>(
    _ column: ExportColumn, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    try storage.withBytes { try body(Self.value(column, in: $0)) }
  }

  /// The column's bytes in a storage buffer.
  @inline(__always)
  private static func value(_ column: ExportColumn, in all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    let raw = UnsafeRawBufferPointer(all)
    let index = column.rawValue
    let start = index == 0 ? 0 : Int(raw.loadUnaligned(fromByteOffset: (index - 1) * 4, as: UInt32.self))
    let end = Int(raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    return UnsafeBufferPointer(rebasing: all[(endsSize + start)..<(endsSize + end)])
  }

  public func isEmpty(_ column: ExportColumn) -> Bool { withBytes(column) { $0.isEmpty } }

  public subscript(column: ExportColumn) -> String {
    get { withBytes(column) { String(decoding: $0, as: UTF8.self) } }
    set {
      var replacement = newValue
      let old = storage
      storage = replacement.withUTF8 { new in
        old.withBytes { all in
          Self.withValues(
            { $0 == column.rawValue ? new : Self.value(ExportColumn(rawValue: $0)!, in: all) }, Self.laidOut)
        }
      }
    }
  }

  /// The ten values as strings, in column order.
  public var values: [String] {
    get { ExportColumn.every.map { self[$0] } }
    set { self = AccountValues(values: newValue) }
  }

  /// The columns whose values differ. Values are strings: compared as
  /// Swift compares them (a precomposed é equals e and a combining accent),
  /// bytes first.
  public func differences(from other: AccountValues) -> [ExportColumn] {
    storage.withBytes { mine in
      other.storage.withBytes { theirs in
        ExportColumn.every.filter { !Self.sameValue(Self.value($0, in: mine), Self.value($0, in: theirs)) }
      }
    }
  }

  /// Equal bytes, or strings Swift calls equal. ASCII text equals only
  /// itself: strings are made only for the rest.
  private static func sameValue(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
    if bytesEqual(lhs, rhs) { return true }
    if TextDecoding.isASCII(lhs) && TextDecoding.isASCII(rhs) { return false }
    return String(decoding: lhs, as: UTF8.self) == String(decoding: rhs, as: UTF8.self)
  }

  public static func == (lhs: AccountValues, rhs: AccountValues) -> Bool {
    lhs.storage.withBytes { left in
      rhs.storage.withBytes { right in
        bytesEqual(left, right)
          || (0..<ExportColumn.count).allSatisfy { index in
            let column = ExportColumn(rawValue: index)!
            return sameValue(value(column, in: left), value(column, in: right))
          }
      }
    }
  }

  // Coded as it always was: {"values": [ten strings]}.
  private enum CodingKeys: String, CodingKey { case values }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let values = try container.decode([String].self, forKey: .values)
    guard values.count == ExportColumn.count else {
      throw DecodingError.dataCorruptedError(
        forKey: .values, in: container, debugDescription: "an account has \(ExportColumn.count) values")
    }
    self.init(values: values)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(values, forKey: .values)
  }
}
