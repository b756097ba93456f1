import ExportReading
import Foundation
import SyncDirectory
import SyncModel

/// A saved plan: what `apply PLAN` writes, exactly as reviewed, with what it
/// was computed against (the directory's identity, generation and state
/// token, the export's SHA-256) so that a stale plan is refused.
///
/// The file is a JSON object on its first line (everything but the account
/// changes), then one line per change: tab-separated fields, the ten before
/// and after values separated by U+001F, and `%XX` escapes for tab, line
/// breaks, `%` and U+001F inside values. A hundred thousand changes load in a
/// fraction of the time a JSON array takes. The last line is `sha256 HEX`,
/// the digest of every byte before it: a damaged or cut file is refused.
/// (It is no signature: whoever can edit the plan can recompute it. `apply`
/// checks every change against the directory anyway.)
public enum PlanFile {
  public static let format = "sis-sync plan 2"
  static let digestPrefix = Array("sha256 ".utf8)

  struct Document: Codable {
    var format: String
    var createdAt: String
    var export: String
    var exportSHA256: String
    var mapping: String
    var directoryID: String
    var directoryGeneration: Int64
    var directoryToken: String
    var disableMissing: Bool
    var thresholds: [Threshold]
    var overrideThresholds: Bool
    var managedAccountsInScope: Int
    var holds: [ThresholdHold]
    var decisions: [Decision]
    var rows: Int
    var changeCount: Int
    var organizationChanges: [OrganizationChange]
    /// Rows that need nothing (unchanged; nothing to do), so the run counts
    /// them as the plan did. Absent from plans saved before they were kept.
    var unchangedRows: Int?
    var skippedRows: Int?
    /// Lines of the changes whose email the mapping generated, proposed and
    /// accepted (W054). Absent when there are none.
    var proposedEmailLines: [Int]?
    var acceptedEmailLines: [Int]?
    /// Lines of the ID changes matched by name, building and user type (the
    /// others by email), and whether a person accepted the ID changes.
    /// Absent when there are none.
    var idChangeByNameLines: [Int]?
    var acceptIDChanges: Bool?
    /// The grace before disable (absent: none, or a plan saved before it).
    var disableGrace: String?
    var pendingDisables: [SavedPendingDisable]?
    var clearedPendingDisables: [SavedPendingDisable]?
    /// The run's source (`--source`); absent when none was given.
    var source: String?

    enum CodingKeys: String, CodingKey {
      case format
      case createdAt = "created_at"
      case export
      case exportSHA256 = "export_sha256"
      case mapping
      case directoryID = "directory_id"
      case directoryGeneration = "directory_generation"
      case directoryToken = "directory_token"
      case disableMissing = "disable_missing"
      case thresholds
      case overrideThresholds = "override_thresholds"
      case managedAccountsInScope = "managed_accounts_in_scope"
      case holds, decisions, rows
      case changeCount = "change_count"
      case organizationChanges = "organization_changes"
      case unchangedRows = "unchanged_rows"
      case skippedRows = "skipped_rows"
      case proposedEmailLines = "proposed_email_lines"
      case acceptedEmailLines = "accepted_email_lines"
      case idChangeByNameLines = "id_change_by_name_lines"
      case acceptIDChanges = "accept_id_changes"
      case source
      case disableGrace = "disable_grace"
      case pendingDisables = "pending_disables"
      case clearedPendingDisables = "cleared_pending_disables"
    }
  }

  /// A pending disable as the header keeps it: for a pending one its
  /// disable time and whether the plan found it first; for a cleared one
  /// the run that recorded it.
  struct SavedPendingDisable: Codable {
    var accountID: Int64
    var customID: String
    var missingSince: String
    var disableAfter: String?
    var isNew: Bool?
    var runID: Int64?

    enum CodingKeys: String, CodingKey {
      case accountID = "account_id"
      case customID = "custom_id"
      case missingSince = "missing_since"
      case disableAfter = "disable_after"
      case isNew = "new"
      case runID = "run_id"
    }
  }

