import ArgumentParser
import Foundation
import SyncEngine

/// `review --pending N`: the review screen on a held scheduled run. Its
/// export, mapping and companion files come from the directory and are
/// written, for the screen's loader, into a new owner-only folder that is
/// removed when the screen closes; the run's own options (disable-missing,
/// grace, thresholds, source) plan it again against the directory as it is.
enum PendingReview {
  /// A held run opened for review.
  struct Opened {
    let id: Int64
    let directory: any DirectoryStore
    /// The options the scheduled run planned with.
    let saved: PlanOptions

    /// The run's options under the directory's current settings.
    func options(_ settings: DirectorySettings) throws -> PlanOptions {
      do { try settings.checkSource(saved.sources.source) } catch {
        printError("sis-sync: pending run \(id): \(error)")
        throw SisSyncExit.usage
      }
      return settings.planOptions(
        disableMissing: saved.disableMissing, disableGrace: saved.disableGrace, thresholds: saved.thresholds,
        overrideThresholds: false, source: saved.sources.source)
    }
  }

  static func review(
    _ id: Int64, directoryOptions: DirectoryOptions, organizationsFile: OrganizationsFile?, mouse: Bool
  ) throws {
    PendingReviewFolder.removeAbandoned()
    let directory = try directoryOptions.open(.write)
    let record: PendingRunRecord
    let content: PendingRunContent
    let saved: Plan
    do {
      guard let found = try directory.pendingRun(id: id) else { throw PendingRunRefusal.notFound(id) }
      (record, content) = found
      guard record.status == .pending else { throw PendingRunRefusal.alreadyDecided(record) }
      saved = try PlanFile.parse(content.plan, path: "pending run \(id)")
    } catch let refusal as PendingRunRefusal {
      printError("sis-sync: \(refusal)")
      throw SisSyncExit.usage
    } catch {
      printError("sis-sync: \(error)")
      throw SisSyncExit.directoryError
    }
    let folder = try PendingReviewFolder.make()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let exportPath: String
    var mapping = ColumnMapping.identity
    do {
      let name = (record.exportName as NSString).lastPathComponent
      exportPath = (folder as NSString).appendingPathComponent(name.isEmpty ? "export.csv" : name)
      try writeFileAtomically(content.export, to: exportPath, ownerOnly: true)
      if let text = content.mapping {
        let mappingPath = (folder as NSString).appendingPathComponent("mapping.sis-sync-mapping")
        try writeFileAtomically(Array(text.utf8), to: mappingPath, ownerOnly: true)
        mapping = try MappingFileParser.load(path: mappingPath)
        mapping.origin = record.mappingOrigin
      }
      for index in mapping.companions.indices {
        let companion = mapping.companions[index]
        let path = (folder as NSString).appendingPathComponent("companion-\(index).csv")
        try writeFileAtomically(content.companions[companion.name] ?? [], to: path, ownerOnly: true)
        mapping.companions[index].commandLinePath = path
      }
    } catch {
      printError("sis-sync: pending run \(id) cannot be opened: \(error)")
      throw SisSyncExit.directoryError
    }
    var planning = try PlanningOptions.parse([])
    planning.session = nil
    try ReviewCommand.review(
      exportPath: exportPath, mapping: mapping, directoryOptions: directoryOptions, planning: planning,
      organizationsFile: organizationsFile, mouse: mouse,
      pending: Opened(id: id, directory: directory, saved: saved.options))
  }
}
