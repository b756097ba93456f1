import SyncEngine
import TextScreen

/// Draws the open dialog as a framed box over the panes.
struct DialogView {
  let state: ReviewState
  let model: ReviewModel

  func draw(_ modal: Modal, on screen: inout Screen) {
    switch modal {
    case .help(let scroll): drawHelp(scroll: scroll, on: &screen)
    case .prompt(let prompt):
      var lines: [(String, Style)] = [("> " + prompt.text + "█", .plain)]
      if !prompt.hint.isEmpty { lines.append((prompt.hint, .muted)) }
      // The offers (A, b, o), the picked one marked; as many as fit.
      let shown = prompt.shownChoices
      let room = max(1, screen.rows - 10)
      let first = max(0, (prompt.chosen ?? 0) - room + 1)
      for (index, choice) in shown.enumerated().dropFirst(first).prefix(room) {
        let picked = index == prompt.chosen
        lines.append(((picked ? "▸ " : "  ") + choice.label, picked ? Style(.accent, .reverse) : .plain))
      }
      if !prompt.choices.isEmpty && shown.isEmpty { lines.append(("  (none offered matches)", .muted)) }
      lines.append(
        (prompt.choices.isEmpty ? "Enter applies · Esc cancels" : "↑↓ pick · Enter applies · Esc cancels", .muted))
      box(prompt.title, lines, on: &screen)
    case .confirmDecision(let question, _):
      box("Confirm", [(question, .plain), ("y or Enter: yes · any other key: no", .muted)], on: &screen)
    case .matchSchools(let offers):
      var lines: [(String, Style)] = [
        ("Give each organization the building ID of the SIS school it resembles:", .plain)
      ]
      for offer in offers {
        lines.append(
          (
            "  \(offer.organization.name) ← \(offer.externalID) (\(offer.entry.name), \(offer.confidence)%)",
            Style(.change)
          ))
      }
      lines.append(("y or Enter: yes, all of them · any other key: no", .muted))
      box("Match schools", lines, on: &screen)
    case .buildingScope(let line, let from, let to, let sharedBy):
      box(
        "Building ID '\(from)' → '\(to)'",
        [
          ("\(sharedBy) rows carry building ID '\(from)'.", .plain),
          ("r or Enter  line \(line) only", .plain),
          ("a          all \(sharedBy) rows (a remap, kept in the session)", .plain),
          ("Esc        cancel", .muted),
        ], on: &screen)
    case .confirmCommit(let typed): drawCommit(typed: typed, on: &screen)
    case .applying:
      box("Committing", [("Applying the plan in one transaction…", .plain)], on: &screen)
    case .result(let title, let lines, let isError):
      box(
        title, lines.map { ($0, Style(isError ? .error : .plain)) } + [("Any key closes", .muted)], on: &screen,
        titleTone: isError ? .error : .addition)
    case .offerRecovery(let count):
      box(
        "Recovered session",
        [
          ("A review of this export stopped before it was saved.", .plain),
          (
            "A recovered session with " + (count == 1 ? "1 decision" : "\(count) decisions") + ": restore? (y/n)",
            .plain
          ),
          ("y or Enter  restore them (each is checked against this export)", .plain),
          ("n          keep the saved session", .muted),
        ], on: &screen, titleTone: .warning)
    case .stalePlan(let summary, let changes):
      // The counts by kind first; then as many records as fit.
      var lines: [(String, Style)] = [
        ("The directory changed since the plan was made: \(summary) changed (a run in between?).", .plain),
        ("Nothing was applied.", .plain),
        ("r or Enter: re-read the directory and rebuild the plan, decisions kept", .accent),
        ("any other key: close", .muted),
      ]
      let room = max(0, screen.rows - 12)
      for change in changes.prefix(room) { lines.append(("  " + change, .muted)) }
      if changes.count > room { lines.append(("  … and \(changes.count - room) more", .muted)) }
      box("Not applied: the plan is stale", lines, on: &screen, titleTone: .warning)
    case .confirmQuit:
      box(
        "Quit?",
        [
          (
            unsavedCount == 1 ? "1 decision is not saved." : "\(unsavedCount) decisions are not saved.", .plain
          ),
          ("s  save the session, then quit", .plain),
          ("q  quit without saving", .plain),
          ("Esc  stay", .muted),
        ], on: &screen, titleTone: .warning)
    }
  }

  /// Decisions made or undone since the last save (the saved ones are
  /// not counted again).
  private var unsavedCount: Int {
    let saved = state.savedDecisions
    let now = model.decisions
    let kept = zip(saved, now).prefix { $0 == $1 }.count
    return (now.count - kept) + (saved.count - kept)
  }

