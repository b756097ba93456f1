import CNcurses

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// What a crash handler needs, kept where it can reach it without
// allocating: the terminal modes from before curses started, and the bytes
// that leave the alternate screen and show the cursor again.
nonisolated(unsafe) private var modesBeforeCurses = termios()
nonisolated(unsafe) private var haveModes = false
nonisolated(unsafe) private var exitSequence = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
nonisolated(unsafe) private var exitSequenceLength = 0

/// Even a crash (a failed precondition, a bad access) must give the
/// terminal back: handlers for the fatal signals restore the saved modes,
/// leave the alternate screen, then let the signal kill the process as it
/// would have. Only async-signal-safe calls (tcsetattr, write, signal,
/// raise) run in the handler.
enum CrashRestore {
  static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

  /// Before curses starts: the modes to go back to.
  static func saveModes() {
    haveModes = tcgetattr(STDIN_FILENO, &modesBeforeCurses) == 0
  }

  /// After curses started (terminfo is loaded): the exit sequence, and the
  /// handlers.
  static func install() {
    var bytes: [UInt8] = []
    for capability in ["rmcup", "cnorm", "sgr0"] {
      guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
      bytes += Array(String(cString: value).utf8)
    }
    exitSequenceLength = min(bytes.count, 256)
    for index in 0..<exitSequenceLength { exitSequence[index] = bytes[index] }
    for number in fatalSignals {
      signal(number) { number in
        if haveModes { tcsetattr(STDIN_FILENO, TCSANOW, &modesBeforeCurses) }
        if exitSequenceLength > 0 { _ = write(STDOUT_FILENO, exitSequence, exitSequenceLength) }
        signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  /// Once the terminal is closed normally, crashes are no longer ours.
  static func uninstall() {
    for number in fatalSignals { signal(number, SIG_DFL) }
  }
}
