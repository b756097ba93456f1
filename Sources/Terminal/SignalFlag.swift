import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The last SIGINT, SIGTERM or SIGHUP received (0: none). A handler may only
/// do async-signal-safe work, so it stores here and the key loop looks.
private let receivedSignal = Atomic<Int32>(0)

/// Catches SIGINT, SIGTERM and SIGHUP while the screen is up, so the program
/// leaves through its normal path and restores the terminal. Installed
/// before `newterm`, so curses leaves these signals alone (it only catches
/// the ones still at their default).
struct SignalFlag {
  static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  private typealias Handler = @convention(c) (Int32) -> Void
  private var previous: [Int32: Handler?] = [:]

  /// The signal number received since `install`, or nil.
  static var pending: Int32? {
    let number = receivedSignal.load(ordering: .acquiring)
    return number == 0 ? nil : number
  }

  mutating func install() {
    // Also initializes the global here, not first inside a handler.
    receivedSignal.store(0, ordering: .releasing)
    for number in Self.caught {
      previous[number] = signal(number) { number in receivedSignal.store(number, ordering: .releasing) }
    }
  }

  /// Puts back the handlers that were there before `install`.
  mutating func restore() {
    for (number, handler) in previous { signal(number, handler) }
    previous = [:]
  }
}
