import Foundation
import SyncEngine

/// Every directory store. The tests that touch the directory, in both the
/// engine's and the review screen's suites, run against each
/// (`@Test(arguments: StoreKind.allCases)`); a new store adds a case here.
public enum StoreKind: String, CaseIterable, Sendable {
  case sqlite, memory

  /// A new, empty store of this kind in `folder`.
  public func makeStore(in folder: URL) throws -> any DirectoryStore {
    switch self {
    case .sqlite: try SQLiteDirectory(path: folder.appendingPathComponent("directory.sqlite").path, access: .create)
    case .memory: InMemoryDirectoryStore()
    }
  }
}
