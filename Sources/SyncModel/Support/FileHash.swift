import Crypto
import Foundation

/// The SHA-256 of a file, read in chunks (an export of any size); refused
/// when the file changed while it was read.
public func sha256Hex(ofFile path: String) throws(FileAccessError) -> String {
  let file = try RegularFile(path: path)
  let hash = try sha256Hex(of: file)
  try file.checkUnchanged()
  return hash
}

/// The SHA-256 of an opened file; the caller checks it is unchanged once
/// everything else reading it is done.
package func sha256Hex(of file: RegularFile) throws(FileAccessError) -> String {
  let source = file.bytes()
  var hasher = SHA256()
  // Small enough to stay in the core's cache between the copy and the hash.
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
  defer { buffer.deallocate() }
  while true {
    let count: Int
    do { count = try source.read(into: buffer) } catch {
      throw FileAccessError(path: file.path, reason: "\(error)")
    }
    if count == 0 { break }
    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
  }
  return hex(hasher.finalize())
}
