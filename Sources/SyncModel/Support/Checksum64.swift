/// A fast 64-bit checksum over bytes, against accidental damage (flipped
/// bits, a cut or mixed-up file), at memory speed: four independent lanes of
/// multiply-rotate over 8-byte words. Not a cryptographic hash: whoever can
/// write a file can recompute it (the snapshot cache says why that is fine).
package struct Checksum64 {
  private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
    0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63
  )
  private var length: UInt64 = 0
  package init() {}
  private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
  private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

  @inline(__always)
  private static func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = lane &+ word &* prime2
    return ((mixed << 31) | (mixed >> 33)) &* prime1
  }

  /// Adds `bytes`; each call is a section (its length counts, so moving a
  /// byte from one section to the next changes the sum).
  package mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    let count = bytes.count
    while offset + 32 <= count {
      lanes.0 = Self.round(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      lanes.1 = Self.round(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
      lanes.2 = Self.round(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
      lanes.3 = Self.round(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
      offset += 32
    }
    while offset < count {
      lanes.0 = Self.round(lanes.0, UInt64(bytes[offset]) | 0x100)
      offset += 1
    }
    length = Self.round(length, UInt64(count))
  }

  /// The sum, as 16 hex digits.
  package func finalize() -> String {
    var sum = length
    for lane in [lanes.0, lanes.1, lanes.2, lanes.3] {
      sum = Self.round(sum ^ lane, lane >> 29)
    }
    sum ^= sum >> 33
    sum = sum &* Self.prime2
    sum ^= sum >> 29
    let hex = String(sum, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
