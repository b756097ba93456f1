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
    /// The whole plan could not be made after a preview was shown.
    case loadFailed(Error)
  }

  /// What the screen opens on: the whole plan, or a preview of a large
  /// export's first rows while the whole is still planned in `pending`.
  enum Opening {
    case whole(Result<ReviewLoader.Loaded, Error>)
    case preview(ReviewPreview, version: Int, pending: LoadBox, progress: LoadProgress)
  }

  /// Loads on another thread, drawing progress here, until the whole plan
  /// or a preview is ready; nil when the reviewer pressed Ctrl-C or q, or a
  /// signal arrived. The whole plan goes on being made after a preview.
  func load(_ input: ReviewLoader.Input, directory: any DirectoryStore) -> Opening? {
    let size = (try? FileManager.default.attributesOfItem(atPath: input.exportPath)[.size] as? Int) ?? 0
    let progress = LoadProgress(totalBytes: size)
    let box = LoadBox()
    let started = Date()
    DispatchQueue.global().async {
      // A preview that cannot be made is no error: the whole load says why.
      // The first rows' errors come first, while the directory is read.
      let preview =
        (try? ReviewPreview.load(input, directory: directory, awaitingDirectory: { box.setPreview($0) })) ?? nil
      if let preview { box.setPreview(preview) }
      let result = Result {
        try ReviewLoader.loadSession(input, directory: directory, progress: progress, snapshot: preview?.snapshot)
      }
      box.set(result)
    }
    while true {
      if let result = box.result, box.preview == nil { return .whole(result) }
      if let (preview, version) = box.preview {
        return .preview(preview, version: version, pending: box, progress: progress)
      }
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

  /// Reads keys and hands each to the review loop's step, which draws
  /// through `terminal.draw` and runs effects through `services`. While the
  /// screen shows a preview, the frame is drawn again as loading goes on
  /// and `finish` is given the whole plan once it is made.
  func run(
    _ loop: ReviewLoop, services: any ReviewServices, pending: LoadBox? = nil, previewShown: Int = 0,
    finish: (ReviewLoader.Loaded) -> Void = { _ in }
  ) -> Ending {
    terminal.draw(loop.render())
    var pending = pending
    var previewShown = previewShown
    // Tests prove that even a crash gives the terminal back: this key makes
    // the process crash on purpose. Never set in use.
    let crashKey = ProcessInfo.processInfo.environment["SIS_SYNC_TEST_CRASH_KEY"].flatMap(\.first)
    while true {
      if let signal = terminal.pendingSignal { return .signal(signal, recoveredTo: saveRecovery(loop)) }
      if let box = pending, let result = box.result {
        pending = nil
        switch result {
        case .success(let loaded): finish(loaded)
        case .failure(let error): return .loadFailed(error)
        }
        terminal.draw(loop.render())
      } else if let (preview, version) = pending?.preview, version != previewShown {
        // The directory is read: the first rows' plan replaces their errors.
        previewShown = version
        loop.directoryRead(preview.plan)
        terminal.draw(loop.render())
      }
      let key = terminal.readKey(timeoutMilliseconds: pending == nil ? 250 : 100)
      guard let key else {
        // The progress in the header moves on while planning.
        if pending != nil { terminal.draw(loop.render()) }
        continue
      }
      if let crashKey, key == .character(crashKey) { fatalError("crash requested by SIS_SYNC_TEST_CRASH_KEY") }
      if key == .resize {
        let (rows, columns) = terminal.size
        loop.resize(rows: rows, columns: columns)
        terminal.draw(loop.render())
      } else {
        loop.press(key, services: services) { terminal.draw($0) }
      }
      if loop.state.shouldExit { return .quit }
    }
  }

  /// A signal must not cost the reviewer their decisions: they go to a
  /// recovery session beside the export (owner-only).
  private func saveRecovery(_ loop: ReviewLoop) -> String? {
    guard loop.hasUnsavedDecisions else { return nil }
    let path = ReviewLoop.defaultPath(loop.model.exportPath, suffix: ".recovered.session")
    let session = ReviewSession(
      exportPath: loop.model.exportPath, mapping: loop.model.livePlan.validation.mappingOrigin,
      plan: loop.model.livePlan)
    return (try? session.save(to: path)) != nil ? path : nil
  }
}

/// The loader's preview and result, handed from its thread to the drawing
/// loop.
final class LoadBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Result<ReviewLoader.Loaded, Error>?
  private var storedPreview: ReviewPreview?
  private var storedPreviewVersion = 0
  var result: Result<ReviewLoader.Loaded, Error>? { lock.withLock { stored } }
  /// The latest preview (the first rows' errors, then their plan) and how
  /// many have been set, it included: the drawing loop tells a newer one
  /// by that count.
  var preview: (preview: ReviewPreview, version: Int)? {
    lock.withLock { storedPreview.map { ($0, storedPreviewVersion) } }
  }
  func set(_ result: Result<ReviewLoader.Loaded, Error>) { lock.withLock { stored = result } }
  func setPreview(_ preview: ReviewPreview) {
    lock.withLock {
      storedPreview = preview
      storedPreviewVersion += 1
    }
  }
}

extension ReviewRunner {
  /// Drives the cleanup screen as `run` drives the review: keys in, frames
  /// out, until it quits (nil) or a signal arrives (the signal; nothing
  /// staged is applied).
  func run(_ loop: CleanupLoop) -> Int32? {
    terminal.draw(loop.render())
    while true {
      if let signal = terminal.pendingSignal { return signal }
      guard let key = terminal.readKey(timeoutMilliseconds: 250) else { continue }
      if key == .resize {
        let (rows, columns) = terminal.size
        loop.resize(rows: rows, columns: columns)
        terminal.draw(loop.render())
      } else {
        loop.press(key) { terminal.draw($0) }
      }
      if loop.state.shouldExit { return nil }
    }
  }
}
