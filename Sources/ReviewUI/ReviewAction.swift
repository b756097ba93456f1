/// What a key asks for, named for the request (the binding table maps keys
/// to these; the reducer carries them out or says why it cannot).
public enum ReviewAction: Hashable, Sendable {
  case moveUp, moveDown, pageUp, pageDown, moveToTop, moveToBottom
  case nextPane, previousPane
  case selectCategory(ReviewCategory)
  case showDetails
  case search, nextMatch, previousMatch
  case filter, clearFilter
  case toggleExclude, excludeMatching
  case editCustomID, changeBuildingID, acceptSuggestion, assignID, setOrganizationExternalID
  case mapValue, saveMapping
  case undo
  case writeReport, saveSession, commit
  case help, quit
}
