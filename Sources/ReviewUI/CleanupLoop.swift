import Foundation
import SyncEngine
import TextScreen

/// The cleanup screen (`sis-sync cleanup --review`) as update and view,
/// like `ReviewLoop`: `send` takes a key, changes the state and returns
/// effects; `press` runs them against the directory; `render` paints the
/// state. The directory's own accounts are listed through a `CleanupFilter`,
/// changes are staged on them, and commit applies the staged changes as
/// one `CleanupPlan` (one run, with history and revert). No terminal here.
public final class CleanupLoop {
  public internal(set) var state: CleanupState
  public private(set) var snapshot: DirectorySnapshot
  let store: any DirectoryStore
  let options: PlanOptions
  /// Records each staged change as it is made (nil: not journaled).
  let journal: CleanupJournal?
  /// Why the journal could not be written, the last time it failed.
  public internal(set) var journalProblem: String?
  /// Staged changes a journal left behind, offered on opening.
  var recovered: [CleanupSession.SavedStep]?
  /// What a resumed session (or restored journal) could not stage, and why.
  public internal(set) var notApplied: [String] = []
  private var planCache: (staged: [CleanupStep], plan: StagedPlan)?

  /// The word typed to commit a plan that a threshold holds (as in review).
  public static let overrideWord = ReviewLoop.overrideWord

  /// Work the loop asks of the directory.
  public enum Effect: Sendable, Equatable {
    /// Select the accounts of this (already parsed) filter.
    case select(String)
    case commit(overrideThresholds: Bool)
  }

  /// `session` names where `s` saves, with what a saved session and a
  /// journal left behind hold (resumed and offered); without it nothing is
  /// journaled and `s` saves to `cleanup.session`.
  public init(
    store: any DirectoryStore, filter: String, options: PlanOptions = PlanOptions(),
    session: CleanupSessionFiles? = nil, rows: Int, columns: Int
  ) throws {
    self.store = store
    self.options = options
    let snapshot = try store.snapshot()
    self.snapshot = snapshot
    journal = session.map { CleanupJournal(path: $0.journalPath, directoryID: snapshot.directoryID) }
    state = CleanupState(
      rows: rows, columns: columns, filterText: filter,
      sessionPath: session?.path ?? CleanupSessionFiles.defaultPath)
    run(.select(filter))
    if let saved = session?.saved { resume(saved.steps, from: "saved session") }
    state.savedSteps = state.staged
    if let recovered = session?.recovered {
      self.recovered = recovered
      state.modal = .offerRecovered(count: recovered.count)
    }
  }

  // MARK: - The step

  /// One key: the update, then its effects run against the directory.
  /// `show` gets the frame after the key and after each effect.
  public func press(_ key: Key, show: ((Screen) -> Void)? = nil) {
    let effects = send(key)
    show?(render())
    for effect in effects {
      run(effect)
      show?(render())
    }
  }

  public func resize(rows: Int, columns: Int) {
    state.rows = rows
    state.columns = columns
    keepCursorVisible()
  }

  public func render() -> Screen { CleanupView(state: state, snapshot: snapshot, staged: stagedPlan).render() }

  /// The staged changes' plan as the screen shows it, planned once per
  /// change of what is staged (not on every frame).
  var stagedPlan: StagedPlan {
    if let planCache, planCache.staged == state.staged { return planCache.plan }
    let plan = StagedPlan(outcome: try? currentPlan())
    planCache = (state.staged, plan)
    return plan
  }

  /// The staged changes as one plan (thresholds as set).
  public func currentPlan(overrideThresholds: Bool = false) throws -> CleanupOutcome {
    var options = options
    options.overrideThresholds = overrideThresholds
    let description =
      "screen: " + state.staged.map { "\($0.action.text) (\($0.accounts.count))" }.joined(separator: ", ")
    return try CleanupPlan.plan(steps: state.staged, description: description, directory: snapshot, options: options)
  }

