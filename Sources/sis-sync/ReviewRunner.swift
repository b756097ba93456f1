import Dispatch
import Foundation
import ReviewUI
import SyncEngine
import Terminal
import TextScreen

/// Drives the review screen on a real terminal: shows progress while the
/// export loads, then reads keys, draws frames and runs effects until the
/// reviewer quits or a signal arrives.
struct ReviewRunner {
  let terminal: CursesTerminal

  enum Ending {
    case quit
    /// SIGTERM, SIGHUP or SIGINT; unsaved decisions were saved to the path.
    case signal(Int32, recoveredTo: String?)
  }

  /// Loads on another thread, drawing progress here; nil when the reviewer
  /// pressed Ctrl-C or q, or a signal arrived.
  func load(
    _ input: ReviewLoader.Input, directory: any DirectoryStore
  ) -> Result<LivePlan, Error>? {
    let size = (try? FileManager.default.attributesOfItem(atPath: input.exportPath)[.size] as? Int) ?? 0
    let progress = LoadProgress(totalBytes: size)
    let box = LoadBox()
    let started = Date()
    DispatchQueue.global().async {
      let result = Result { try ReviewLoader.load(input, directory: directory, progress: progress) }
      box.set(result)
    }
    while true {
      if let result = box.result { return result }
      if terminal.pendingSignal != nil { return nil }
      let (rows, columns) = terminal.size
      terminal.draw(
        LoadingScreen.render(
          exportPath: input.exportPath, phase: progress.phase, fractionRead: progress.fractionRead,
          elapsed: Date().timeIntervalSince(started), rows: rows, columns: columns))
      switch terminal.readKey(timeoutMilliseconds: 100) {
      case .control("c"), .character("q"): return nil
      default: continue
      }
    }
  }

  func run(_ app: ReviewApp, services: ReviewServices) -> Ending {
    terminal.draw(app.render())
    // Tests prove that even a crash gives the terminal back: this key makes
    // the process crash on purpose. Never set in use.
    let crashKey = ProcessInfo.processInfo.environment["SIS_SYNC_TEST_CRASH_KEY"].flatMap(\.first)
    while true {
      if let signal = terminal.pendingSignal { return .signal(signal, recoveredTo: saveRecovery(app)) }
      guard let key = terminal.readKey(timeoutMilliseconds: 250) else { continue }
      if let crashKey, key == .character(crashKey) { fatalError("crash requested by SIS_SYNC_TEST_CRASH_KEY") }
      if key == .resize {
        let (rows, columns) = terminal.size
        app.resize(rows: rows, columns: columns)
      } else if app.layout.isTooSmall {
        // The "needs at least 80×24" screen shows nothing of the review, so
        // no key may change what the reviewer cannot see (exclude a row,
        // type into a hidden prompt, answer a hidden dialog). Only quitting
        // works, as that screen says; with unsaved decisions it opens the
        // Quit? dialog, which appears once the terminal is large enough.
        guard KeyBindings.action(for: key) == .quit else { continue }
        _ = app.perform(.quit)
        terminal.draw(app.render())
        if app.state.shouldExit { return .quit }
        continue
      }
      let effects = app.handle(key)
      terminal.draw(app.render())
      for effect in effects {
        app.perform(effect, services: services)
        terminal.draw(app.render())
      }
      if app.state.shouldExit { return .quit }
    }
  }

  /// A signal must not cost the reviewer their decisions: they go to a
  /// recovery session beside the export (owner-only).
  private func saveRecovery(_ app: ReviewApp) -> String? {
    guard app.hasUnsavedDecisions else { return nil }
    let path = ReviewApp.defaultPath(app.model.exportPath, suffix: ".recovered.session")
    let session = ReviewSession(
      exportPath: app.model.exportPath, exportSHA256: app.model.plan.exportSHA256,
      mapping: app.model.plan.validation.mappingOrigin,
      decisions: app.model.decisions)
    return (try? session.save(to: path)) != nil ? path : nil
  }
}

/// The loader's result, handed from its thread to the drawing loop.
private final class LoadBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Result<LivePlan, Error>?
  var result: Result<LivePlan, Error>? { lock.withLock { stored } }
  func set(_ result: Result<LivePlan, Error>) { lock.withLock { stored = result } }
}
