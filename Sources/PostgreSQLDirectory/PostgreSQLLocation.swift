import Foundation
import SyncDirectory

/// A directory on a PostgreSQL server, as `--directory` names it:
/// `postgresql://user@host:port/database?directory=NAME` (or
/// `postgres://`). `directory` is sis-sync's own parameter and is taken
/// out; everything else (sslmode, connect_timeout…) goes to libpq as it
/// is. Each directory lives in its own schema, `sis_sync_NAME`.
public struct PostgreSQLLocation: Sendable, Equatable {
  /// The directory's name: lower-case letters, digits and underscores.
  public let name: String
  /// The URI handed to libpq (without `directory=`).
  let conninfo: String
  /// The password written in the URI, if any (as written and decoded):
  /// never shown.
  private let passwords: [String]
  /// The connection as shown to people: no password, no query.
  public let description: String

  /// The directory when the URL names none.
  public static let defaultName = "main"
  public static let maximumNameLength = 50

  /// Whether `location` names a PostgreSQL server rather than a file.
  public static func isPostgreSQL(_ location: String) -> Bool {
    let lower = location.lowercased()
    return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
  }

  public var schema: String { "sis_sync_" + name }

  public init(_ url: String) throws(DirectoryError) {
    guard Self.isPostgreSQL(url), var parts = URLComponents(string: url) else {
      throw DirectoryError(
        path: Self.withoutPassword(url),
        reason: "not a PostgreSQL URL; write postgresql://USER@HOST:PORT/DATABASE?directory=NAME")
    }
    passwords = [parts.percentEncodedPassword, parts.password].compactMap { $0 }.filter { !$0.isEmpty }
    let names = (parts.queryItems ?? []).filter { $0.name == "directory" }
    let name = names.last?.value ?? Self.defaultName
    let remaining = (parts.queryItems ?? []).filter { $0.name != "directory" }
    parts.queryItems = remaining.isEmpty ? nil : remaining
    var shown = parts
    shown.password = nil
    shown.query = nil
    description = (shown.string ?? "postgresql://") + "?directory=" + name
    conninfo = parts.string ?? url
    self.name = name
    guard names.count <= 1 else {
      throw DirectoryError(path: description, reason: "the URL names more than one directory (directory=)")
    }
    guard !name.isEmpty, name.count <= Self.maximumNameLength,
      name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
    else {
      throw DirectoryError(
        path: description,
        reason: "the directory name '\(name)' is not 1 to \(Self.maximumNameLength) lower-case letters, digits or "
          + "underscores")
    }
  }

  /// `text` with the URI's password taken out (libpq never repeats it;
  /// this guards any message that might).
  func scrub(_ text: String) -> String {
    passwords.reduce(text) { $0.replacingOccurrences(of: $1, with: "********") }
  }

  /// `url` with the password taken out of its `user:password@` part (the
  /// rest kept, so a command hint still works with PGPASSWORD or
  /// ~/.pgpass).
  public static func withoutPassword(_ url: String) -> String {
    guard let scheme = url.range(of: "://") else { return url }
    let authorityEnd = url[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
    guard let at = url[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
      let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
    else { return url }
    return String(url[..<colon]) + String(url[at...])
  }
}
