import Foundation
import Testing

/// A directory that is missing or damaged is reported once, in one line,
/// with exit code 4 — not followed by the exit code's own description.
@Suite struct DirectoryErrorTests {
  enum Damage: String, CaseIterable {
    case missing, randomBytes

    /// The whole of standard error for a directory at `path`.
    func message(_ path: String) -> String {
      switch self {
      case .missing:
        "sis-sync: directory \(path): no directory here; create one with 'sis-sync directory import' or try "
          + "'sis-sync demo'\n"
      case .randomBytes:
        "sis-sync: directory \(path): not a sis-sync directory (not an SQLite database); left untouched\n"
      }
    }
  }

  /// A directory path that does not exist, or a file of random bytes.
  static func directory(_ damage: Damage, in scratch: ScratchFolder) throws -> String {
    let path = scratch.url.appendingPathComponent("directory.sqlite").path
    if damage == .randomBytes {
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      chmod(path, 0o600)  // as a directory is, so the damage is what is reported
    }
    return path
  }

  static let commands: [[String]] = [
    ["history"], ["history", "--format", "json"], ["show", "1"], ["revert", "1"],
    ["directory", "export", "--organizations", "orgs.csv", "--accounts", "accounts.csv"],
    ["plan", "export.csv"], ["apply", "export.plan"],
  ]

  @Test(arguments: Damage.allCases)
  func readingCommandsPrintOneLineAndExitFour(damage: Damage) throws {
    let scratch = try ScratchFolder()
    let directory = try Self.directory(damage, in: scratch)
    for command in Self.commands {
      let arguments = command.map { $0.contains(".") ? scratch.url.appendingPathComponent($0).path : $0 }
      let result = try SisSyncProcess.run(arguments + ["--directory", directory])
      #expect(result.status == 4, "\(command): \(result.stderr)")
      #expect(result.stdout.isEmpty, "\(command)")
      #expect(result.stderr == damage.message(directory), "\(command)")
    }
  }
}
