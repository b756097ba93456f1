import Foundation

/// Lets two threads share objects that they use strictly one each.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// The first error thrown by one of the parallel halves.
final class ErrorSlot: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var error: Error?
  func record(_ error: Error) {
    lock.lock()
    if self.error == nil { self.error = error }
    lock.unlock()
  }
}
