import SyncModel

/// The export's header resolved through the mapping: its companion files
/// loaded, each column's source found, and, when a plain export's headers
/// are not the standard ones but fit a built-in preset, a note naming it.
struct ExportHeaderResolution {
  let columns: [ResolvedColumn]
  /// Set when the mapping uses companions, skips, lists or `when` rules.
  let mapper: RowMapper?
  let findings: [Finding]

  init(_ headers: [String], exportName: String, options: ValidationOptions) {
    var findings: [Finding] = []
    var companions: [CompanionTable] = []
    for file in options.mapping.companions {
      switch CompanionTable.load(file, besides: exportName, origin: options.mapping.origin, limits: options.limits) {
      case .success(let table): companions.append(table)
      case .failure(let problem): findings.append(problem.finding)
      }
    }
    let resolution = HeaderResolver(mapping: options.mapping, companions: companions).resolve(headers)
    findings += resolution.findings
    if !resolution.isUsable, options.mapping.isIdentity {
      if let fit = PresetRecognition.recognize(headers, exportPath: exportName),
        let preset = MappingPreset.named(fit.preset)
      {
        findings.append(.presetFits(preset, fit))
      } else if let closest = PresetRecognition.closest(headers, exportPath: exportName),
        closest.share > Self.standardHeaderShare(headers), let preset = MappingPreset.named(closest.preset)
      {
        findings.append(.closestPreset(preset, closest))
      }
    }
    columns = resolution.columns
    mapper = RowMapper(columns: columns, companions: companions, keyFields: resolution.companionKeyFields)
    self.findings = findings
  }

  /// The share of the ten standard headers the file has (however spelt):
  /// a file closer to them than to any preset is a plain export with a
  /// header missing, and E003 says which.
  private static func standardHeaderShare(_ headers: [String]) -> Double {
    let present = Set(headers.map(normalizedForMatching))
    let found = ExportColumn.allCases.filter { present.contains(normalizedForMatching($0.header)) }.count
    return Double(found) / Double(ExportColumn.allCases.count)
  }
}
