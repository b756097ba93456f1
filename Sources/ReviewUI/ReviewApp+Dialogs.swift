import Foundation
import SyncEngine
import TextScreen

/// Dialogs: prompts, confirmations, help, the commit and quitting.
extension ReviewApp {
  /// The word typed to commit a plan that a threshold holds.
  public static let overrideWord = "override"

  func openPrompt(_ prompt: Prompt) { state.modal = .prompt(prompt) }

  func handleModal(_ key: Key) -> [ReviewEffect] {
    guard let modal = state.modal else { return [] }
    switch modal {
    case .help(let scroll):
      switch key {
      case .down, .character("j"): state.modal = .help(scroll: scroll + 1)
      case .up, .character("k"): state.modal = .help(scroll: max(0, scroll - 1))
      case .pageDown, .character(" "): state.modal = .help(scroll: scroll + layout.listHeight)
      case .pageUp: state.modal = .help(scroll: max(0, scroll - layout.listHeight))
      default: state.modal = nil
      }
    case .prompt(var prompt):
      switch key {
      case .escape, .control("c"): state.modal = nil
      case .enter:
        state.modal = nil
        return submit(prompt)
      case .backspace, .delete:
        if !prompt.text.isEmpty { prompt.text.removeLast() }
        state.modal = .prompt(prompt)
      case .control("u"):
        prompt.text = ""
        state.modal = .prompt(prompt)
      case .character(let character):
        prompt.text.append(character)
        state.modal = .prompt(prompt)
      default: break
      }
    case .confirmDecision(_, let decision):
      state.modal = nil
      if key == .character("y") || key == .enter { decide(decision) } else { state.message = Message("Cancelled") }
    case .buildingScope(let line, let from, let to, _):
      state.modal = nil
      switch key {
      case .character("r"), .enter: decide(.changeBuildingID(line: line, buildingID: to))
      case .character("a"): decide(.remapBuildingID(from: from, to: to))
      default: state.message = Message("Cancelled")
      }
    case .confirmCommit(let typed):
      return handleCommitKey(key, typed: typed)
    case .applying:
      break
    case .result:
      state.modal = nil
    case .confirmQuit:
      switch key {
      case .character("s"):
        state.modal = nil
        state.wantsToQuit = true
        return [.saveSession(path: state.sessionPath ?? Self.defaultPath(model.exportPath, suffix: ".session"))]
      case .character("q"), .character("y"), .control("c"):
        state.modal = nil
        state.wantsToQuit = true
        state.shouldExit = true
      default:
        state.modal = nil
        state.wantsToQuit = false
      }
    }
    return []
  }

  private func submit(_ prompt: Prompt) -> [ReviewEffect] {
    let text = prompt.text.trimmingCharacters(in: .whitespaces)
    switch prompt.purpose {
    case .search:
      state.search = text.isEmpty ? nil : text
      if !text.isEmpty { findMatch(forward: true) }
    case .filter:
      state.filter = RowFilter(text)
      state.cursor = 0
      state.top = 0
      state.focus = .rows
      let count = visibleItems.count
      state.message = state.filter.map {
        Message("Filter '\($0.description)': \(count) rows of \(state.category.title)")
      }
    case .editCustomID(let line):
      guard let row = model.plan.row(atLine: line), text != model.plan.effectiveValue(row: row, column: .customID)
      else { return [] }
      decide(.editCustomID(line: line, customID: text))
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
    case .reportPath:
      guard !text.isEmpty else { return [] }
      state.reportPath = text
      return [.writeReport(path: text)]
    case .mapValue(let column, let from):
      mapValue(column: column, from: from, to: text)
    case .mappingPath:
      guard !text.isEmpty else { return [] }
      return [.saveMapping(path: text)]
    }
    return []
  }

  // MARK: - Commit

  func startCommit() {
    if let run = state.committedRun {
      state.message = Message("Already committed as run \(run); quit and start a new review", tone: .muted)
      return
    }
    let summary = model.plan.summary
    let changes =
      summary.create + summary.update + summary.disable + summary.reactivate + summary.assignID
      + model.disablesOfAbsentAccounts + model.plan.decisions.organizationExternalIDs.count
    guard changes > 0 else {
      state.message = Message("Nothing to commit: the directory already matches the approved rows", tone: .muted)
      return
    }
    state.modal = .confirmCommit(typed: "")
  }

