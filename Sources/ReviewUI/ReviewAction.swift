import SyncEngine
import TextScreen

/// What a key asks for, named for the request (the binding table maps keys
/// to these; the update step carries them out, or says why it cannot).
public enum ReviewAction: Hashable, Sendable {
  // The panes.
  case moveUp, moveDown, pageUp, pageDown, moveToTop, moveToBottom
  case nextPane, previousPane
  case selectCategory(ReviewCategory)
  case showDetails, leaveDetails
  case search, nextMatch, previousMatch, goToLine
  case filter, clearFilter
  case showTimeline
  case toggleExclude, excludeMatching
  case editCustomID, changeBuildingID, acceptSuggestion, assignID, setOrganizationExternalID
  case mapValue, saveMapping
  case matchSchools
  case acceptProposedEmail, acceptAllProposedEmails
  case protectAccount
  case undo
  case writeReport, writeRedactedReport, saveSession, commit
  /// `review --pending`: refuse the held scheduled run (asks why).
  case rejectPendingRun
  case help, quit
  // The help screen.
  case scrollHelpDown, scrollHelpUp, pageHelpDown, pageHelpUp, closeHelp
  // A text field (a prompt, or the word that overrides a threshold).
  case typeCharacter, deleteCharacter, clearField, submitPrompt, cancelPrompt, nextChoice, previousChoice
  // Questions.
  case confirmDecision, declineDecision
  case acceptSchoolMatches
  case changeOneRow, changeAllRows, cancelBuildingChange
  case applyPlan, applyHeldPlan, cancelCommit
  case closeResult, reloadPlan
  case saveAndQuit, quitWithoutSaving, stay
  case restoreRecovered, keepSavedSession
}

/// What happened, as the loop's update step takes it in (The Composable
/// Architecture's actions): a key, a new terminal size, or the outcome of
/// an effect the runner ran through the services.
public enum ReviewEvent: Equatable, Sendable {
  case keyPressed(Key)
  case resized(rows: Int, columns: Int)
  case sessionSaved(path: String, decisions: [Decision])
  case sessionNotSaved(reason: String)
  case reportWritten(files: [String])
  case reportNotWritten(reason: String)
  case mappingSaved(path: String)
  case mappingNotSaved(reason: String)
  case committed(CommitOutcome)
  case commitFailed(reason: String)
  /// The directory changed since the plan was made: what changed, counted
  /// by kind, then the records.
  case commitStale(summary: String, changes: [String])
  case planReloaded(ReloadedPlan)
  case planNotReloaded(reason: String)
  /// The selected person's timeline (`t`), as the dialog lists it.
  case timelineLoaded(title: String, lines: [String])
  case timelineNotLoaded(reason: String)
  /// `K`: the account is protected (as run `runID`), the plan rebuilt.
  case accountProtected(runID: Int64?, ReloadedPlan)
  case accountNotProtected(reason: String)
  /// `R`: the held run under review was rejected; nothing applied.
  case pendingRejected
  case pendingNotRejected(reason: String)
}

/// What the screen asks the runner to do outside itself. The runner draws
/// the current frame first (so "Applying…" shows), then runs it.
public enum ReviewEffect: Equatable, Sendable {
  case saveSession(path: String)
  /// `redacted`: names and emails masked, as `--redact` does.
  case writeReport(path: String, redacted: Bool)
  case saveMapping(path: String)
  case commit(overrideThresholds: Bool)
  case reloadPlan
  /// Reads the runs that changed this account (`t`); writes nothing.
  case loadTimeline(accountID: Int64)
  /// Protects the account in the directory (one run), then rebuilds the plan.
  case protectAccount(accountID: Int64, reason: String)
  /// Rejects the held run under review (`review --pending`), with why.
  case rejectPendingRun(reason: String)
}
