import SyncModel

/// Storage for a value that had to be rewritten (decoded, translated): one
/// slot per column, reused row after row, so the slice stays valid until
/// the slot is written again.
final class ByteSlot {
  private var storage: UnsafeMutablePointer<UInt8>
  private var capacity = 256

  init() { storage = .allocate(capacity: capacity) }
  deinit { storage.deallocate() }

  func store<Bytes: Collection>(_ bytes: Bytes) -> UnsafeBufferPointer<UInt8> where Bytes.Element == UInt8 {
    if bytes.count > capacity {
      storage.deallocate()
      while capacity < bytes.count { capacity *= 2 }
      storage = .allocate(capacity: capacity)
    }
    _ = UnsafeMutableBufferPointer(start: storage, count: bytes.count).initialize(from: bytes)
    return UnsafeBufferPointer(start: storage, count: bytes.count)
  }
}

/// Values that never change during a run, each allocated once: canonical
/// spellings, the empty value, and the mapping's constants and defaults.
final class FixedValues {
  private var allocations: [UnsafeMutableBufferPointer<UInt8>] = []
  private(set) var userTypes: [UnsafeBufferPointer<UInt8>] = []
  private(set) var statuses: [UnsafeBufferPointer<UInt8>] = []
  private(set) var grades: [UnsafeBufferPointer<UInt8>] = []
  let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

  init() {
    userTypes = Vocabulary.userTypes.map { keep(Array($0.utf8)) }
    statuses = Vocabulary.statuses.map { keep(Array($0.utf8)) }
    grades = Vocabulary.grades.map { keep(Array($0.utf8)) }
  }

  deinit {
    for allocation in allocations { allocation.deallocate() }
  }

  /// A slice holding `bytes` for the lifetime of this object.
  func keep(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
    _ = buffer.initialize(from: bytes)
    allocations.append(buffer)
    return UnsafeBufferPointer(start: buffer.baseAddress, count: bytes.count)
  }
}