  /// The plan as it would be committed now (thresholds as set).
  public func currentPlan(overrideThresholds: Bool = false) -> Plan {
    var plan = model.plan.plan()
    plan.options.overrideThresholds = overrideThresholds
    return plan
  }

  private func handleCommitKey(_ key: Key, typed: String) -> [ReviewEffect] {
    let held = !currentHolds.isEmpty
    switch key {
    case .escape, .control("c"):
      state.modal = nil
      state.message = Message("Commit cancelled; nothing was applied")
    case .character("n") where !held:
      state.modal = nil
      state.message = Message("Commit cancelled; nothing was applied")
    case .enter:
      if held && typed != Self.overrideWord { return [] }
      state.modal = .applying
      return [.commit(overrideThresholds: held)]
    case .character("y") where !held:
      state.modal = .applying
      return [.commit(overrideThresholds: false)]
    case .backspace where held:
      state.modal = .confirmCommit(typed: String(typed.dropLast()))
    case .character(let character) where held:
      state.modal = .confirmCommit(typed: typed + String(character))
    default:
      break
    }
    return []
  }

  // MARK: - Quitting

  func requestQuit() {
    if hasUnsavedDecisions {
      state.modal = .confirmQuit
    } else {
      state.wantsToQuit = true
      state.shouldExit = true
    }
  }

  // MARK: - Effects

  /// Runs an effect through the services and shows its outcome.
  public func perform(_ effect: ReviewEffect, services: ReviewServices) {
    switch effect {
    case .saveSession(let path):
      let session = ReviewSession(
        exportPath: model.exportPath, exportSHA256: model.plan.exportSHA256,
        mapping: model.plan.validation.mappingOrigin,
        decisions: model.decisions)
      do {
        try services.saveSession(session, to: path)
        savedDecisions = model.decisions
        state.message = Message("Session saved to \(path) (\(model.decisions.count) decisions)", tone: .addition)
        if state.wantsToQuit { state.shouldExit = true }
      } catch {
        state.wantsToQuit = false
        state.message = Message("Could not save the session: \(error)", tone: .error)
      }
    case .writeReport(let path):
      do {
        let written = try services.writeReport(currentPlan(), validation: model.plan.validation, basePath: path)
        state.message = Message("Report written: " + written.joined(separator: ", "), tone: .addition)
      } catch {
        state.message = Message("Could not write the report: \(error)", tone: .error)
      }
    case .saveMapping(let path):
      let mapping = model.mapping.adding(model.plan.decisions)
      let preset = model.mapping.origin.hasPrefix("preset ") ? MappingPreset.named(presetName(model.mapping)) : nil
      let text = MappingFileWriter.text(
        mapping, extending: preset,
        comment: "Written by sis-sync review (from \(model.mapping.origin) and the value decisions of the review).\n"
          + "Use: sis-sync plan EXPORT --mapping \(path)")
      do {
        try services.saveMapping(text, to: path)
        state.message = Message("Mapping saved to \(path); pass it with --mapping", tone: .addition)
      } catch {
        state.message = Message("Could not save the mapping: \(error)", tone: .error)
      }
    case .commit(let overrideThresholds):
      let plan = currentPlan(overrideThresholds: overrideThresholds)
      do {
        switch try services.commit(plan) {
        case .applied(let runID, let counts):
          state.committedRun = runID
          let applied = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
          state.modal = .result(
            title: "Applied as run \(runID)",
            lines: [
              applied, "Rows with errors and excluded rows were not applied.",
              "See it with: sis-sync show \(runID); undo it with: sis-sync revert \(runID)",
            ], isError: false)
        case .nothingToApply:
          state.modal = .result(title: "Nothing to apply", lines: ["The directory already matches."], isError: false)
        }
      } catch {
        state.modal = .result(
          title: "Not applied", lines: ["\(error)", "The directory was not changed."], isError: true)
      }
    }
  }
}
