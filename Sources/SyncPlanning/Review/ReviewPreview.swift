import Dispatch
import ExportReading
import SyncDirectory
import SyncModel

/// The first rows of a large export, validated and planned on their own
/// against the directory, so that the review screen shows rows while the
/// whole export is still read and planned (`ReviewLoader.loadSession`
/// then reuses the snapshot read here). Before that, while the directory
/// is read, a preview of their errors alone (`plan.awaitsDirectory`).
///
/// Provisional by nature: a later row can make one of these a duplicate
/// (E030), the ID changes and the accounts absent from the export need
/// every row, so neither is worked out here, and no decision may be made
/// on it. The whole plan replaces it.
public struct ReviewPreview {
  /// The first rows' plan (no ID changes, no disable-missing), or only
  /// their errors while the directory is read (`plan.awaitsDirectory`).
  public let plan: LivePlan
  /// The directory as read for it; the whole plan is made against it too.
  /// Nil while it is being read.
  public let snapshot: DirectorySnapshot?
  /// How much of the export the preview's rows come from.
  public let bytesPlanned: Int
  public let totalBytes: Int

  /// Smaller exports are planned whole before the screen opens (a second
  /// or less: a preview would only flash by).
  public static let minimumExportBytes = 8 << 20
  /// About ten thousand rows of a typical export: a few milliseconds to
  /// validate and plan, and screens of rows in every busy category.
  public static let previewBytes = 1 << 20

  /// The preview of `input`'s export, or nil when it is too small to need
  /// one or cannot have one (a home-school filter reads the whole file
  /// first; UTF-16; a first part that is not usable: the whole load then
  /// says why). `awaitingDirectory` is given the first rows' errors as soon
  /// as they are known, while the directory is still read (reading a
  /// million accounts from SQLite takes longer than validating the export).
  public static func load(
    _ input: ReviewLoader.Input, directory: any DirectoryStore, previewBytes: Int = previewBytes,
    minimumExportBytes: Int = minimumExportBytes, awaitingDirectory: (ReviewPreview) -> Void = { _ in }
  ) throws -> ReviewPreview? {
    guard input.mapping.rules[.schoolExternalID]?.homeSchool == nil else { return nil }
    let export = try RegularFile(path: input.exportPath)
    guard export.size >= minimumExportBytes, let end = try recordBoundary(in: export, after: previewBytes) else {
      return nil
    }
    let (organizations, state) = try directory.read { try ($0.organizations(), $0.state()) }
    let options = ValidationOptions(
      mapping: input.mapping,
      directory: KnownOrganizations(organizationExternalIDs: Set(organizations.compactMap(\.externalID))),
      keepsRows: true)
    // The snapshot (the slow part) is read while the first rows are checked.
    let snapshot = UncheckedSendable(SnapshotSlot())
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      snapshot.value.result = Result { try directory.cachedSnapshot() ?? directory.snapshot() }
    }
    let validated = Result {
      try ExportValidator.validate(source: export.bytes(0..<end), name: input.exportPath, options: options)
    }
    if let validation = try? validated.get(), validation.isUsable {
      let errorsOnly = LivePlan(
        awaitingDirectory: validation, state: state, organizations: organizations, options: input.options)
      awaitingDirectory(
        ReviewPreview(plan: errorsOnly, snapshot: nil, bytesPlanned: end, totalBytes: export.size))
    }
    group.wait()
    let directorySnapshot = try snapshot.value.result!.get()
    guard let validation = try? validated.get(), validation.isUsable else { return nil }
    var planOptions = input.options
    planOptions.disableMissing = false
    let plan = LivePlan(
      validation: validation, directory: directorySnapshot, options: planOptions, exportSHA256: "", preview: true)
    return ReviewPreview(plan: plan, snapshot: directorySnapshot, bytesPlanned: end, totalBytes: export.size)
  }

  /// The end of the first line at or after `offset` that ends a record:
  /// the quotes before it are balanced (a quoted value may hold line
  /// feeds; its own quotes come in pairs). Nil when none within 4 MiB, or
  /// the file is UTF-16 (a line feed byte is not a line end there).
  package static func recordBoundary(in file: RegularFile, after offset: Int) throws -> Int? {
    let limit = min(file.size, max(offset, 0) + (4 << 20))
    var bytes = [UInt8](repeating: 0, count: limit)
    let source = file.bytes(0..<limit)
    var filled = 0
    while filled < limit {
      let count = try bytes.withUnsafeMutableBytes {
        try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
      }
      if count == 0 { break }
      filled += count
    }
    if filled >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return nil }
    var quotes = 0
    for index in 0..<filled {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        quotes += 1
      } else if byte == UInt8(ascii: "\n"), index >= offset, quotes % 2 == 0 {
        return index + 1
      }
    }
    return nil
  }
}

/// The snapshot, handed from the thread that read it.
private final class SnapshotSlot {
  var result: Result<DirectorySnapshot, Error>?
}
