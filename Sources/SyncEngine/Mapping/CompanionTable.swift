import Foundation

/// A companion file read whole (roles are small next to users): one row per
/// key, the preferred one when several share it.
final class CompanionTable: @unchecked Sendable {
  let file: CompanionFile
  let path: String
  let headers: [String]
  private var rows: [String: [String]] = [:]

  private init(file: CompanionFile, path: String, headers: [String]) {
    self.file = file
    self.path = path
    self.headers = headers
  }

  /// Where a companion's relative path points: beside the export.
  static func path(of file: CompanionFile, besides exportPath: String) -> String {
    if file.path.hasPrefix("/") { return file.path }
    let folder = (exportPath as NSString).deletingLastPathComponent
    return folder.isEmpty ? file.path : (folder as NSString).appendingPathComponent(file.path)
  }

  /// Reads the file; a finding (E047) when it cannot be used.
  static func load(_ file: CompanionFile, besides exportPath: String) -> Result<CompanionTable, CompanionProblem> {
    let path = path(of: file, besides: exportPath)
    func failure(_ message: String) -> Result<CompanionTable, CompanionProblem> {
      .failure(
        CompanionProblem(
          finding: Finding(
            code: .companionFile, line: nil, value: path, message: message,
            suggestion: "the mapping's [file \(file.name)] section expects it at \(file.path), beside the export")))
    }
    let reader: CSVReader
    do { reader = CSVReader(source: try FileByteSource(path: path)) } catch {
      return failure("the companion file \(path) cannot be read: \(error)")
    }
    do {
      guard try reader.next() else { return failure("the companion file \(path) is empty") }
      let headers = (0..<reader.fieldCount).map { reader.fieldText($0).trimmingCharacters(in: .whitespaces) }
      let table = CompanionTable(file: file, path: path, headers: headers)
      guard let key = table.index(of: file.key) else {
        return failure(
          "the companion file \(path) has no '\(file.key)' header (headers: \(headers.joined(separator: ", ")))")
      }
      let prefer = file.prefer.flatMap { condition in table.index(of: condition.header).map { ($0, condition.value) } }
      if let condition = file.prefer, prefer == nil {
        return failure("the companion file \(path) has no '\(condition.header)' header for 'prefer'")
      }
      var preferred = Set<String>()
      while try reader.next() {
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
      return .success(table)
    } catch {
      return failure("the companion file \(path) cannot be read: \(error)")
    }
  }

  func index(of header: String) -> Int? { headers.firstIndex(of: header) }
  func row(forKey key: String) -> [String]? { rows[key] }
}

/// Why a companion file cannot be used, as the finding to report.
struct CompanionProblem: Error {
  let finding: Finding
}
