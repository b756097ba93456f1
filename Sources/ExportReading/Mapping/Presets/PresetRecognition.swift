import Foundation
import SyncModel

/// How well an export fits a preset: the headers the preset needs that the
/// file has (any of a column's alternatives will do), its optional headers
/// found, and its companion files beside the export with the headers it
/// reads from them.
public struct PresetRecognition: Sendable, Equatable {
  public let preset: String
  /// Needed headers found (the export's and its companions').
  public let matched: Int
  /// Needed headers in all.
  public let total: Int
  /// Optional headers the file has: a tie-break between presets that fit.
  public let optionalFound: Int
  /// What the file lacks, each with the file's own header it may be.
  public let missing: [MissingHeader]
  /// Companion files (`roles.csv`) the preset reads that are not beside
  /// the export.
  public let missingCompanions: [String]

  /// A header a preset needs that the file does not have.
  public struct MissingHeader: Sendable, Equatable {
    /// The header, with its alternatives (`orgSourcedIds`, `orgs`, `orgId`).
    public let names: [String]
    /// Where it was looked for: nil for the export, else a companion's path.
    public let companion: String?
    /// The file's own header that may be meant.
    public let didYouMean: String?
  }

  public var share: Double { total == 0 ? 0 : Double(matched) / Double(total) }
  /// Every needed header and companion file is there.
  public var fits: Bool { missing.isEmpty && missingCompanions.isEmpty }

  /// The preset an export fits, as `--mapping auto` chooses it: one that
  /// fits fully (the one reading the most of the file's headers); else
  /// one with at least three quarters of its headers and its companion
  /// files; else one whose only lack is a companion file (its error then
  /// says which). Nil when none does, or when the file already has the ten
  /// standard headers. `exportPath` lets companion files be looked at.
  public static func recognize(_ headers: [String], exportPath: String? = nil) -> PresetRecognition? {
    guard !hasStandardHeaders(headers) else { return nil }
    let scored = score(headers, exportPath: exportPath)
    func best(_ candidates: [(offset: Int, element: PresetRecognition)]) -> PresetRecognition? {
      candidates.max { lhs, rhs in
        (lhs.element.share, lhs.element.matched + lhs.element.optionalFound, -lhs.offset)
          < (rhs.element.share, rhs.element.matched + rhs.element.optionalFound, -rhs.offset)
      }?.element
    }
    let ranked = Array(scored.enumerated())
    if let full = best(ranked.filter { $0.element.fits }) { return full }
    if let near = best(ranked.filter { $0.element.missingCompanions.isEmpty && $0.element.share >= 0.75 }) {
      return near
    }
    return best(ranked.filter { $0.element.missing.isEmpty })
  }

  /// The preset the file comes closest to, when `recognize` finds none:
  /// for saying what it lacks. Nil when it has none of any preset's headers.
  public static func closest(_ headers: [String], exportPath: String? = nil) -> PresetRecognition? {
    guard !hasStandardHeaders(headers) else { return nil }
    let ranked = Array(score(headers, exportPath: exportPath).enumerated())
    let best = ranked.max { lhs, rhs in
      (lhs.element.share, lhs.element.matched, -lhs.offset) < (rhs.element.share, rhs.element.matched, -rhs.offset)
    }?.element
    guard let best, best.matched > 0 else { return nil }
    return best
  }

  /// "orgSourcedIds (or orgs, orgId; did you mean 'org_ids'?), role": what
  /// the file lacks, for messages. Header names are not personal data.
  public var missingDescription: String {
    let headers = missing.map { header in
      var text = header.names[0]
      if let companion = header.companion { text += " in \((companion as NSString).lastPathComponent)" }
      var notes: [String] = []
      if header.names.count > 1 { notes.append("or " + header.names.dropFirst().joined(separator: ", ")) }
      if let guess = header.didYouMean { notes.append("did you mean '\(guess)'?") }
      return notes.isEmpty ? text : text + " (" + notes.joined(separator: "; ") + ")"
    }
    let files = missingCompanions.map { "the companion file \(($0 as NSString).lastPathComponent) beside the export" }
    return (headers + files).joined(separator: ", ")
  }

