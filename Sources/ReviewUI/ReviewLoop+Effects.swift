import Foundation
import SyncEngine

/// Effects: run through the injected services (files, the directory),
/// their outcome fed back to the update step as an event.
extension ReviewLoop {
  /// The plan as it would be committed now (thresholds as set). The
  /// reviewer saw the ID changes in their category, and the commit dialog
  /// counts them: committing from review accepts them.
  public func currentPlan(overrideThresholds: Bool = false) -> Plan {
    var plan = model.livePlan.plan()
    plan.options.overrideThresholds = overrideThresholds
    plan.options.acceptIDChanges = true
    return plan
  }

  /// Runs an effect through the services; changes no state.
  public func outcome(of effect: ReviewEffect, services: any ReviewServices) -> ReviewEvent {
    switch effect {
    case .saveSession(let path):
      let decisions = model.decisions
      let session = ReviewSession(
        exportPath: model.exportPath, mapping: model.livePlan.validation.mappingOrigin, plan: model.livePlan)
      do {
        try services.saveSession(session, to: path)
        // Compacted: the session holds the journal's decisions now.
        model.journal?.discard()
        return .sessionSaved(path: path, decisions: decisions)
      } catch {
        return .sessionNotSaved(reason: "\(error)")
      }
    case .writeReport(let path, let redacted):
      do {
        let written = try services.writeReport(
          currentPlan(), validation: model.livePlan.validation, notApplied: model.notApplied, basePath: path,
          redacted: redacted)
        return .reportWritten(files: written)
      } catch {
        return .reportNotWritten(reason: "\(error)")
      }
    case .saveMapping(let path):
      let mapping = model.mapping.adding(model.livePlan.decisions)
      let preset = model.mapping.origin.hasPrefix("preset ") ? MappingPreset.named(presetName(model.mapping)) : nil
      let text = MappingFileWriter.text(
        mapping, extending: preset,
        comment: "Written by sis-sync review (from \(model.mapping.origin) and the value decisions of the review).\n"
          + "Use: sis-sync plan EXPORT --mapping \(path)")
      do {
        try services.saveMapping(text, to: path)
        return .mappingSaved(path: path)
      } catch {
        return .mappingNotSaved(reason: "\(error)")
      }
    case .commit(let overrideThresholds):
      do {
        return .committed(try services.commit(currentPlan(overrideThresholds: overrideThresholds)))
      } catch let refusal as ApplyRefusal where refusal.staleChanges != nil {
        let changes = refusal.staleChanges ?? []
        return .commitStale(summary: ApplyRefusal.countsByKind(changes), changes: changes)
      } catch {
        return .commitFailed(reason: "\(error)")
      }
    case .reloadPlan:
      let input = ReviewLoader.Input(
        exportPath: model.exportPath, mapping: model.mapping, options: model.livePlan.options, sessionPath: nil)
      do {
        return .planReloaded(ReloadedPlan(try services.reloadPlan(input, decisions: model.decisions)))
      } catch {
        return .planNotReloaded(reason: "\(error)")
      }
    case .rejectPendingRun(let reason):
      do {
        try services.rejectPendingRun(reason: reason)
        return .pendingRejected
      } catch {
        return .pendingNotRejected(reason: "\(error)")
      }
    case .protectAccount(let accountID, let reason):
      let input = ReviewLoader.Input(
        exportPath: model.exportPath, mapping: model.mapping, options: model.livePlan.options, sessionPath: nil)
      do {
        let runID = try services.protectAccount(id: accountID, reason: reason)
        return .accountProtected(
          runID: runID, ReloadedPlan(try services.reloadPlan(input, decisions: model.decisions)))
      } catch {
        return .accountNotProtected(reason: "\(error)")
      }
    case .loadTimeline(let accountID):
      do {
        let timeline = try services.timeline(ofAccount: accountID)
        var lines: [String] = []
        if timeline.entries.isEmpty { lines.append("No run changed this account.") }
        for entry in timeline.entries {
          lines.append(PersonReport.runLine(entry.run))
          lines += entry.changes.map { RunReport.describe($0) }
        }
        return .timelineLoaded(title: PersonReport.heading(timeline), lines: lines)
      } catch {
        return .timelineNotLoaded(reason: "\(error)")
      }
    }
  }

