import Crypto
import Foundation

/// The SHA-256 of bytes in memory, as lowercase hex.
package func sha256Hex(of bytes: ArraySlice<UInt8>) -> String {
  hex(bytes.withUnsafeBytes { SHA256.hash(data: $0) })
}

/// A digest as lowercase hex (what plans, sessions and runs record).
package func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

package func sha256Hex(of bytes: [UInt8]) -> String { sha256Hex(of: bytes[...]) }
