import Foundation
import SyncModel

/// A companion file read whole (roles are small next to users): one row per
/// key, the preferred one when several share it.
///
/// A mapping names its companions, so a mapping must not be a way to read
/// any file: relative paths stay inside the export's folder, only regular
/// files are read, their size and rows are capped, and messages quote at
/// most their header names (never a row).
final class CompanionTable: @unchecked Sendable {
  let file: CompanionFile
  let path: String
  let headers: [String]
  private var rows: [String: [String]] = [:]

  /// The largest companion file read.
  static let maxBytes = 256 << 20

  private init(file: CompanionFile, path: String, headers: [String]) {
    self.file = file
    self.path = path
    self.headers = headers
  }

  /// Where a companion's relative path points: beside the export.
  static func path(of file: CompanionFile, besides exportPath: String) -> String { file.path(besides: exportPath) }

  /// Reads the file; a finding (E047) when it cannot be used. `origin` is
  /// the mapping's, for messages.
  static func load(
    _ file: CompanionFile, besides exportPath: String, origin: String, limits: CSVLimits = .standard
  ) -> Result<CompanionTable, CompanionProblem> {
    let path = path(of: file, besides: exportPath)
    // A preset's lines are in no file the user has: the preset is named.
    let line = origin.hasPrefix("preset ") ? nil : file.pathLine
    let setBy =
      file.commandLinePath.map { "--companion \(file.name)=\($0)" }
      ?? "\(origin)\(line.map { " line \($0)" } ?? ""): [file \(file.name)] path = \(file.path)"
    func failure(_ message: String) -> Result<CompanionTable, CompanionProblem> {
      .failure(
        CompanionProblem(
          finding: Finding(
            code: .companionFile, line: nil, value: path, message: message + "; set by " + setBy,
            suggestion: file.commandLinePath != nil
              ? "pass the companion's own CSV file, a regular file"
              : "put it in the export's folder, or name a file kept elsewhere with --companion \(file.name)=PATH")))
    }
    let opened: RegularFile
    switch open(file, at: path, besides: exportPath) {
    case .success(let file): opened = file
    case .failure(let refusal): return failure("the companion file \(path) \(refusal.reason)")
    }
    guard opened.size <= maxBytes else {
      return failure("the companion file \(path) is larger than \(maxBytes >> 20) MiB")
    }
    let reader = CSVReader(source: opened.bytes(), limits: limits)
    do {
      guard try reader.next() else { return failure("the companion file \(path) is empty") }
      let headers = (0..<reader.fieldCount).map { reader.fieldText($0).trimmingCharacters(in: .whitespaces) }
      let table = CompanionTable(file: file, path: path, headers: headers)
      guard let key = table.index(of: file.key) else {
        return failure("the companion file \(path) has no '\(file.key)' header (\(describe(headers)))")
      }
      let prefer = file.prefer.flatMap { condition in table.index(of: condition.header).map { ($0, condition.value) } }
      if let condition = file.prefer, prefer == nil {
        return failure("the companion file \(path) has no '\(condition.header)' header for 'prefer'")
      }
      var preferred = Set<String>()
      var rowCount = 0
      while try reader.next() {
        rowCount += 1
        guard rowCount <= limits.maxRows else {
          return failure("the companion file \(path) has more than \(limits.maxRows) rows")
        }
        let values = (0..<headers.count).map {
          $0 < reader.fieldCount ? reader.fieldText($0).trimmingCharacters(in: .whitespaces) : ""
        }
        let keyValue = values[key]
        guard !keyValue.isEmpty else { continue }
        let isPreferred = prefer.map { values[$0.0].caseInsensitiveCompare($0.1) == .orderedSame } ?? false
        if table.rows[keyValue] == nil || (isPreferred && !preferred.contains(keyValue)) {
          table.rows[keyValue] = values
          if isPreferred { preferred.insert(keyValue) }
        }
      }
      try opened.checkUnchanged()
      return .success(table)
    } catch {
      return failure("the companion file \(path) cannot be read: \(error)")
    }
  }

  /// Opens a companion: a path set with `--companion` as given, a mapping's
  /// path only inside the export's folder (no absolute path, no `..`, no
  /// link leading out of it). The failure is the reason, to follow the path.
  private static func open(
    _ file: CompanionFile, at path: String, besides exportPath: String
  ) -> Result<RegularFile, CompanionPathRefusal> {
    var opening = path
    if file.commandLinePath == nil {
      if file.path.hasPrefix("/") {
        return .failure("is an absolute path; a mapping reads companion files from the export's folder only")
      }
      if file.path.split(separator: "/").contains("..") {
        return .failure("leads out of the export's folder ('..'); a mapping reads companion files from it only")
      }
      let folder = (exportPath as NSString).deletingLastPathComponent
      if let real = realPath(path), let realFolder = realPath(folder.isEmpty ? "." : folder),
        !real.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/")
      {
        return .failure("is a link to a file outside the export's folder; a mapping reads companion files from it only")
      }
      // The checked target itself: a link swapped meanwhile is not followed.
      if let real = realPath(path) { opening = real }
    }
    do { return .success(try RegularFile(path: opening)) } catch {
      // "is a named pipe…" reads on from the path; an errno text does not.
      return .failure(
        CompanionPathRefusal(error.reason.hasPrefix("is ") ? error.reason : "cannot be read: " + error.reason))
    }
  }

  /// The header names, when they look like header names; else only how
  /// many (the first line of a wrong file may be anything, even personal
  /// data, and is not repeated).
  private static func describe(_ headers: [String]) -> String {
    let looksLikeNames = headers.allSatisfy { header in
      header.count <= 64
        && header.unicodeScalars.allSatisfy {
          CharacterSet.alphanumerics.contains($0) || " _-.()#".unicodeScalars.contains($0)
        }
    }
    return looksLikeNames
      ? "headers: " + headers.joined(separator: ", ")
      : "its first line is not a header row of \(headers.count) names; is this the right file?"
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  func index(of header: String) -> Int? { headers.firstIndex(of: header) }
  func row(forKey key: String) -> [String]? { rows[key] }
}

/// Why a companion's path is refused, as the words following the path.
private struct CompanionPathRefusal: Error, ExpressibleByStringLiteral {
  let reason: String
  init(_ reason: String) { self.reason = reason }
  init(stringLiteral reason: String) { self.reason = reason }
}

/// Why a companion file cannot be used, as the finding to report.
struct CompanionProblem: Error {
  let finding: Finding
}

extension CompanionFile {
  /// The file read for this companion: the one `--companion` named, else
  /// its path, relative to the export's folder.
  public func path(besides exportPath: String) -> String {
    if let chosen = commandLinePath { return chosen }
    if path.hasPrefix("/") { return path }
    let folder = (exportPath as NSString).deletingLastPathComponent
    return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
  }
}
