import Foundation
import SyncModel

/// Every setting the directory can store. Adding one is one entry here:
/// `sis-sync settings` lists it, sets and checks it, records its changes
/// and reverts them from this entry alone; the man page's SETTINGS
/// section must list it (a test checks); then the code that reads it asks
/// `DirectorySettings` for its value. Only add a key that something reads.
public enum SettingsRegistry {
  public static let all: [SettingDefinition] =
    [ChangeAction.create, .update, .disable, .reactivate, .assignID, .idChange].map(threshold) + [
      SettingDefinition(
        key: disableMissingKey,
        meaning: "Whether runs disable managed accounts absent from the export (as --disable-missing).",
        syntax: "yes or no", defaultValue: "no", canonical: yesNo),
      SettingDefinition(
        key: disableGraceKey,
        meaning:
          "How long an account absent from the export waits before disable-missing disables it"
          + " (as --disable-missing-after).",
        syntax: "DAYSd, HOURSh or 0 (at once)", defaultValue: "0",
        canonical: { GraceDuration($0)?.description }),
      SettingDefinition(
        key: sourcesKey,
        meaning: "The sources whose exports runs read (--source NAME), each with the user types and accounts it owns.",
        syntax: "NAME=TYPE,…,id:CUSTOM_ID,…;NAME=… or none", defaultValue: "none",
        canonical: { SourceDeclarations(parsing: $0)?.text }),
      SettingDefinition(
        key: localFieldsKey,
        meaning: "Fields the sync leaves as the directory has them on every account (kept (local));"
          + " sis-sync local-fields marks them for one account.",
        syntax: "field names, comma separated (" + LocalFields.eligible.map(\.header).joined(separator: ", ")
          + "), or none",
        defaultValue: "none", canonical: localFieldList),
      SettingDefinition(
        key: onFinishKey,
        meaning: "A command every apply runs when it ends, whatever the outcome, with the run's summary"
          + " (as --on-finish).",
        syntax: "a program and its arguments, split as a shell splits words but never run by one, or none",
        defaultValue: "none",
        canonical: { text in
          if text.isEmpty || text == "none" { return "none" }
          return (try? CommandWords(parsing: text))?.text
        },
        problem: { text in
          do {
            _ = try CommandWords(parsing: text)
            return nil
          } catch let error as SettingError { return error.message } catch { return nil }
        }),
      SettingDefinition(
        key: onFinishTimeoutKey,
        meaning: "How long the on_finish command may run before it is stopped (as --on-finish-timeout).",
        syntax: "SECONDS, 1 to 86400", defaultValue: "60",
        canonical: { text in
          guard let seconds = Int(text), (1...86_400).contains(seconds) else { return nil }
          return String(seconds)
        }),
      SettingDefinition(
        key: rolloverWindowKey,
        meaning: "The days the rollover profile applies by itself (as --profile rollover; --profile none turns it off"
          + " for a run).",
        syntax: "YYYY-MM-DD..YYYY-MM-DD, comma separated, or none", defaultValue: "none",
        canonical: { RolloverWindows($0)?.description }),
      SettingDefinition(
        key: gradesPrefix + SettingDefinition.schoolPlaceholder,
        meaning: "A school's grade range (one key per school external ID): whom the rollover expects to move up"
          + " to the school of the next level (--school-grades FILE overrides it for a run).",
        syntax: "LOWEST-HIGHEST of PreK, K, 1 … 12 (as K-5, 6-8, 9-12)", defaultValue: "none",
        canonical: { text in text == "none" ? nil : GradeRange(text)?.description }),
    ] + ChangeAction.allCases.map(schoolThreshold)

  public static let rolloverWindowKey = "rollover.window"
  /// `grades.SCHOOL`: one key per school.
  public static let gradesPrefix = "grades."

  /// The key of a school's own threshold on `action`: `threshold.disable.E1`.
  public static func schoolThresholdKey(_ action: ChangeAction, school: String) -> String {
    thresholdKey(action) + "." + school
  }

  public static let disableMissingKey = "disable_missing"
  public static let disableGraceKey = "disable_grace"
  public static let sourcesKey = "sources"
  public static let localFieldsKey = "fields.local"
  public static let onFinishKey = "on_finish"
  public static let onFinishTimeoutKey = "on_finish_timeout"

  /// The key of the threshold on `action`: `threshold.disable`.
  public static func thresholdKey(_ action: ChangeAction) -> String { "threshold." + action.rawValue }

  /// The definition of `key` (a family's under the school's key:
  /// `grades.E1`), or an error listing the keys there are.
  public static func definition(_ key: String) throws(SettingError) -> SettingDefinition {
    if let family = all.first(where: { $0.school(of: key) != nil }), !all.contains(where: { $0.key == key }) {
      return family.named(key)
    }
    guard let definition = all.first(where: { $0.key == key }) else {
      throw SettingError(
        message: "there is no setting '\(key)'; the settings are: " + all.map(\.key).joined(separator: ", "))
    }
    return definition
  }

  /// `threshold.ACTION.SCHOOL`: a school's own threshold on an action.
  private static func schoolThreshold(_ action: ChangeAction) -> SettingDefinition {
    let districtWide = threshold(action)
    return SettingDefinition(
      key: thresholdKey(action) + "." + SettingDefinition.schoolPlaceholder,
      meaning: "A school's own threshold on \(action.rawValue) (one key per school external ID): its changes are"
        + " judged by it, against its own accounts, not by \(thresholdKey(action)).",
      syntax: districtWide.syntax, defaultValue: "none", canonical: districtWide.canonical)
  }

  private static func threshold(_ action: ChangeAction) -> SettingDefinition {
    let builtIn = Threshold.defaults.first { $0.action == action }
    let what =
      switch action {
      case .create: "creates"
      case .update: "updates"
      case .disable: "disables"
      case .reactivate: "reactivations"
      case .assignID: "IDs given to unmanaged accounts"
      case .idChange: "ID changes (accounts re-keyed to a new custom_id)"
      }
    return SettingDefinition(
      key: thresholdKey(action),
      meaning: "Most \(what) a run may make before it is held (as --threshold \(action.rawValue)=…).",
      syntax: "COUNT,PERCENT% (either part may be left out) or off",
      defaultValue: builtIn.map(thresholdValue) ?? "off",
      canonical: { text in
        if text == "off" || text == "none" { return "off" }
        guard !text.isEmpty, let parsed = Threshold.parse(action.rawValue + "=" + text) else { return nil }
        return thresholdValue(parsed)
      })
  }

  /// A threshold's limits as a setting's value: `250,10%`, or `off`.
  static func thresholdValue(_ threshold: Threshold) -> String {
    let text = threshold.description
    let limits = String(text[text.index(after: text.firstIndex(of: "=")!)...])
    return limits == "none" ? "off" : limits
  }

  /// `email,first_name` in column order, or `none`.
  private static let localFieldList: @Sendable (String) -> String? = { text in
    if text.isEmpty || text == "none" { return "none" }
    guard let columns = try? LocalFields.parse(text.split(separator: ",").map(String.init)) else { return nil }
    return columns.map(\.header).joined(separator: ",")
  }

  private static let yesNo: @Sendable (String) -> String? = { text in
    switch text.lowercased() {
    case "yes", "true", "on": "yes"
    case "no", "false", "off": "no"
    default: nil
    }
  }
}
