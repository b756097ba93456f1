import Crypto
import Foundation

/// The SHA-256 of a file, read in chunks (an export of any size).
public func sha256Hex(ofFile path: String) throws(FileAccessError) -> String {
  let source = try FileByteSource(path: path)
  var hasher = SHA256()
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
  defer { buffer.deallocate() }
  while true {
    let count: Int
    do { count = try source.read(into: buffer) } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
    if count == 0 { break }
    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
  }
  return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}
