import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A private tmux server (its socket in the test's scratch folder) running
/// `sis-sync` in one pane, as a user at a real terminal would. The pane runs a
/// small script that records the terminal modes before and after, the
/// program's pid and its exit code, then stays open so the screen can still
/// be read.
final class TmuxSession {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Printed by the pane's script before the program starts: visible again
  /// once the program has left the alternate screen.
  static let marker = "READY-MARKER"

  /// tmux on PATH, or nil.
  static let executable: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("tmux") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  /// Kept until the server is gone: it holds the socket and the pane's files.
  let scratch: ScratchFolder
  var folder: URL { scratch.url }
  private let socket: String
  private let target = "review"
  private var closed = false

  /// Starts the server with a `columns` × `rows` pane running `arguments`
  /// (the first is the program) in the scratch folder.
  init(scratch: ScratchFolder, columns: Int, rows: Int, arguments: [String]) throws {
    self.scratch = scratch
    socket = scratch.url.appendingPathComponent("tmux.socket").path
    let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    // The inner `sh` writes its pid and then becomes the program, so
    // pid.txt holds the program's own pid (for signals).
    let script = """
      stty -g > before.txt
      echo \(Self.marker)
      sh -c 'echo $$ > pid.txt; exec "$@"' sis-sync \(quoted)
      code=$?
      stty -g > after.txt
      echo "$code" > exit.txt
      sleep 600

      """
    try Data(script.utf8).write(to: folder.appendingPathComponent("run.sh"))
    // The server this client forks keeps the socket Foundation watches to see
    // the client exit, so `waitUntilExit` would wait for the server: wait for
    // the session to answer instead. Under load tmux once failed to start
    // (status 1, in CI): it is asked once more, and what it said is kept (in
    // a file: a pipe would be held open by the server).
    let said = folder.appendingPathComponent("tmux-start.txt")
    for attempt in 1...2 {
      FileManager.default.createFile(atPath: said.path, contents: nil)
      let complaints = try FileHandle(forWritingTo: said)
      defer { try? complaints.close() }
      let starter = try Self.withSignalsUnblocked {
        try launch(
          [
            "new-session", "-d", "-s", target, "-x", String(columns), "-y", String(rows), "-c", folder.path,
            "sh run.sh",
          ],
          output: nil, errors: complaints)
      }
      let deadline = Date().addingTimeInterval(10)
      while (try? run(["has-session", "-t", target])) == nil {
        if !starter.isRunning && starter.terminationStatus != 0 { break }
        guard Date() < deadline else { throw Failure(description: "tmux did not start a session") }
        usleep(20_000)
      }
      if (try? run(["has-session", "-t", target])) != nil { return }
      let message = (try? String(contentsOf: said, encoding: .utf8)) ?? ""
      if attempt == 2 {
        throw Failure(description: "tmux new-session failed with status \(starter.terminationStatus): \(message)")
      }
      usleep(200_000)
    }
  }

  deinit { close() }

  /// Stops the program if it still runs, then the server. SIGKILL, so a
  /// failed test leaves no recovery session beside a shared export (the
  /// program saves one on SIGHUP, which killing the server would send).
  func close() {
    guard !closed else { return }
    closed = true
    let exited = FileManager.default.fileExists(atPath: folder.appendingPathComponent("exit.txt").path)
    if !exited, let pid = try? programPID(timeout: 0) { kill(pid, SIGKILL) }
    _ = try? run(["kill-server"])
  }

  // MARK: - Reading the pane

  /// The visible pane, one line per row (`joined`: wrapped lines joined).
  func capture(joined: Bool = false) throws -> String {
    try run(["capture-pane", "-p", "-t", target] + (joined ? ["-J"] : []))
  }

  /// Polls the pane until `condition` holds; the last screen is in the error.
  @discardableResult
  func waitForScreen(
    _ what: String, timeout: TimeInterval = 10, until condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let screen = try capture()
      if condition(screen) { return screen }
      guard Date() < deadline else {
        throw Failure(description: "timed out waiting for \(what); the pane shows:\n\(screen)")
      }
      usleep(50_000)
    }
  }

  /// Polls the pane until it contains `text`.
  @discardableResult
  func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
    try waitForScreen("'\(text)'", timeout: timeout) { $0.contains(text) }
  }

  /// Polls the pane until it contains `text` and has stopped changing (two
  /// captures 100 ms apart agree): a screen to compare whole frames with,
  /// never one caught while the terminal is still drawing it.
  @discardableResult
  func waitForSteady(_ text: String, timeout: TimeInterval = 10) throws -> String {
    var previous = ""
    return try waitForScreen("'\(text)', steady", timeout: timeout) { screen in
      defer { previous = screen }
      guard screen.contains(text), screen == previous else {
        usleep(50_000)
        return false
      }
      return true
    }
  }

  /// Whether the pane shows the alternate screen (curses is up).
  func alternateScreenIsOn() throws -> Bool {
    try run(["display-message", "-p", "-t", target, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines)
      == "1"
  }

  // MARK: - Driving it

  /// Keys by tmux name (`Enter`, `C-u`, `Escape`) or as single characters.
  func press(_ keys: String...) throws {
    try run(["send-keys", "-t", target] + keys)
  }

  /// Text typed literally.
  func type(_ text: String) throws {
    try run(["send-keys", "-t", target, "-l", text])
  }

  /// Raw bytes into the pane, as a terminal sends them (a mouse report).
  func send(bytes: [UInt8]) throws {
    try run(["send-keys", "-t", target, "-H"] + bytes.map { String(format: "%02x", $0) })
  }

  /// Whether the program asked the terminal to report the mouse.
  func mouseReportingIsOn() throws -> Bool {
    try run(["display-message", "-p", "-t", target, "#{mouse_any_flag}"])
      .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
  }

  func resize(columns: Int, rows: Int) throws {
    try run(["resize-window", "-t", target, "-x", String(columns), "-y", String(rows)])
  }

  /// The pane's terminal device (`/dev/pts/N`): its input queue shows
  /// whether the program has read the keys sent.
  func paneTTY() throws -> String {
    try run(["display-message", "-p", "-t", target, "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  // MARK: - What the pane's script recorded

  /// The program's pid, once it has started.
  func programPID(timeout: TimeInterval = 10) throws -> pid_t {
    let text = try waitForFile("pid.txt", timeout: timeout)
    guard let pid = pid_t(text) else { throw Failure(description: "pid.txt holds '\(text)'") }
    return pid
  }

  /// The program's exit status, once it has exited.
  func waitForExit(timeout: TimeInterval = 10) throws -> Int32 {
    let text = try waitForFile("exit.txt", timeout: timeout)
    guard let status = Int32(text) else { throw Failure(description: "exit.txt holds '\(text)'") }
    return status
  }

  /// `stty -g` before the program started and after it exited.
  func terminalModes() throws -> (before: String, after: String) {
    (try read("before.txt"), try read("after.txt"))
  }

  // MARK: - Plumbing

  private func read(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The file's text once it exists and is complete (ends with a newline).
  private func waitForFile(_ name: String, timeout: TimeInterval) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let url = folder.appendingPathComponent(name)
      if let text = try? String(contentsOf: url, encoding: .utf8), text.hasSuffix("\n") {
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
      guard Date() < deadline else {
        let screen = (try? capture()) ?? "(no pane)"
        throw Failure(description: "timed out waiting for \(name); the pane shows:\n\(screen)")
      }
      usleep(50_000)
    }
  }

  /// The server inherits the signal mask of the thread that starts it, and
  /// test threads block SIGTERM, which `kill-server` sends the server.
  private static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
    var unblocked = sigset_t()
    var previous = sigset_t()
    sigemptyset(&unblocked)
    pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try body()
  }

  /// Runs a tmux client to the end; its output, or an error with it.
  @discardableResult
  private func run(_ arguments: [String]) throws -> String {
    let output = Pipe()
    let process = try launch(arguments, output: output)
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
    }
    return text
  }

  /// Starts a tmux client on this session's server (output nil: discarded).
  private func launch(_ arguments: [String], output: Pipe?, errors: FileHandle? = nil) throws -> Process {
    guard let executable = Self.executable else { throw Failure(description: "tmux is not on PATH") }
    let process = Process()
    process.executableURL = executable
    // -u: UTF-8 whatever the locale (the screen draws │ → ×); -f: no user config.
    process.arguments = ["-u", "-f", "/dev/null", "-S", socket] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    environment["LC_ALL"] = "C.UTF-8"
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output ?? FileHandle.nullDevice
    process.standardError = errors ?? output ?? FileHandle.nullDevice
    try process.run()
    return process
  }
}
