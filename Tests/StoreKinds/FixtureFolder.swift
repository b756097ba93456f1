import Foundation
import SyncEngine

/// A test's scratch folder under the temporary directory, named
/// `PREFIX-UUID`: created at once, removed by `remove(after:)`.
public enum FixtureFolder {
  public static func make(_ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Removes `folder` once `store` is done writing into it: an SQLite
  /// directory writes its snapshot cache in the background while planning
  /// goes on, and a folder emptied before that write ends is left behind,
  /// holding the cache.
  public static func remove(_ folder: URL, after store: (any DirectoryStore)?) {
    (store as? SQLiteDirectory)?.waitForBackgroundWork()
    try? FileManager.default.removeItem(at: folder)
  }

  /// Runs a fixture's set-up in `folder`, removing the folder if it throws
  /// (a failed initializer runs no deinit: a skipped PostgreSQL case would
  /// leave its folder otherwise).
  public static func settingUp<T>(_ folder: URL, _ body: () throws -> T) throws -> T {
    do { return try body() } catch {
      try? FileManager.default.removeItem(at: folder)
      throw error
    }
  }
}
