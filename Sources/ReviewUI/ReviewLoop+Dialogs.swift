import Foundation
import SyncEngine
import TextScreen

/// Dialogs: prompts, confirmations, help, the commit and quitting. Their
/// keys come from the binding table like every other key.
extension ReviewLoop {
  /// The word typed to commit a plan that a threshold holds.
  public static let overrideWord = "override"

  func openPrompt(_ prompt: Prompt) { state.modal = .prompt(prompt) }

  /// Carries out an action of a dialog's binding.
  func performInDialog(_ action: ReviewAction, key: Key) -> [ReviewEffect] {
    let modal = state.modal
    switch action {
    case .scrollHelpDown: scrollHelp(by: 1)
    case .scrollHelpUp: scrollHelp(by: -1)
    case .pageHelpDown: scrollHelp(by: layout.listHeight)
    case .pageHelpUp: scrollHelp(by: -layout.listHeight)
    case .closeHelp, .closeResult: state.modal = nil
    case .typeCharacter:
      if case .character(let character) = key { editField { $0.append(character) } }
    case .deleteCharacter: editField { if !$0.isEmpty { $0.removeLast() } }
    case .clearField: editField { $0 = "" }
    case .cancelPrompt: state.modal = nil
    case .nextChoice, .previousChoice:
      guard case .prompt(var prompt) = modal, !prompt.shownChoices.isEmpty else { break }
      let last = prompt.shownChoices.count - 1
      if action == .nextChoice {
        prompt.chosen = min(last, (prompt.chosen ?? -1) + 1)
      } else {
        prompt.chosen = prompt.chosen.flatMap { $0 > 0 ? $0 - 1 : nil }
      }
      state.modal = .prompt(prompt)
    case .submitPrompt:
      guard case .prompt(var prompt) = modal else { break }
      state.modal = nil
      prompt.text = prompt.submittedText
      return submit(prompt)
    case .confirmDecision:
      guard case .confirmDecision(_, let decision) = modal else { break }
      state.modal = nil
      decide(decision)
    case .acceptSchoolMatches:
      guard case .matchSchools(let offers) = modal else { break }
      state.modal = nil
      acceptSchoolMatches(offers)
    case .changeOneRow:
      guard case .buildingScope(let line, _, let to, _) = modal else { break }
      state.modal = nil
      decide(.changeBuildingID(line: line, buildingID: to))
    case .changeAllRows:
      guard case .buildingScope(_, let from, let to, _) = modal else { break }
      state.modal = nil
      decide(.remapBuildingID(from: from, to: to))
    case .declineDecision, .cancelBuildingChange:
      state.modal = nil
      state.message = Message("Cancelled")
    case .reloadPlan:
      state.modal = .applying
      return [.reloadPlan]
    case .applyPlan, .applyHeldPlan:
      state.modal = .applying
      return [.commit(overrideThresholds: action == .applyHeldPlan)]
    case .cancelCommit:
      state.modal = nil
      state.message = Message("Commit cancelled; nothing was applied")
    case .saveAndQuit:
      state.modal = nil
      state.wantsToQuit = true
      return [.saveSession(path: state.sessionPath ?? Self.defaultPath(model.exportPath, suffix: ".session"))]
    case .quitWithoutSaving:
      state.modal = nil
      state.wantsToQuit = true
      state.shouldExit = true
      // Dropped on purpose: not offered again.
      model.journal?.discardIfStarted()
    case .restoreRecovered:
      state.modal = nil
      restoreRecovered()
    case .keepSavedSession:
      state.modal = nil
      model.recovered = nil
      showNotApplied()
    case .stay:
      state.modal = nil
      state.wantsToQuit = false
    default:
      break
    }
    return []
  }

  private func scrollHelp(by delta: Int) {
    guard case .help(let scroll) = state.modal else { return }
    state.modal = .help(scroll: max(0, scroll + delta))
  }

  /// Edits the open text field: a prompt's, or the commit's override word.
  private func editField(_ edit: (inout String) -> Void) {
    switch state.modal {
    case .prompt(var prompt):
      edit(&prompt.text)
      // Typing narrows the offers: the pick starts again.
      prompt.chosen = nil
      state.modal = .prompt(prompt)
    case .confirmCommit(var typed):
      edit(&typed)
      state.modal = .confirmCommit(typed: typed)
    default:
      break
    }
  }

