import SyncDirectory
import SyncModel
import SyncPlanning

extension DirectoryStore {
  /// The settings of the directory's current state, with that state.
  public func settings() throws(DirectoryError) -> (settings: DirectorySettings, state: DirectoryState) {
    try reading { directory in
      (
        DirectorySettings(
          stored: try directory.settings(), protections: try directory.protections(),
          accountSources: try directory.accountSources(),
          accountLocalFields: try directory.localFields()),
        try directory.state()
      )
    }
  }

  /// Stores a setting (nil: removes it, back to its default) as one run:
  /// recorded in history with its value before and after, undone by
  /// `revert`, and moving the directory to a new state, so that a plan
  /// made under the old settings is refused as stale. The value is checked
  /// against the registry first; `nil` when the setting already was so
  /// (nothing is recorded). Another writer makes it `ApplyRefusal.locked`.
  public func changeSetting(_ key: String, to value: String?) throws -> RunRecord? {
    let definition = try SettingsRegistry.definition(key)
    let value = try value.map { text throws(SettingError) in try definition.checked(text) }
    do {
      return try write { directory in try SettingsRules.change(key, to: value, in: directory) }
    } catch let locked as DirectoryLocked {
      throw ApplyRefusal.locked(locked.holder)
    }
  }
}

/// The rules of changing a setting, inside a write transaction.
public enum SettingsRules {
  /// Every settings run's source starts with this, in place of an
  /// export's path: `sis-sync settings: set threshold.disable 500,20%`.
  public static let sourcePrefix = "sis-sync settings: "

  public static func isSettingsSource(_ path: String?) -> Bool { path?.hasPrefix(sourcePrefix) ?? false }

  /// The key a settings run changed (from its source); nil for other runs.
  public static func settingKey(changedBy run: RunRecord) -> String? {
    guard run.kind == .apply, let source = run.exportPath, isSettingsSource(source) else { return nil }
    let words = source.dropFirst(sourcePrefix.count).split(separator: " ")
    return words.count >= 2 ? String(words[1]) : nil
  }

  static func change(_ key: String, to value: String?, in directory: any DirectoryTransaction) throws -> RunRecord? {
    let before = try directory.settings()[key]
    guard before != value else { return nil }
    let generation = try directory.moveToNewState()
    let startedAt = RunClock.now()
    let source = sourcePrefix + (value.map { "set \(key) \($0)" } ?? "unset \(key)")
    let runID = try directory.insertRun(
      RunRecord(
        id: 0, kind: .apply, startedAt: startedAt, finishedAt: startedAt, user: RunClock.user, host: RunClock.host,
        exportPath: source, exportSHA256: nil, revertsRun: nil, generation: generation, counts: [:]))
    try directory.setSetting(key, to: value)
    try directory.recordChanges(
      [RecordedChange(action: RecordedChange.settingAction, before: [key, before ?? ""], after: [key, value ?? ""])],
      run: runID)
    try directory.finishRun(id: runID, finishedAt: RunClock.now(), counts: [RecordedChange.settingAction: 1])
    return try directory.run(id: runID)
  }
}