  /// The update: a key in, the state changed, effects out.
  @discardableResult
  public func send(_ key: Key) -> [Effect] {
    if case .mouse(let event) = key {
      // Dialogs are answered with keys: a stray click changes nothing.
      if state.modal == nil { mousePressed(event) }
      return []
    }
    switch state.modal {
    case nil: return listKey(key)
    case .prompt(let prompt, let text): return promptKey(key, prompt: prompt, text: text)
    case .confirmCommit(let typed): return confirmKey(key, typed: typed)
    case .result, .help:
      state.modal = nil
      return []
    case .confirmQuit: return quitKey(key)
    case .offerRecovered: return recoveryKey(key)
    }
  }

  private func listKey(_ key: Key) -> [Effect] {
    state.message = nil
    guard let action = CleanupKeys.action(for: key) else {
      if key != .resize { state.message = "\(key.label) does nothing here: ? lists the keys" }
      return []
    }
    switch action {
    case .moveUp: moveCursor(by: -1)
    case .moveDown: moveCursor(by: 1)
    case .pageUp: moveCursor(by: -state.listHeight)
    case .pageDown: moveCursor(by: state.listHeight)
    case .toggleMark:
      guard state.shown.indices.contains(state.cursor) else { break }
      let account = state.shown[state.cursor]
      if state.marked.remove(account) == nil { state.marked.insert(account) }
      moveCursor(by: 1)
    case .filter: state.modal = .prompt(.filter, text: state.filterText)
    case .disable: stage(.disable)
    case .reactivate: stage(.reactivate)
    case .moveTo: openPrompt(.moveTo)
    case .setGrade: openPrompt(.setGrade)
    case .setPosition: openPrompt(.setPosition)
    case .undo:
      if let last = state.staged.popLast() {
        state.message = "Undone: \(last.action.text) of \(Counted.of(last.accounts.count, "account"))"
        journalUndo()
      } else {
        state.message = "Nothing is staged"
      }
    case .commit:
      if state.staged.isEmpty {
        state.message = "Nothing is staged: mark accounts (Space) and stage a change (d r m g p)"
      } else {
        state.modal = .confirmCommit(typed: "")
      }
    case .saveSession: state.modal = .prompt(.sessionPath, text: state.sessionPath)
    case .help: state.modal = .help
    case .quit: requestQuit()
    }
    return []
  }

  private func openPrompt(_ prompt: CleanupPrompt) {
    guard !state.targets.isEmpty else {
      state.message = "No account is shown: change the filter (f)"
      return
    }
    state.modal = .prompt(prompt, text: "")
  }

  /// Stages an action on the marked accounts, else on every shown one.
  private func stage(_ action: CleanupAction) {
    let targets = state.targets
    guard !targets.isEmpty else {
      state.message = "No account is shown: change the filter (f)"
      return
    }
    do { try CleanupPlan.check(action, snapshot) } catch {
      state.message = "Not staged: \(error)"
      return
    }
    let step = CleanupStep(accounts: targets, action: action)
    state.staged.append(step)
    // Staged changes that cannot make one plan together are refused now.
    do { _ = try currentPlan() } catch {
      state.staged.removeLast()
      state.message = "Not staged: \(error)"
      return
    }
    state.marked = []
    state.message = "Staged: \(action.text) of \(Counted.of(targets.count, "account")) (u undoes, c commits)"
    journalStep(step)
  }

  private func promptKey(_ key: Key, prompt: CleanupPrompt, text: String) -> [Effect] {
    switch key {
    case .escape, .control("c"): state.modal = nil
    case .backspace, .delete: state.modal = .prompt(prompt, text: String(text.dropLast()))
    case .control("u"): state.modal = .prompt(prompt, text: "")
    case .character(let character): state.modal = .prompt(prompt, text: text + String(character))
    case .enter:
      state.modal = nil
      let value = text.trimmingCharacters(in: .whitespaces)
      switch prompt {
      case .filter: return [.select(value)]
      case .moveTo where !value.isEmpty: stage(.moveTo(value))
      case .setGrade: stage(.setGrade(value))
      case .setPosition: stage(.setPosition(value))
      case .moveTo: state.message = "No building given: nothing staged"
      case .sessionPath where !value.isEmpty:
        state.sessionPath = value
        saveSession()
      case .sessionPath: state.message = "No path given: not saved"
      }
    default: break
    }
    return []
  }

