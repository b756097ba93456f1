import SyncModel

/// Which preset an export's header row fits: the share of the headers a
/// preset reads from the export that the file has.
public struct PresetRecognition: Sendable, Equatable {
  public let preset: String
  public let matched: Int
  public let total: Int

  public var share: Double { total == 0 ? 0 : Double(matched) / Double(total) }

  /// The best fitting preset when it fits well (at least three quarters of
  /// its headers, and more than any other); nil when none does, or when the
  /// file already has the ten standard headers.
  public static func recognize(_ headers: [String]) -> PresetRecognition? {
    let present = Set(headers.map { $0.trimmingCharacters(in: .whitespaces) })
    if ExportColumn.allCases.allSatisfy({ present.contains($0.header) }) { return nil }
    let scored = MappingPreset.all.map { preset in
      let wanted = preset.mapping.exportHeaders
      return PresetRecognition(preset: preset.name, matched: wanted.intersection(present).count, total: wanted.count)
    }
    // Ties go to the earlier preset; a full match beats a larger partial one.
    let best = scored.enumerated().max { lhs, rhs in
      (lhs.element.share, lhs.element.matched, -lhs.offset) < (rhs.element.share, rhs.element.matched, -rhs.offset)
    }?.element
    guard let best, best.share >= 0.75 else { return nil }
    return best
  }
}

extension ColumnMapping {
  /// The export headers this mapping reads (not its companions' headers).
  public var exportHeaders: Set<String> {
    var headers = Set<String>()
    for column in ExportColumn.allCases {
      let rule = rule(for: column)
      if rule.constant == nil, let source = rule.source, CompanionReference(source) == nil { headers.insert(source) }
      for condition in rule.conditions { headers.insert(condition.header) }
    }
    for companion in companions { headers.insert(companion.matches) }
    return headers
  }
}
