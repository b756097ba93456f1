/// A growable run of bytes for a writer that appends a few bytes at a time
/// in a hot loop (`JSONWriter`): one capacity check per value written, then
/// plain stores, where `[UInt8].append` checks uniqueness and capacity at
/// every byte. A class, so the bytes are freed with it; the writer that owns
/// one is never copied.
final class ByteBuffer {
  private(set) var start: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = Swift.max(capacity, 16)
    start = .allocate(capacity: self.capacity)
  }

  deinit { start.deallocate() }

  /// The bytes written, valid until the next write.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

  func removeAll() { count = 0 }

  /// Makes room for `extra` more bytes; returns where they go. The caller
  /// writes at most `extra` bytes there, then calls `advance`.
  @inline(__always)
  func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if count + extra > capacity { grow(toHold: count + extra) }
    return start + count
  }

  /// Counts `written` bytes stored at `reserve`'s pointer.
  @inline(__always)
  func advance(by written: Int) { count += written }

  @inline(__always)
  func append(_ byte: UInt8) {
    reserve(1).pointee = byte
    count += 1
  }

  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count).update(from: base, count: bytes.count)
    count += bytes.count
  }

  @inline(never)
  private func grow(toHold needed: Int) {
    let newCapacity = Swift.max(needed, capacity * 2)
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    moved.update(from: start, count: count)
    start.deallocate()
    start = moved
    capacity = newCapacity
  }
}
