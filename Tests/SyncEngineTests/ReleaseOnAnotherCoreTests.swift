import Foundation
import Testing

@testable import SyncModel

/// `releaseOnAnotherCore` and `moving`: a plan's large parts are freed on
/// another thread, never on the caller's (which goes on to the report), and
/// never while something else still holds them.
@Suite struct ReleaseOnAnotherCoreTests {
  /// Records the thread its deinit ran on.
  final class Witness: @unchecked Sendable {
    let freed: DispatchSemaphore
    let freedOn: UnsafeMutablePointer<pthread_t?>
    init(freed: DispatchSemaphore, freedOn: UnsafeMutablePointer<pthread_t?>) {
      self.freed = freed
      self.freedOn = freedOn
    }
    deinit {
      freedOn.pointee = pthread_self()
      freed.signal()
    }
  }

  /// Like the planner's run: a struct holding an array of objects.
  struct Parts {
    var witnesses: [Witness]
    var rows: [Int32]
  }

  @Test func movingHandsOverTheOnlyReferenceAndLeavesTheReplacement() {
    let freed = DispatchSemaphore(value: 0)
    let freedOn = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 1)
    defer { freedOn.deallocate() }
    var parts = Parts(witnesses: [Witness(freed: freed, freedOn: freedOn)], rows: [1, 2, 3])
    var moved = moving(&parts, leaving: Parts(witnesses: [], rows: []))
    #expect(parts.witnesses.isEmpty && parts.rows.isEmpty)
    #expect(moved.rows == [1, 2, 3])
    #expect(isKnownUniquelyReferenced(&moved.witnesses[0]))
    moved.witnesses.removeAll()
    #expect(freed.wait(timeout: .now()) == .success)
  }

  @Test func aValueGivenUpIsFreedOnAnotherThread() {
    let freed = DispatchSemaphore(value: 0)
    let freedOn = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 1)
    freedOn.initialize(to: nil)
    defer { freedOn.deallocate() }
    var parts = Parts(witnesses: [Witness(freed: freed, freedOn: freedOn)], rows: Array(repeating: 7, count: 1000))
    releaseOnAnotherCore(moving(&parts, leaving: Parts(witnesses: [], rows: [])))
    #expect(freed.wait(timeout: .now() + 10) == .success)
    let thread = try? #require(freedOn.pointee)
    #expect(thread.map { pthread_equal($0, pthread_self()) == 0 } == true)
  }

  @Test func anObjectTakenFromItsOptionalIsFreedOnAnotherThread() {
    let freed = DispatchSemaphore(value: 0)
    let freedOn = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 1)
    freedOn.initialize(to: nil)
    defer { freedOn.deallocate() }
    var held: Witness? = Witness(freed: freed, freedOn: freedOn)
    releaseOnAnotherCore(&held)
    #expect(held == nil)
    #expect(freed.wait(timeout: .now() + 10) == .success)
    #expect(freedOn.pointee.map { pthread_equal($0, pthread_self()) == 0 } == true)
  }

  @Test func aValueStillHeldElsewhereIsNotFreed() {
    let freed = DispatchSemaphore(value: 0)
    let freedOn = UnsafeMutablePointer<pthread_t?>.allocate(capacity: 1)
    defer { freedOn.deallocate() }
    let kept = Witness(freed: freed, freedOn: freedOn)
    releaseOnAnotherCore(Parts(witnesses: [kept], rows: []))
    // The other thread's release is one of two: nothing is freed.
    #expect(freed.wait(timeout: .now() + 0.5) == .timedOut)
    withExtendedLifetime(kept) {}
  }
}
