import ExportReading
import SyncDirectory
import SyncModel

/// One line of an assign-IDs list: the ID to give, and who gets it (by
/// email, or by first and last name in a building, optionally with a user
/// type).
public struct AssignIDsLine: Sendable, Equatable {
  public var line: Int
  public var customID: String
  public var email: String
  public var firstName: String
  public var lastName: String
  public var building: String
  public var userType: String
}

/// A list the registrar sent: `custom_id,email` or
/// `custom_id,first_name,last_name,building[,user_type]` (any column order,
/// headers as written here). Every line is read or the file is refused,
/// naming file, line and column.
public enum AssignIDsList {
  public static func read(path: String) throws(CleanupError) -> [AssignIDsLine] {
    let reader: CSVReader
    do { reader = CSVReader(source: try RegularFile(path: path).bytes()) } catch {
      throw CleanupError(message: "\(path): \(error)")
    }
    var problems: [String] = []
    var lines: [AssignIDsLine] = []
    do {
      guard try reader.next() else { throw CleanupError(message: "\(path):1:1: the file is empty") }
      let headers = (0..<reader.fieldCount).map {
        reader.fieldText($0).trimmingCharacters(in: .whitespaces).lowercased()
      }
      func column(_ name: String) -> Int? { headers.firstIndex(of: name) }
      guard let customID = column("custom_id") else {
        throw CleanupError(message: "\(path):1:1: the header has no custom_id column")
      }
      let email = column("email")
      let first = column("first_name")
      let last = column("last_name")
      let building = column("building")
      guard email != nil || (first != nil && last != nil && building != nil) else {
        throw CleanupError(
          message: "\(path):1:1: the header needs email, or first_name, last_name and building, beside custom_id")
      }
      let userType = column("user_type")
      while try reader.next() {
        let line = reader.line
        if let issue = reader.issues.first {
          problems.append("\(path):\(issue.line):\(issue.field + 1): the line is not valid CSV")
          continue
        }
        if reader.fieldCount == 1 && reader.field(0).isEmpty { continue }  // a blank line
        guard reader.fieldCount == headers.count else {
          problems.append(
            "\(path):\(line):1: expected \(headers.count) fields as in the header, found \(reader.fieldCount)")
          continue
        }
        func value(_ index: Int?) -> String? {
          guard let index else { return "" }
          guard let text = String(validating: reader.field(index), as: UTF8.self) else {
            problems.append("\(path):\(line):\(index + 1): the value is not UTF-8 text; save the file as UTF-8")
            return nil
          }
          return text.trimmingCharacters(in: .whitespaces)
        }
        guard let id = value(customID), let mail = value(email), let firstName = value(first),
          let lastName = value(last), let school = value(building), let type = value(userType)
        else { continue }
        if id.isEmpty {
          problems.append("\(path):\(line):\(customID + 1): custom_id is empty")
          continue
        }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
          problems.append("\(path):\(line):\(customID + 1): custom_id holds a control character")
          continue
        }
        if mail.isEmpty && (firstName.isEmpty || lastName.isEmpty || school.isEmpty) {
          problems.append("\(path):\(line):1: give an email, or a first name, last name and building")
          continue
        }
        lines.append(
          AssignIDsLine(
            line: line, customID: id, email: mail, firstName: firstName, lastName: lastName, building: school,
            userType: type))
      }
    } catch let error as CleanupError {
      throw error
    } catch {
      throw CleanupError(message: "\(path): \(error)")
    }
    guard problems.isEmpty else { throw CleanupError(message: problems.joined(separator: "\n")) }
    return lines
  }
}
