import Foundation
import SyncEngine

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the admin's `--on-finish` command once an apply has ended: the
/// program and its arguments as the admin split them (`CommandWords`, no
/// shell), in a process group of its own so that a timeout stops it and
/// whatever it started, with `input` on its standard input and its standard
/// output sent to our stderr (an apply's stdout is its report, which
/// scripts read).
struct FinishCommandRunner {
  let command: CommandWords
  /// Seconds before the group gets SIGTERM, then SIGKILL 2 seconds later.
  let timeout: Double

  enum Ending: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)
    case timedOut(Double)
    case notStarted(String)

    var description: String {
      switch self {
      case .exited(let code): "exited with code \(code)"
      case .signalled(let signal): "was stopped by signal \(signal)"
      case .timedOut(let seconds): "did not finish within \(Self.seconds(seconds)) seconds and was stopped"
      case .notStarted(let reason): "could not be started: \(reason)"
      }
    }

    private static func seconds(_ value: Double) -> String {
      value == value.rounded() ? String(Int(value)) : String(value)
    }
  }

  /// Runs the command to its end (or its timeout).
  func run(input: String, environment: [String: String]) -> Ending {
    let stdin: Int32
    do { stdin = try Self.fileHolding(input) } catch { return .notStarted(error.localizedDescription) }
    defer { close(stdin) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO)
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A group of its own (killed as one on timeout); signals as a fresh
    // program expects them, whatever this process ignores or blocks.
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attributes, 0)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    posix_spawnattr_setsigmask(&attributes, &unblocked)

    let argv = command.words.map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let failure = posix_spawnp(&pid, command.words[0], &actions, &attributes, argv, envp)
    guard failure == 0 else { return .notStarted(String(cString: strerror(failure))) }
    return Self.wait(for: pid, timeout: timeout)
  }

  /// Waits for `pid`; past the timeout, stops its whole group.
  private static func wait(for pid: pid_t, timeout: Double) -> Ending {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let ending = reaped(pid, blocking: false) { return ending }
      usleep(20_000)
    }
    kill(-pid, SIGTERM)
    let grace = Date().addingTimeInterval(2)
    while Date() < grace, reaped(pid, blocking: false) == nil { usleep(20_000) }
    // The leader may have gone on SIGTERM while what it started has not.
    kill(-pid, SIGKILL)
    _ = reaped(pid, blocking: true)
    return .timedOut(timeout)
  }

  /// How `pid` ended, or nil while it runs (or was already reaped).
  private static func reaped(_ pid: pid_t, blocking: Bool) -> Ending? {
    var status: Int32 = 0
    var result: pid_t
    repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
    guard result == pid else { return result < 0 ? .exited(-1) : nil }
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
  }

  /// An unlinked, owner-only temporary file holding `text`, positioned at
  /// its start: standard input that never blocks the apply, however little
  /// of it the command reads.
  private static func fileHolding(_ text: String) throws -> Int32 {
    var template = Array((NSTemporaryDirectory() + "/sis-sync-finish-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    // Only the command's standard input (a dup) reaches it.
    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        let code = errno
        close(descriptor)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
      }
      offset += written
    }
    lseek(descriptor, 0, SEEK_SET)
    return descriptor
  }
}
