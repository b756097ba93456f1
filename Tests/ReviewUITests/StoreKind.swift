import Foundation
import SyncEngine
import Testing

/// Every directory store: the review tests that commit or read the
/// directory run against each (`@Test(arguments: StoreKind.allCases)`).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
  case sqlite, memory

  var testDescription: String { rawValue }

  /// A new, empty store of this kind in `folder`.
  func makeStore(in folder: URL) throws -> any DirectoryStore {
    switch self {
    case .sqlite: try SQLiteDirectory(path: folder.appendingPathComponent("directory.sqlite").path, access: .create)
    case .memory: InMemoryDirectoryStore()
    }
  }
}