  /// The update step's part for an effect's outcome: says how it went.
  func effectFinished(_ event: ReviewEvent) {
    switch event {
    case .sessionSaved(let path, let decisions):
      state.savedDecisions = decisions
      state.message = Message(
        "Session saved to \(path) (\(Counted.of(decisions.count, "decision")))", tone: .addition)
      if state.wantsToQuit { state.shouldExit = true }
    case .sessionNotSaved(let reason):
      state.wantsToQuit = false
      state.message = Message("Could not save the session: \(reason)", tone: .error)
    case .reportWritten(let files):
      state.message = Message("Report written: " + files.joined(separator: ", "), tone: .addition)
    case .reportNotWritten(let reason):
      state.message = Message("Could not write the report: \(reason)", tone: .error)
    case .mappingSaved(let path):
      state.message = Message("Mapping saved to \(path); pass it with --mapping", tone: .addition)
    case .mappingNotSaved(let reason):
      state.message = Message("Could not save the mapping: \(reason)", tone: .error)
    case .committed(.applied(let runID, let counts)):
      state.committedRun = runID
      // In words ("1 existing account given its custom_id"), not action names.
      let applied = RunCountWords.describe(counts)
      state.modal = .result(
        title: "Applied as run \(runID)",
        lines: [
          applied, "Rows with errors and excluded rows were not applied.",
          CommandHint.seeAndUndo(run: runID, directory: model.directoryOption),
        ], isError: false)
    case .committed(.nothingToApply):
      state.modal = .result(title: "Nothing to apply", lines: ["The directory already matches."], isError: false)
    case .commitStale(let summary, let changes):
      state.modal = .stalePlan(summary: summary, changes: changes)
    case .planReloaded(let reloaded):
      let selected = state.selectedItem
      model.replacePlan(reloaded.plan)
      keepSelection(on: selected)
      state.modal = nil
      state.message = Message(
        "Plan rebuilt against the directory as it is now, \(Counted.of(model.decisions.count, "decision")) kept; "
          + "c commits it", tone: .addition)
    case .planNotReloaded(let reason):
      state.modal = .result(
        title: "Not reloaded", lines: [reason, "The plan and the directory are as they were."], isError: true)
    case .accountProtected(let runID, let reloaded):
      let selected = state.selectedItem
      model.replacePlan(reloaded.plan)
      keepSelection(on: selected)
      state.modal = nil
      state.message = Message(
        runID.map { "Account protected as run \($0) (revert undoes it); what it would get is in Held back" }
          ?? "The account was protected already", tone: .addition)
    case .pendingRejected:
      state.rejectedPendingRun = true
      state.modal = .result(
        title: "Pending run \(model.pendingRun.map(String.init) ?? "") rejected",
        lines: ["Nothing was applied; the reason is kept in history.", "q quits."], isError: false)
    case .pendingNotRejected(let reason):
      state.modal = .result(title: "Not rejected", lines: [reason, "The held run still waits."], isError: true)
    case .accountNotProtected(let reason):
      state.modal = .result(title: "Not protected", lines: [reason, "The directory was not changed."], isError: true)
    case .timelineLoaded(let title, let lines):
      state.modal = .result(title: title, lines: lines, isError: false)
    case .timelineNotLoaded(let reason):
      state.modal = .result(title: "No timeline", lines: [reason], isError: true)
    case .commitFailed(let reason):
      state.modal = .result(title: "Not applied", lines: [reason, "The directory was not changed."], isError: true)
    case .keyPressed, .resized:
      break
    }
  }
}