  private func confirmKey(_ key: Key, typed: String) -> [Effect] {
    let held = (try? currentPlan().plan.isHeld) ?? false
    switch key {
    case .escape, .control("c"),
      .character("n") where !held:
      state.modal = nil
      state.message = "Nothing was applied"
    case .enter,
      .character("y") where !held:
      if held && typed != Self.overrideWord { return [] }
      state.modal = nil
      return [.commit(overrideThresholds: held)]
    case .backspace, .delete: state.modal = .confirmCommit(typed: String(typed.dropLast()))
    case .character(let character) where held: state.modal = .confirmCommit(typed: typed + String(character))
    default: break
    }
    return []
  }

  // MARK: - Effects

  private func run(_ effect: Effect) {
    switch effect {
    case .select(let text): select(text)
    case .commit(let overrideThresholds): commit(overrideThresholds: overrideThresholds)
    }
  }

  private func select(_ text: String) {
    do {
      let filter = try CleanupFilter.parse(text)
      let history = filter.needsHistory ? try CleanupHistory.read(for: filter, from: store) : nil
      state.filterText = text
      state.shown = filter.accounts(in: snapshot, history: history)
      state.marked = state.marked.intersection(state.shown)
      state.cursor = 0
      state.top = 0
    } catch {
      state.modal = .result(title: "The filter cannot be used", lines: ["\(error)"], isError: true)
    }
  }

  private func commit(overrideThresholds: Bool) {
    do {
      let outcome = try currentPlan(overrideThresholds: overrideThresholds)
      switch try store.apply(outcome.plan) {
      case .applied(let run):
        state.committedRun = run.id
        state.staged = []
        state.marked = []
        snapshot = try store.snapshot()
        committedStaged()
        var lines = ["Applied as run \(run.id): " + RunReport.counts(run) + "."]
        if !outcome.leftOut.isEmpty {
          lines.append("\(Counted.of(outcome.leftOut.count, "account")) left out (not managed: no custom_id).")
        }
        lines.append("Undo it with: sis-sync revert \(run.id)")
        state.modal = .result(title: "Committed", lines: lines, isError: false)
        select(state.filterText)
      case .nothingToApply:
        state.modal = .result(title: "Nothing to apply", lines: ["The staged changes change nothing."], isError: false)
      }
    } catch {
      state.modal = .result(title: "Not applied", lines: ["\(error)"], isError: true)
    }
  }

  // MARK: - Moving

  /// Rows the wheel moves per notch (as in review).
  static let wheelStep = ReviewLoop.wheelStep

  /// A click puts the cursor on the account it lands on; the wheel moves it.
  private func mousePressed(_ event: MouseEvent) {
    state.message = nil
    switch event.kind {
    case .click:
      let index = state.top + event.row - CleanupState.listRow
      guard event.row >= CleanupState.listRow, event.row < CleanupState.listRow + state.listHeight,
        state.shown.indices.contains(index)
      else { return }
      state.cursor = index
    case .wheelUp: moveCursor(by: -Self.wheelStep)
    case .wheelDown: moveCursor(by: Self.wheelStep)
    }
  }

  private func moveCursor(by delta: Int) {
    state.cursor = max(0, min(state.shown.count - 1, state.cursor + delta))
    keepCursorVisible()
  }

  private func keepCursorVisible() {
    if state.cursor < state.top { state.top = state.cursor }
    if state.cursor >= state.top + state.listHeight { state.top = state.cursor - state.listHeight + 1 }
  }
}