  private func submit(_ prompt: Prompt) -> [ReviewEffect] {
    let text = prompt.text.trimmingCharacters(in: .whitespaces)
    switch prompt.purpose {
    case .search:
      state.search = text.isEmpty ? nil : text
      if !text.isEmpty { findMatch(forward: true) }
    case .goToLine:
      goToLine(text)
    case .protectReason(let accountID):
      guard !text.isEmpty else {
        state.message = Message("Not protected: a reason is required", tone: .warning)
        return []
      }
      state.modal = .applying
      return [.protectAccount(accountID: accountID, reason: text)]
    case .rejectReason:
      guard !text.isEmpty else {
        state.message = Message("Not rejected: a reason is required", tone: .warning)
        return []
      }
      state.modal = .applying
      return [.rejectPendingRun(reason: text)]
    case .filter:
      state.filter = RowFilter(text)
      state.cursor = 0
      state.top = 0
      state.focus = .rows
      let count = listedItems().count
      state.message = state.filter.map {
        Message("Filter '\($0.description)': \(Counted.of(count, "row")) of \(state.category.title)")
      }
    case .editCustomID(let line):
      guard let row = model.livePlan.row(atLine: line),
        text != model.livePlan.effectiveValue(row: row, column: .customID)
      else { return [] }
      if let question = customIDConflict(text, forRow: row, line: line) {
        state.modal = .confirmDecision(question: question, decision: .editCustomID(line: line, customID: text))
      } else {
        decide(.editCustomID(line: line, customID: text))
      }
    case .changeBuildingID(let line):
      guard !text.isEmpty else {
        state.message = Message("A building ID cannot be empty", tone: .error)
        return []
      }
      chooseBuildingScope(line: line, to: text)
    case .assignID(let line):
      assign(line: line, typed: text)
    case .organizationExternalID(let externalID):
      setOrganizationExternalID(externalID, typed: text)
    case .sessionPath:
      guard !text.isEmpty else { return [] }
      state.sessionPath = text
      return [.saveSession(path: text)]
    case .reportPath(let redacted):
      guard !text.isEmpty else { return [] }
      state.reportPath = text
      return [.writeReport(path: text, redacted: redacted)]
    case .mapValue(let column, let from):
      mapValue(column: column, from: from, to: text)
    case .mappingPath:
      guard !text.isEmpty else { return [] }
      return [.saveMapping(path: text)]
    }
    return []
  }

  // MARK: - Quitting

  func requestQuit() {
    if hasUnsavedDecisions {
      state.modal = .confirmQuit
    } else {
      // Nothing beyond the saved session: the journal holds nothing to recover.
      model.journal?.discardIfStarted()
      state.wantsToQuit = true
      state.shouldExit = true
    }
  }

  // MARK: - Reopening

  /// The journal's decisions replace the session's, fitted to this export
  /// and directory as a session's are.
  func restoreRecovered() {
    guard let recovered = model.recovered else { return }
    model.recovered = nil
    let fitted = SessionReanchoring.reanchor(
      recovered.decisions, sameExport: recovered.header.exportSHA256 == model.livePlan.exportSHA256,
      plan: model.livePlan)
    model.replaceDecisions(with: fitted.kept)
    model.notApplied = fitted.notApplied
    keepCursorVisible()
    state.message = Message(
      "Restored \(fitted.kept.count) of \(recovered.decisions.count) recovered decisions", tone: .addition)
    showNotApplied()
  }

  /// Lists the saved decisions that did not fit, with their reasons.
  func showNotApplied() {
    let notApplied = model.notApplied
    guard !notApplied.isEmpty else { return }
    let kept = model.decisions.count
    state.modal = .result(
      title: notApplied.count == 1
        ? "1 saved decision was not applied" : "\(notApplied.count) saved decisions were not applied",
      lines: notApplied.map(\.text) + [
        "\(kept == 1 ? "1 decision" : "\(kept) decisions") applied. The report (w) lists these too."
      ], isError: false)
  }
}
