import SyncEngine

/// A large export opens on a preview of its first rows while the whole is
/// planned (`ReviewPreview`): the reviewer can look around, search and
/// read details; counts are marked as counts so far, and decisions,
/// reports and commit wait (`ReviewAvailability`). The whole plan then
/// replaces the preview here.
extension ReviewLoop {
  /// True while the screen shows a preview and the whole plan is made.
  public var isPlanning: Bool { model.planning != nil }

  /// The directory is read and the first rows are planned against it:
  /// their plan replaces the errors-only preview (`LivePlan.awaitsDirectory`);
  /// the whole export is still planned. The cursor stays on its row.
  public func directoryRead(_ preview: LivePlan) {
    let selected = state.selectedItem
    model.replacePlan(preview)
    refreshListing()
    keepSelection(on: selected)
  }

  /// The whole plan is ready: it replaces the preview, the cursor stays
  /// on the row it was on where that row is still in the category, and
  /// what the loader found about a saved session is shown as when the
  /// screen opens on a whole plan.
  public func planningFinished(
    _ plan: LivePlan, notApplied: [NotAppliedDecision] = [], recovered: DecisionJournal.Recovered? = nil
  ) {
    let selected = state.selectedItem
    model.planning = nil
    model.notApplied = notApplied
    model.recovered = recovered
    model.replacePlan(plan)
    state.savedDecisions = model.decisions
    refreshListing()
    keepSelection(on: selected)
    state.message = Message(
      "Planned: all \(Counted.of(plan.rowCount, "row")); counts are final and decisions can be made",
      tone: .addition)
    // A dialog the reviewer opened (a prompt half typed) is not taken away.
    switch state.modal {
    case nil, .help: break
    default: return
    }
    if let recovered {
      state.modal = .offerRecovery(count: recovered.decisions.count)
    } else {
      showNotApplied()
    }
  }
}