  /// Writes the plan atomically, owner-only (it names students).
  public static func save(_ plan: Plan, to path: String) throws(FileAccessError) {
    let bytes: [UInt8]
    do { bytes = try encoded(plan) } catch { throw FileAccessError(path: path, reason: "\(error)") }
    try writeFileAtomically(bytes, to: path, ownerOnly: true)
  }

  /// The bytes `save` writes (a held run keeps them in the directory).
  public static func encoded(_ plan: Plan) throws -> [UInt8] {
    let document = Document(
      format: format, createdAt: RunClock.now(), export: plan.exportName, exportSHA256: plan.exportSHA256,
      mapping: plan.mappingOrigin, directoryID: plan.directoryID, directoryGeneration: plan.directoryGeneration,
      directoryToken: plan.directoryToken, disableMissing: plan.options.disableMissing,
      thresholds: plan.options.thresholds,
      overrideThresholds: plan.options.overrideThresholds, managedAccountsInScope: plan.managedAccountsInScope,
      holds: plan.holds, decisions: plan.decisions, rows: plan.rowCount, changeCount: plan.changes.count,
      organizationChanges: plan.organizationChanges, unchangedRows: plan.summary.unchanged,
      skippedRows: plan.summary.skipped,
      proposedEmailLines: generatedLines(plan, .proposed), acceptedEmailLines: generatedLines(plan, .accepted),
      idChangeByNameLines: plan.summary.idChange == 0
        ? nil : plan.changes.compactMap { $0.action == .idChange && $0.matchedBy == .name ? $0.line : nil },
      acceptIDChanges: plan.summary.idChange == 0 ? nil : plan.options.acceptIDChanges,
      disableGrace: plan.options.disableGrace == .none ? nil : plan.options.disableGrace.description,
      pendingDisables: plan.pendingDisables.isEmpty
        ? nil
        : plan.pendingDisables.map {
          SavedPendingDisable(
            accountID: $0.accountID, customID: $0.customID, missingSince: $0.missingSince,
            disableAfter: $0.disableAfter, isNew: $0.isNew)
        },
      clearedPendingDisables: plan.clearedPendingDisables.isEmpty
        ? nil
        : plan.clearedPendingDisables.map {
          SavedPendingDisable(
            accountID: $0.record.accountID, customID: $0.customID, missingSince: $0.record.missingSince,
            runID: $0.record.runID)
        },
      source: plan.options.sources.source)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var bytes = Array(try encoder.encode(document))
    bytes.append(UInt8(ascii: "\n"))
    for change in plan.changes {
      let fields: [String] = [
        change.action.rawValue, escape(change.customID), change.line.map(String.init) ?? "",
        change.accountID.map(String.init) ?? "", String(change.organizationID),
        change.before.map { $0.values.map(escape).joined(separator: valueSeparator) } ?? noValues,
        change.after.values.map(escape).joined(separator: valueSeparator), escape(change.reason ?? ""),
      ]
      bytes += fields.joined(separator: "\t").utf8
      bytes.append(UInt8(ascii: "\n"))
    }
    return sealed(bytes)
  }

  /// The lines of the plan's changes with this kind of generated email; nil
  /// for none (the key is left out).
  private static func generatedLines(_ plan: Plan, _ kind: GeneratedEmail) -> [Int]? {
    let lines = plan.changes.compactMap { $0.generatedEmail == kind ? $0.line : nil }
    return lines.isEmpty ? nil : lines
  }

  /// Reads a saved plan back (without its per-row outcomes and findings,
  /// which applying does not need).
  public static func load(path: String) throws(FileAccessError) -> Plan {
    try parse(try readWholeFile(path: path, limit: 4 << 30, kind: "a plan file"), path: path)
  }

