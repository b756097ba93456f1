import SyncDirectory
import SyncModel

/// Where a value a run uses came from: highest first, a command-line flag
/// (for that run only), a setting stored in the directory, the built-in
/// default.
public enum SettingOrigin: String, Sendable, Equatable {
  case flag
  case stored = "setting"
  case builtIn = "default"
}

/// The settings of one directory state: what is stored, read through the
/// registry (a key not stored has its default).
public struct DirectorySettings: Sendable, Equatable {
  /// As stored, by key (keys this version does not know included).
  public let stored: [String: String]
  /// The protections stored (`sis-sync protect`), expired ones included:
  /// runs plan under them as under the settings.
  public let protections: [ProtectionRecord]
  /// The source recorded as managing each account (`--source`), by account
  /// id: with the declarations of setting `sources`, what each source owns.
  public let accountSources: [Int64: String]
  /// Each account's own local fields (`sis-sync local-fields`), as stored.
  public let accountLocalFields: [Int64: [String]]

  public init(
    stored: [String: String] = [:], protections: [ProtectionRecord] = [], accountSources: [Int64: String] = [:],
    accountLocalFields: [Int64: [String]] = [:]
  ) {
    self.stored = stored
    self.protections = protections
    self.accountSources = accountSources
    self.accountLocalFields = accountLocalFields
  }

  /// The local fields runs plan under: the setting's for every account,
  /// and each account's own.
  public var localFields: PlanLocalFields {
    let everyAccount = value(SettingsRegistry.localFieldsKey).value
    return PlanLocalFields(
      everyAccount: everyAccount == "none"
        ? [] : LocalFields.columns(stored: everyAccount.split(separator: ",").map(String.init)),
      accounts: accountLocalFields.mapValues(LocalFields.columns(stored:)).filter { !$0.value.isEmpty })
  }

  /// Every registry setting with its value and whether it is stored; a
  /// family of keys (`grades.SCHOOL`) as itself, then each school's key stored.
  public var entries: [(definition: SettingDefinition, value: String, isStored: Bool)] {
    SettingsRegistry.all.flatMap { definition in
      guard definition.isFamily else {
        return [(definition, stored[definition.key] ?? definition.defaultValue, stored[definition.key] != nil)]
      }
      let members = stored.keys.filter { definition.school(of: $0) != nil }.sorted()
      return [(definition, definition.defaultValue, false)]
        + members.map { (definition.named($0), stored[$0]!, true) }
    }
  }

  /// Stored keys this version does not know (set by a newer sis-sync).
  public var unknownKeys: [String] {
    stored.keys.filter { key in (try? SettingsRegistry.definition(key)) == nil }.sorted()
  }

  /// Refuses stored values this version cannot read, so that no run goes
  /// on with a limit other than the one an admin stored.
  public func check() throws(SettingError) {
    for key in stored.keys.sorted() {
      guard let definition = try? SettingsRegistry.definition(key), let value = stored[key] else { continue }
      do { _ = try definition.checked(value) } catch {
        throw SettingError(
          message: "the directory's setting \(definition.key) holds '\(value)', which is not \(definition.syntax); "
            + "change it with 'sis-sync settings set \(definition.key) VALUE' or 'sis-sync settings unset "
            + "\(definition.key)'")
      }
    }
  }

  /// A setting's value (canonical) and where it came from.
  public func value(_ key: String) -> (value: String, origin: SettingOrigin) {
    guard let definition = try? SettingsRegistry.definition(key) else { return (stored[key] ?? "", .stored) }
    if let text = stored[key], let value = try? definition.checked(text) { return (value, .stored) }
    return (definition.defaultValue, .builtIn)
  }

  /// Whether runs disable missing accounts when no flag says.
  public var disableMissing: Bool { value(SettingsRegistry.disableMissingKey).value == "yes" }

  /// The command every apply runs when it ends (setting `on_finish`), or
  /// nil for none.
  public var onFinish: CommandWords? {
    let text = value(SettingsRegistry.onFinishKey).value
    return text == "none" ? nil : try? CommandWords(parsing: text)
  }

  /// How many seconds the `on_finish` command may run (setting
  /// `on_finish_timeout`).
  public var onFinishTimeout: Int { Int(value(SettingsRegistry.onFinishTimeoutKey).value) ?? 60 }

  /// The sources declared (setting `sources`).
  public var sources: SourceDeclarations {
    SourceDeclarations(parsing: value(SettingsRegistry.sourcesKey).value) ?? SourceDeclarations()
  }

  /// Refuses a run's source that does not fit the declarations: a name not
  /// declared, or none when sources are declared. A run without a source
  /// in a directory of several sources would judge every account as its
  /// own (disable HR's staff as missing from the SIS export): it is
  /// refused, never guessed.
  public func checkSource(_ source: String?) throws(SettingError) {
    let declared = sources
    if let source {
      guard declared.names.contains(source) else {
        throw SettingError(
          message: declared.isEmpty
            ? "--source \(source): this directory declares no sources; declare them first, e.g. 'sis-sync settings "
              + "set sources \"\(source)=Student,Teacher;hr=Staff,Administrator\"'"
            : "--source \(source): this directory declares the sources " + declared.names.joined(separator: ", ")
              + " (see 'sis-sync settings')")
      }
    } else if !declared.isEmpty {
      throw SettingError(
        message: "this directory declares several sources (" + declared.names.joined(separator: ", ")
          + "): say which one this export comes from with --source NAME")
    }
  }

  /// The thresholds runs start from, with where each came from (an action
  /// whose setting is `off` has none).
  public var thresholds: [(threshold: Threshold, origin: SettingOrigin)] {
    ChangeAction.allCases.compactMap { action in
      let (value, origin) = value(SettingsRegistry.thresholdKey(action))
      guard value != "off", let threshold = Threshold.parse(action.rawValue + "=" + value) else { return nil }
      return (threshold, origin)
    }
  }

