import SyncEngine
import TextScreen

/// The cleanup's session: staged changes journaled as they are made, saved
/// (`s`) and resumed, a journal left behind offered back, and quitting
/// that never drops unsaved changes without asking.
extension CleanupLoop {
  /// Stages saved changes on the directory as it is now, listing what no
  /// longer fits.
  func resume(_ steps: [CleanupSession.SavedStep], from origin: String) {
    let resumed = CleanupSession.resume(steps, in: snapshot)
    state.staged = resumed.steps
    notApplied = resumed.notApplied
    state.message = "Resumed \(Counted.of(resumed.steps.count, "staged change")) from the \(origin)"
    showNotApplied()
  }

  /// Lists what a resumed session could not stage, with why.
  func showNotApplied() {
    guard !notApplied.isEmpty else { return }
    state.modal = .result(
      title: notApplied.count == 1 ? "1 saved change does not fit" : "\(notApplied.count) saved changes do not fit",
      lines: notApplied + ["The rest is staged as it was."], isError: false)
  }

  var savedSteps: [CleanupSession.SavedStep] { state.staged.map { CleanupSession.SavedStep($0, in: snapshot) } }

  func journalStep(_ step: CleanupStep) {
    record { journal throws(FileAccessError) in
      try journal.append(
        CleanupSession.SavedStep(step, in: snapshot), earlier: { Array(savedSteps.dropLast()) })
    }
  }

  func journalUndo() {
    record { journal throws(FileAccessError) in try journal.appendUndo(earlier: { savedSteps }) }
  }

  private func record(_ write: (CleanupJournal) throws(FileAccessError) -> Void) {
    guard let journal else { return }
    do {
      try write(journal)
      journalProblem = nil
    } catch {
      journalProblem = "\(error)"
      state.message = "The staged changes are not journaled (\(error)): save them with s"
    }
  }

  /// Saves the staged changes to the session path; true when saved.
  @discardableResult
  func saveSession() -> Bool {
    let session = CleanupSession(directoryID: snapshot.directoryID, filter: state.filterText, steps: savedSteps)
    do {
      try session.save(to: state.sessionPath)
    } catch {
      state.modal = .result(title: "The session was not saved", lines: ["\(error)"], isError: true)
      return false
    }
    // The session holds what the journal did.
    journal?.discard()
    state.savedSteps = state.staged
    state.message =
      "Saved \(Counted.of(state.staged.count, "staged change")) to \(state.sessionPath) "
      + "(resume: sis-sync cleanup --review --session \(state.sessionPath))"
    return true
  }

  /// After a commit nothing is staged: a saved session is saved again
  /// empty, so resuming it never offers what is applied already.
  func committedStaged() {
    journal?.discard()
    if state.savedSteps.isEmpty { return }
    state.savedSteps = []
    let session = CleanupSession(directoryID: snapshot.directoryID, filter: state.filterText, steps: [])
    try? session.save(to: state.sessionPath)
  }

  // MARK: - Quitting and reopening

  func requestQuit() {
    if state.hasUnsavedChanges {
      state.modal = .confirmQuit
    } else {
      // Nothing beyond the saved session: the journal holds nothing to recover.
      journal?.discardIfStarted()
      state.shouldExit = true
    }
  }

  func quitKey(_ key: Key) -> [Effect] {
    state.modal = nil
    switch key {
    case .character("s"):
      if saveSession() { state.shouldExit = true }
    case .character("y"), .character("q"), .control("c"):
      // Dropped on purpose: not offered again.
      journal?.discardIfStarted()
      state.shouldExit = true
    default: break
    }
    return []
  }

  /// `r` stages what the journal left behind (in place of the saved
  /// session's changes); `d` drops it.
  func recoveryKey(_ key: Key) -> [Effect] {
    guard let recovered else {
      state.modal = nil
      return []
    }
    switch key {
    case .character("r"):
      state.modal = nil
      self.recovered = nil
      resume(recovered, from: "journal")
      record { journal throws(FileAccessError) in try journal.start(with: savedSteps) }
    case .character("d"), .escape:
      state.modal = nil
      self.recovered = nil
      journal?.discard()
      state.message = "Dropped the \(Counted.of(recovered.count, "recovered change"))"
      showNotApplied()
    default: break
    }
    return []
  }
}
