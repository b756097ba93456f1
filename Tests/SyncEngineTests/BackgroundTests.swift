import Dispatch
import Foundation
import Testing

@testable import SyncModel

/// `Background` works a value out on the shared pool, unless the caller
/// asks for it before any pool thread has started it: then the caller
/// works it out itself instead of idling.
@Suite struct BackgroundTests {
  @Test func aValueWorkedOutElsewhereIsWaitedFor() {
    let background = Background { (1...1000).reduce(0, +) }
    #expect(background.value == 500_500)
    #expect(background.take() == 500_500)
  }

  @Test(.timeLimit(.minutes(1)))
  func aValueNoThreadStartedIsWorkedOutByTheThreadAskingForIt() {
    // Every pool thread busy until the value is in hand.
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let release = DispatchSemaphore(value: 0)
    let running = DispatchSemaphore(value: 0)
    let occupied = DispatchGroup()
    for _ in 0..<threads {
      DispatchQueue.global().async(group: occupied) {
        running.signal()
        release.wait()
      }
    }
    for _ in 0..<threads { running.wait() }
    let asking = pthread_self()
    let background = Background { UncheckedSendable(pthread_self()) }
    let ranOn = background.take().value
    for _ in 0..<threads { release.signal() }
    occupied.wait()
    #expect(pthread_equal(ranOn, asking) != 0)
  }
}
