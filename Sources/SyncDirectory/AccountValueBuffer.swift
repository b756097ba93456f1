/// The bytes of one `AccountValues`, in one allocation with the object
/// that holds them.
///
/// An `[UInt8]` of a size known only at run time went through the standard
/// library's unspecialized array allocation, which looks the element type's
/// storage class up each time: a third of the cost of making an account's
/// values, and planning makes a quarter of a million of them at a million
/// rows. Sendable although a class: its bytes are never changed once made
/// (a changed value makes a new buffer), so copies share them safely.
struct AccountValueBuffer: @unchecked Sendable {
  private final class Storage: ManagedBuffer<Int, UInt8> {}
  private let storage: Storage

  /// `count` bytes, all written by `initialize`.
  init(count: Int, initializing initialize: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
    storage = unsafeDowncast(Storage.create(minimumCapacity: count) { _ in count }, to: Storage.self)
    storage.withUnsafeMutablePointerToElements { initialize(UnsafeMutableBufferPointer(start: $0, count: count)) }
  }

  /// Lends the bytes.
  @inline(__always)
  func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try storage.withUnsafeMutablePointers { count, bytes in
      try body(UnsafeBufferPointer(start: bytes, count: count.pointee))
    }
  }
}