  /// A plan from the bytes of a plan file (`path` names it in errors).
  public static func parse(_ bytes: [UInt8], path: String) throws(FileAccessError) -> Plan {
    @Sendable func unusable(_ reason: String) -> FileAccessError {
      FileAccessError(path: path, reason: "not a usable sis-sync plan file: \(reason)")
    }
    let content = try checkDigest(bytes, unusable)
    let lines = content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard let header = lines.first else { throw unusable("empty") }
    let document: Document
    do { document = try JSONDecoder().decode(Document.self, from: Data(header)) } catch {
      throw unusable("line 1 is not a plan header (\(error))")
    }
    guard document.format == format else { throw unusable("unknown plan format '\(document.format)'") }
    // Change lines are parsed in parallel parts (a hundred thousand lines
    // of twenty values each), then joined in file order. The parts read the
    // bytes by pointer: slices of one shared array would contend on its
    // reference count.
    let changeLines = lines.dropFirst().map { $0.indices }
    let partCount = changeLines.count < 4096 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
    let parts = ParsedParts(count: partCount)
    bytes.withUnsafeBufferPointer { whole in
      let shared = UncheckedSendable(whole)
      DispatchQueue.concurrentPerform(iterations: partCount) { part in
        let buffer = shared.value
        let range = (changeLines.count * part / partCount)..<(changeLines.count * (part + 1) / partCount)
        let result = Result<[PlannedChange], FileAccessError> { () throws(FileAccessError) in
          var parsed: [PlannedChange] = []
          parsed.reserveCapacity(range.count)
          for index in range where !changeLines[index].isEmpty {
            guard let change = parseChange(buffer[changeLines[index]]) else {
              throw unusable("line \(index + 2) is not a change (eight fields; ten values before and after)")
            }
            parsed.append(change)
          }
          return parsed
        }
        parts.store(result, at: part)
      }
    }
    var summary = PlanSummary()
    var changes: [PlannedChange] = []
    // Not the header's count: a damaged header must not size memory.
    changes.reserveCapacity(changeLines.count)
    for part in parts.results {
      let parsed = try part!.get()
      for change in parsed { summary.add(change.action) }
      changes += parsed
    }
    guard changes.count == document.changeCount else {
      throw unusable("it holds \(changes.count) changes, its header says \(document.changeCount) (cut short?)")
    }
    markGeneratedEmails(&changes, proposed: document.proposedEmailLines, accepted: document.acceptedEmailLines)
    let byName = Set(document.idChangeByNameLines ?? [])
    for index in changes.indices where changes[index].action == .idChange {
      changes[index].matchedBy = byName.contains(changes[index].line ?? 0) ? .name : .email
    }
    summary.organizationExternalIDs = document.organizationChanges.count
    summary.unchanged = document.unchangedRows ?? 0
    summary.skipped = document.skippedRows ?? 0
    var options = PlanOptions(
      disableMissing: document.disableMissing, thresholds: document.thresholds,
      overrideThresholds: document.overrideThresholds)
    options.acceptIDChanges = document.acceptIDChanges ?? false
    // Apply records the source as the manager of what it changes; what each
    // source owns is read from the directory then, not from the file.
    options.sources = PlanSources(source: document.source)
    options.disableGrace = document.disableGrace.flatMap(GraceDuration.init) ?? .none
    return Plan(
      exportName: document.export, exportSHA256: document.exportSHA256, mappingOrigin: document.mapping,
      directoryID: document.directoryID, directoryGeneration: document.directoryGeneration,
      directoryToken: document.directoryToken,
      options: options,
      decisions: document.decisions, changes: changes, organizationChanges: document.organizationChanges,
      summary: summary, managedAccountsInScope: document.managedAccountsInScope, holds: document.holds, findings: [],
      rowCount: document.rows, rowOutcomes: [], rowChanges: [],
      pendingDisables: (document.pendingDisables ?? []).map {
        PendingDisable(
          accountID: $0.accountID, customID: $0.customID, missingSince: $0.missingSince,
          disableAfter: $0.disableAfter ?? $0.missingSince, isNew: $0.isNew ?? false)
      },
      clearedPendingDisables: (document.clearedPendingDisables ?? []).map {
        ClearedPendingDisable(
          record: PendingDisableRecord(accountID: $0.accountID, missingSince: $0.missingSince, runID: $0.runID ?? 0),
          customID: $0.customID)
      })
  }

