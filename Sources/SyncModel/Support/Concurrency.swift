import Foundation

/// Lets two threads share objects that they use strictly one each.
package struct UncheckedSendable<Value>: @unchecked Sendable {
  package let value: Value
  package init(_ value: Value) { self.value = value }
}

/// The first error thrown by one of the parallel halves.
package final class ErrorSlot: @unchecked Sendable {
  private let lock = NSLock()
  package init() {}
  package private(set) var error: Error?
  package func record(_ error: Error) {
    lock.lock()
    if self.error == nil { self.error = error }
    lock.unlock()
  }
}

/// True for the first caller of `claim` only, from any thread.
package final class OnceFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var claimed = false
  package init() {}

  package func claim() -> Bool {
    lock.withLock {
      defer { claimed = true }
      return !claimed
    }
  }
}

/// A value worked out on another thread while the caller goes on; `value`
/// waits for it. For the serial end of a plan, where one core would idle.
///
/// A caller that asks for the value before any worker thread has started
/// the work does it itself, rather than wait: the shared pool has a thread
/// a core, and work queued behind other work (the missing-account scan's
/// second half behind the name index) left the asking core idle while the
/// other did both (30 ms at the end of a million-row plan).
package final class Background<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchGroup()
  private let started = OnceFlag()
  private var work: (@Sendable () -> Value)?
  private var result: Value?

  package init(_ work: @escaping @Sendable () -> Value) {
    self.work = work
    DispatchQueue.global().async(group: done) { self.runIfNotStarted() }
  }

  /// Runs the work here unless a thread has started it; true when it ran here.
  @discardableResult
  private func runIfNotStarted() -> Bool {
    guard started.claim() else { return false }
    result = work.take()!()
    return true
  }

  package var value: Value {
    if !runIfNotStarted() { done.wait() }
    return result!
  }

  /// The value, moved out (once): its caller may then change it in place,
  /// where a copy of `value` shares its arrays with this holder and the
  /// first change copies them whole.
  package func take() -> Value {
    if !runIfNotStarted() { done.wait() }
    return result.take()!
  }
}

/// Frees a value (a large object graph, a struct of large arrays) on
/// another core: the caller gives up its copy, so the last release, and the
/// freeing of whatever only it held, runs there. Unmapping a million rows'
/// buffers then overlaps the caller's next job (a report to write) instead
/// of preceding it. Nothing waits for it; at exit the system reclaims
/// whatever is left.
package func releaseOnAnotherCore<Value>(_ value: consuming Value) {
  let slot = ReleaseSlot(value)
  DispatchQueue.global(qos: .utility).async { slot.empty() }
}

/// The same for an object the caller holds in an optional: it is taken
/// (`object` becomes nil).
package func releaseOnAnotherCore<Object: AnyObject>(_ object: inout Object?) {
  guard let taken = object.take() else { return }
  releaseOnAnotherCore(consume taken)
}

/// `value`'s contents, with `empty` left in their place: the caller's is
/// then their only reference (for `releaseOnAnotherCore`).
package func moving<Value>(_ value: inout Value, leaving empty: Value) -> Value {
  let contents = value
  value = empty
  return contents
}

/// Holds the only reference to a value until another thread drops it.
private final class ReleaseSlot<Value>: @unchecked Sendable {
  private var value: Value?
  init(_ value: consuming Value) { self.value = value }
  func empty() { value = nil }
}
