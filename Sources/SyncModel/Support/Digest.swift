import Crypto
import Foundation

/// The SHA-256 of bytes in memory, as lowercase hex.
package func sha256Hex(of bytes: ArraySlice<UInt8>) -> String {
  hex(bytes.withUnsafeBytes { SHA256.hash(data: $0) })
}

/// A digest as lowercase hex (what plans, sessions and runs record).
package func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

package func sha256Hex(of bytes: [UInt8]) -> String { sha256Hex(of: bytes[...]) }

/// A SHA-256 fed piece by piece (a stream too large to hold at once).
package struct RunningSHA256 {
  private var hasher = SHA256()

  package init() {}

  package mutating func update(_ bytes: some Sequence<UInt8>) { hasher.update(data: Array(bytes)) }

  /// The digest of everything fed, as lowercase hex.
  package func hexDigest() -> String { hex(hasher.finalize()) }
}
