import Foundation
import SyncEngine

/// What a held scheduled run keeps in the directory beside its plan, so a
/// person can review it after the nightly file is replaced: the export's
/// bytes (checked to be the ones planned), the mapping's text, and its
/// companion files.
enum PendingRunCapture {
  struct ExportChanged: Error, CustomStringConvertible {
    let path: String
    var description: String {
      "\(path) changed while it was planned: the held run cannot be kept for review (the next run plans it again)"
    }
  }

  static func content(
    plan: Plan, exportPath: String, mappingName: String?, companionChoices: [String]
  ) throws -> PendingRunContent {
    let export = try readWholeFile(path: exportPath)
    guard sha256Hex(of: export) == plan.exportSHA256 else { throw ExportChanged(path: exportPath) }
    var text: String?
    var mapping = ColumnMapping.identity
    if let mappingName {
      let resolved = try MappingSource.resolve(mappingName, exportPath: exportPath)
      mapping = resolved.mapping
      if FileManager.default.fileExists(atPath: mappingName) {
        text = String(decoding: try readWholeFile(path: mappingName), as: UTF8.self)
      } else {
        let preset = MappingPreset.named(resolved.recognized?.preset ?? mappingName)
        text = preset?.text
      }
    }
    var companions: [String: [UInt8]] = [:]
    for file in mapping.companions {
      let chosen = companionChoices.first { $0.hasPrefix(file.name + "=") }.map {
        String($0.dropFirst(file.name.count + 1))
      }
      var located = file
      located.commandLinePath = chosen
      companions[file.name] = try readWholeFile(path: located.path(besides: exportPath))
    }
    return PendingRunContent(plan: try PlanFile.encoded(plan), export: export, mapping: text, companions: companions)
  }

  /// A whole file (exports up to 4 GiB, as plans).
  private static func readWholeFile(path: String) throws -> [UInt8] {
    try SyncModel.readWholeFile(path: path, limit: 4 << 30, kind: "a file of the held run")
  }
}