  /// Marks the changes of the lines the header lists as generated emails.
  private static func markGeneratedEmails(_ changes: inout [PlannedChange], proposed: [Int]?, accepted: [Int]?) {
    guard proposed != nil || accepted != nil else { return }
    let proposed = Set(proposed ?? [])
    let accepted = Set(accepted ?? [])
    for index in changes.indices {
      guard let line = changes[index].line else { continue }
      if proposed.contains(line) {
        changes[index].generatedEmail = .proposed
      } else if accepted.contains(line) {
        changes[index].generatedEmail = .accepted
      }
    }
  }

  /// A plan file's content (header and change lines) with its digest line
  /// added: what `save` writes. (Tests and the fuzz harness seal edited
  /// content with it, as anyone editing a plan could.)
  public static func sealed(_ content: [UInt8]) -> [UInt8] {
    content + digestPrefix + Array(sha256Hex(of: content).utf8) + [UInt8(ascii: "\n")]
  }

  /// The bytes before the digest line, when the digest matches them.
  private static func checkDigest(
    _ bytes: [UInt8], _ unusable: (String) -> FileAccessError
  ) throws(FileAccessError) -> ArraySlice<UInt8> {
    let firstLine = bytes[..<(bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex)]
    if String(decoding: firstLine, as: UTF8.self).contains("\"format\":\"sis-sync plan 1\"") {
      throw unusable("it was saved by an older sis-sync (plan format 1, without a digest); make the plan again")
    }
    guard bytes.last == UInt8(ascii: "\n"),
      let digestStart = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 }),
      bytes[digestStart...].starts(with: digestPrefix)
    else { throw unusable("its last line is not the digest line (cut short?)") }
    let recorded = String(decoding: bytes[(digestStart + digestPrefix.count)..<(bytes.count - 1)], as: UTF8.self)
    guard recorded == sha256Hex(of: bytes[..<digestStart]) else {
      throw unusable("its content does not match its digest (damaged or edited since it was saved)")
    }
    return bytes[..<digestStart]
  }

  /// One change line; nil when it is not one.
  private static func parseChange(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> PlannedChange? {
    let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
    guard fields.count == 8, let action = ChangeAction(rawValue: String(decoding: fields[0], as: UTF8.self)),
      let organizationID = Int64(String(decoding: fields[4], as: UTF8.self))
    else { return nil }
    func values(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> [String] {
      field.split(separator: 0x1F, omittingEmptySubsequences: false).map(unescape)
    }
    let after = values(fields[6])
    let before = fields[5].elementsEqual(noValues.utf8) ? nil : values(fields[5])
    guard after.count == ExportColumn.count, before == nil || before!.count == ExportColumn.count else { return nil }
    return PlannedChange(
      action: action, customID: unescape(fields[1]), line: Int(String(decoding: fields[2], as: UTF8.self)),
      accountID: Int64(String(decoding: fields[3], as: UTF8.self)), organizationID: organizationID,
      before: before.map(AccountValues.init), after: AccountValues(values: after),
      reason: fields[7].isEmpty ? nil : unescape(fields[7]))
  }

  private static let valueSeparator = "\u{1F}"
  /// Marks a change with no before values (a create).
  private static let noValues = "!"

  /// `%XX` for the characters that structure the file, and `%` itself.
  static func escape(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x25 || $0 == 0x1F })
    else { return value }
    var out = ""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\t", "\n", "\r", "%", "\u{1F}":
        out += "%" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func unescape(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
    guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
        let code = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
      {
        out.append(code)
        index += 3
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// The parts of a plan file parsed on several threads.
private final class ParsedParts: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var results: [Result<[PlannedChange], FileAccessError>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  func store(_ result: Result<[PlannedChange], FileAccessError>, at index: Int) {
    lock.withLock { results[index] = result }
  }
}

extension String {
  func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