  /// The stored values of a family's keys (`grades.SCHOOL`), by school,
  /// each readable (`check` refuses the others before a run).
  func family(_ prefix: String) -> [String: String] {
    var values: [String: String] = [:]
    for (key, text) in stored where key.hasPrefix(prefix) && key.count > prefix.count {
      guard let definition = try? SettingsRegistry.definition(key), let value = try? definition.checked(text) else {
        continue
      }
      values[String(key.dropFirst(prefix.count))] = value
    }
    return values
  }

  /// Each school's grade range (settings `grades.SCHOOL`), by external ID.
  public var gradeRanges: [String: GradeRange] {
    family(SettingsRegistry.gradesPrefix).compactMapValues(GradeRange.init)
  }

  /// Schools' own thresholds (settings `threshold.ACTION.SCHOOL`), by school then action.
  public var schoolThresholds: [SchoolThreshold] {
    ChangeAction.allCases.flatMap { action in
      family(SettingsRegistry.thresholdKey(action) + ".").compactMap { school, value in
        let limits = value == "off" ? "none" : value
        return Threshold.parse(action.rawValue + "=" + limits).map { SchoolThreshold(school: school, threshold: $0) }
      }
    }.sorted { ($0.school, $0.threshold.action.rawValue) < ($1.school, $1.threshold.action.rawValue) }
  }

  /// The days the rollover profile applies by itself (`rollover.window`).
  public var rolloverWindows: RolloverWindows {
    RolloverWindows(value(SettingsRegistry.rolloverWindowKey).value) ?? RolloverWindows("none")!
  }

  /// The rollover profile of a run on `today`: `--profile` when given,
  /// else the window holding today; grade ranges from the settings with a
  /// file's (`--school-grades`) over them.
  public func rolloverProfile(
    flag: PlanProfile?, gradeRangesFromFile: [String: GradeRange] = [:], today: String? = nil
  ) -> RolloverProfile? {
    let today = today ?? RunClock.today()
    let reason: RolloverProfile.Reason
    if let flag {
      guard flag == .rollover else { return nil }
      reason = .flag
    } else {
      guard let window = rolloverWindows.range(holding: today) else { return nil }
      reason = .window(window)
    }
    return RolloverProfile(reason: reason, gradeRanges: gradeRanges.merging(gradeRangesFromFile) { $1 })
  }

  /// How long missing accounts wait before disable-missing disables them.
  public var disableGrace: GraceDuration { GraceDuration(value(SettingsRegistry.disableGraceKey).value) ?? .none }

  /// The options of a run: these settings, with the command line's flags
  /// over them for this run only (flag > stored setting > built-in default).
  /// `disableGrace`: `--disable-missing-after`, which implies disable-missing.
  public func planOptions(
    disableMissing flag: Bool? = nil, disableGrace graceFlag: GraceDuration? = nil, thresholds flags: [Threshold] = [],
    overrideThresholds: Bool = false, source: String? = nil, profile: PlanProfile? = nil,
    gradeRangesFromFile: [String: GradeRange] = [:]
  ) -> PlanOptions {
    var limits = thresholds
    for threshold in flags {
      limits.removeAll { $0.threshold.action == threshold.action }
      limits.append((threshold, .flag))
    }
    var options = PlanOptions(
      disableMissing: flag ?? disableMissing, thresholds: limits.map(\.threshold),
      overrideThresholds: overrideThresholds)
    options.thresholdOrigins = Dictionary(limits.map { ($0.threshold.action, $0.origin) }) { $1 }
    options.disableMissingOrigin = flag != nil ? .flag : value(SettingsRegistry.disableMissingKey).origin
    options.protections = PlanProtections(records: protections, today: RunClock.today())
    options.localFields = localFields
    options.disableGrace = graceFlag ?? disableGrace
    options.disableGraceOrigin = graceFlag != nil ? .flag : value(SettingsRegistry.disableGraceKey).origin
    if graceFlag != nil, flag == nil {
      options.disableMissing = true
      options.disableMissingOrigin = .flag
    }
    if let source { options.sources = PlanSources(declared: sources, managers: accountSources, source: source) }
    options.profileFlag = profile
    options.gradeRangesFromFile = gradeRangesFromFile
    options.rollover = rolloverProfile(flag: profile, gradeRangesFromFile: gradeRangesFromFile)
    options.schoolThresholds = schoolThresholds
    return options
  }

  /// Options made from other settings (an earlier state's), made again from
  /// these, with the same flags over them: what a screen open across a
  /// settings change plans with when it reloads. Options not made from
  /// settings are kept as they are, but for the protections and the local
  /// fields: what is protected or local now is never changed.
  public func renewing(_ options: PlanOptions) -> PlanOptions {
    guard !options.thresholdOrigins.isEmpty else {
      var options = options
      options.protections = PlanProtections(records: protections, today: RunClock.today())
      if let source = options.sources.source {
        options.sources = PlanSources(declared: sources, managers: accountSources, source: source)
      }
      options.localFields = localFields
      return options
    }
    return planOptions(
      disableMissing: options.disableMissingOrigin == .flag ? options.disableMissing : nil,
      disableGrace: options.disableGraceOrigin == .flag ? options.disableGrace : nil,
      thresholds: options.thresholds.filter { options.thresholdOrigins[$0.action] == .flag },
      overrideThresholds: options.overrideThresholds, source: options.sources.source, profile: options.profileFlag,
      gradeRangesFromFile: options.gradeRangesFromFile)
  }
}
