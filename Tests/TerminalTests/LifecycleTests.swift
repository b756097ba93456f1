import CNcurses
import Foundation
import Testing
import TextScreen

@testable import Terminal

extension CursesSuite {
  @Test func scriptsAndPipesGetAClearError() {
    #expect(throws: TerminalError.notATerminal("standard input")) {
      try CursesTerminal.open(environment: ["TERM": "xterm"], isTerminal: { $0 != STDIN_FILENO })
    }
    #expect(throws: TerminalError.notATerminal("standard output")) {
      try CursesTerminal.open(environment: ["TERM": "xterm"], isTerminal: { $0 != STDOUT_FILENO })
    }
    #expect(
      TerminalError.notATerminal("standard input").description
        == "sis-sync review needs a terminal: standard input is not a terminal (use `sis-sync plan` in scripts)")
  }

  @Test func unknownOrMissingTermIsAnErrorNotAnExit() {
    #expect(throws: TerminalError.unknownTerminal("")) {
      try CursesTerminal.open(environment: [:], isTerminal: { _ in true })
    }
    #expect(throws: TerminalError.unknownTerminal("xyz-no-such-terminal")) {
      try CursesTerminal.open(environment: ["TERM": "xyz-no-such-terminal"], isTerminal: { _ in true })
    }
    // A terminal curses knows but cannot draw on (no cursor movement).
    #expect(throws: TerminalError.unknownTerminal("dumb")) {
      try CursesTerminal.headless(rows: 24, columns: 80, term: "dumb")
    }
    #expect(TerminalError.unknownTerminal("xyz").description.hasPrefix("unknown terminal type 'xyz' (TERM)"))
    #expect(TerminalError.unknownTerminal("xyz").description.hasSuffix("try TERM=xterm-256color"))
  }

  @Test func aSignalStopsTheKeyLoopAndTheHandlerIsPutBack() throws {
    let before = handler(of: SIGHUP)
    let terminal = try CursesTerminal.makeHeadless(
      rows: 24, columns: 80, term: "xterm-256color", colors: false, catchingSignals: true)
    #expect(terminal.pendingSignal == nil)
    terminal.inject([.character("q")])
    raiseHere(SIGHUP)
    #expect(terminal.pendingSignal == SIGHUP)
    #expect(terminal.readKey(timeoutMilliseconds: 1000) == nil)
    terminal.close()
    #expect(handler(of: SIGHUP) == before)
  }

  @Test func headlessTerminalsDoNotCatchSignals() throws {
    let terminal = try CursesTerminal.headless(rows: 2, columns: 2)
    defer { terminal.close() }
    #expect(terminal.pendingSignal == nil)
  }

  /// Raises `number` on this thread and handles it before returning. Test
  /// threads (libdispatch workers) block signals, so unblock it meanwhile.
  private func raiseHere(_ number: Int32) {
    var only = sigset_t()
    sigemptyset(&only)
    sigaddset(&only, number)
    var saved = sigset_t()
    pthread_sigmask(SIG_UNBLOCK, &only, &saved)
    raise(number)
    pthread_sigmask(SIG_SETMASK, &saved, nil)
  }

  /// The address of the current handler of `number` (0: the default).
  private func handler(of number: Int32) -> Int {
    var current = sigaction()
    sigaction(number, nil, &current)
    return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
  }
}