  private static func hasStandardHeaders(_ headers: [String]) -> Bool {
    let present = Set(headers.map { $0.trimmingCharacters(in: .whitespaces) })
    return ExportColumn.allCases.allSatisfy { present.contains($0.header) }
  }

  private static func score(_ headers: [String], exportPath: String?) -> [PresetRecognition] {
    let file = HeaderSet(headers)
    var companionHeaders: [String: HeaderSet?] = [:]
    return MappingPreset.all.map { preset in
      let mapping = preset.mapping
      var matched = 0
      var total = 0
      var optionalFound = 0
      var missing: [MissingHeader] = []
      var missingCompanions: [String] = []
      // A did-you-mean never names a header the preset reads for something else.
      let read = mapping.exportHeaders
      func need(_ names: [String], in set: HeaderSet, companion: String? = nil) {
        total += 1
        if names.contains(where: set.contains) {
          matched += 1
        } else {
          let candidates = companion == nil ? set.names.filter { !read.contains($0) } : set.names
          missing.append(
            MissingHeader(
              names: names, companion: companion, didYouMean: closestHeader(to: names[0], among: candidates)))
        }
      }
      for (names, isOptional) in mapping.exportHeaderNeeds {
        if isOptional {
          if names.contains(where: file.contains) { optionalFound += 1 }
        } else {
          need(names, in: file)
        }
      }
      for companion in mapping.companions {
        let path = exportPath.map { CompanionTable.path(of: companion, besides: $0) } ?? companion.path
        if companionHeaders[path] == nil {
          companionHeaders[path] =
            exportPath == nil ? nil : (try? MappingSource.headerRow(of: path)).map(HeaderSet.init)
        }
        // Without an export path only the export's headers are scored.
        guard exportPath != nil else { continue }
        guard let read = companionHeaders[path], let set = read else {
          missingCompanions.append(path)
          continue
        }
        for name in mapping.headers(readFrom: companion) { need([name], in: set, companion: path) }
      }
      return PresetRecognition(
        preset: preset.name, matched: matched, total: total, optionalFound: optionalFound, missing: missing,
        missingCompanions: missingCompanions)
    }
  }
}

/// A file's headers, looked up as the header resolver finds them: exactly,
/// or spelt another way (`First Name` for `first_name`).
private struct HeaderSet {
  let names: [String]
  private let normalized: Set<String>

  init(_ headers: [String]) {
    names = headers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    normalized = Set(names.map(normalizedForMatching))
  }

  func contains(_ name: String) -> Bool { normalized.contains(normalizedForMatching(name)) }
}

extension ColumnMapping {
  /// The export headers this mapping reads (not its companions' headers),
  /// alternatives included.
  public var exportHeaders: Set<String> {
    Set(exportHeaderNeeds.flatMap(\.names))
  }

  /// Each export header the mapping reads, as the names that satisfy it
  /// (a column's alternatives) and whether the file may lack it.
  public var exportHeaderNeeds: [(names: [String], isOptional: Bool)] {
    var needs: [(names: [String], isOptional: Bool)] = []
    for column in ExportColumn.allCases {
      let rule = rule(for: column)
      if rule.constant == nil, let source = rule.source, CompanionReference(source) == nil {
        needs.append((rule.sources.map(\.name), rule.isOptional))
      }
      for condition in rule.conditions { needs.append(([condition.header], rule.isOptional)) }
    }
    for companion in companions { needs.append(([companion.matches], false)) }
    if case .column(let header) = rule(for: .schoolExternalID).homeSchool { needs.append(([header], false)) }
    return needs
  }

  /// The headers the mapping reads from a companion file: its key, its
  /// `prefer` header and every `@name.header` source.
  func headers(readFrom companion: CompanionFile) -> [String] {
    var headers = [companion.key]
    if let prefer = companion.prefer { headers.append(prefer.header) }
    for column in ExportColumn.allCases {
      if let source = rule(for: column).source, let reference = CompanionReference(source),
        reference.file == companion.name, !headers.contains(reference.header)
      {
        headers.append(reference.header)
      }
    }
    return headers
  }
}