  private func drawCommit(typed: String, on screen: inout Screen) {
    let summary = model.livePlan.summary
    var lines: [(String, Style)] = [
      ("The engine will apply, in one transaction:", .plain),
      ("  + \(summary.create) create", Style(.addition)),
      ("  ~ \(summary.update) update", Style(.change)),
    ]
    if summary.idChange > 0 {
      lines.append(("  > \(summary.idChange) ID change (accepted by committing)", Style(.change, .bold)))
    }
    lines += [
      (
        "  - \(summary.disable + model.disablesOfAbsentAccounts) disable"
          + (model.disablesOfAbsentAccounts > 0 ? " (\(model.disablesOfAbsentAccounts) absent from the export)" : ""),
        Style(.removal)
      ),
      ("  ^ \(summary.reactivate) reactivate", Style(.change)),
      ("  = \(summary.assignID) assign ID", Style(.change)),
    ]
    let organizations = model.livePlan.decisions.organizationExternalIDs.count
    if organizations > 0 { lines.append(("  # \(organizations) organization external IDs", Style(.change))) }
    if let rollover = state.rollover {
      // The rollover's groups: the few decisions a rollover asks for.
      lines.append(("Expected by the rollover (not counted by the thresholds):", .accent))
      for group in RolloverGroup.allCases { lines.append(("  " + group.title(count: rollover.count(group)), .plain)) }
    }
    lines.append(
      (
        "Not applied: \(Counted.of(summary.rowsWithErrors, "row")) with errors, \(summary.excluded) excluded.",
        .muted
      ))
    let holds = state.holds
    if holds.isEmpty {
      lines.append(("y or Enter: apply · n or Esc: cancel", .accent))
    } else {
      lines.append(("HELD by a threshold:", Style(.warning, .bold)))
      for hold in holds { lines.append(("  " + hold.message, Style(.warning))) }
      lines.append(("To apply anyway, type \(ReviewLoop.overrideWord) and press Enter (Esc cancels):", .accent))
      lines.append(("> " + typed + "█", .plain))
    }
    box("Commit the approved plan?", lines, on: &screen)
  }

  private var availability: ReviewAvailability { ReviewAvailability(state: state, model: model) }

  private func drawHelp(scroll: Int, on screen: inout Screen) {
    var lines: [(String, Style)] = []
    if let planning = model.planning {
      // What the reviewer sees before the plan is whole, and why keys wait.
      lines += [
        ("While planning (\(ReviewAvailability.progressText(planning, of: model.livePlan)))", Style(.warning, .bold)),
        ("  The first rows of the export are shown, planned on their own, while", .plain),
        ("  the rest is read and planned. Counts end in … : counts so far, not", .plain),
        ("  final. Moving, search, filter and details work; decisions, reports", .plain),
        ("  and commit wait until the whole plan replaces this one (the header", .plain),
        ("  then drops PLANNING and the cursor stays on its row).", .plain),
      ]
      if model.livePlan.awaitsDirectory {
        lines += [
          ("  While the directory is read, only the first rows' errors are shown:", .plain),
          ("  what the other rows change needs the accounts they are planned against.", .plain),
        ]
      }
    }
    for section in KeyBinding.Section.allCases {
      if !lines.isEmpty { lines.append(("", .plain)) }
      lines.append((section.rawValue, Style(.accent, .bold)))
      for row in KeyBindings.helpRows where row.section == section {
        let keys = "  " + DisplayWidth.fitted(row.keys, to: 12) + " "
        // A key of the panes that does nothing now says why, on a line
        // under it (the reason its key would show in the status line).
        let reason = section.context == .panes ? availability.disabledReason(row.action) : nil
        lines.append((keys + row.help, reason == nil ? .plain : .muted))
        if let reason {
          let because = reason.text.prefix(1).lowercased() + reason.text.dropFirst()
          lines.append((String(repeating: " ", count: 15) + "not now: " + because, .muted))
        }
      }
    }
    // The marks before each row, which no key names.
    lines += [
      ("", .plain), ("Marks in the rows list", Style(.accent, .bold)),
      ("  !            the row has a warning: its code is shown, Enter explains it", .plain),
      ("  x            you excluded the row from this run (x again includes it)", .plain),
    ]
    let height = max(1, screen.rows - 6)
    let start = min(scroll, max(0, lines.count - height))
    var shown = Array(lines[start..<min(lines.count, start + height)])
    shown.append(
      (lines.count > height ? "↑↓ PgUp PgDn scroll · any other key closes" : "Any key closes", .muted))
    box("Keys", shown, on: &screen)
  }

  private func box(
    _ title: String, _ lines: [(String, Style)], on screen: inout Screen, titleTone: Style.Tone = .accent
  ) {
    DialogBox.draw(title, lines, on: &screen, titleTone: titleTone)
  }
}
