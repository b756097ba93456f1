import Foundation
import Testing

/// A directory that is missing or damaged is reported once, in one line,
/// with exit code 4 — not followed by the exit code's own description.
@Suite struct DirectoryErrorTests {
  enum Damage: String, CaseIterable {
    case missing, randomBytes
  }

  /// A directory path that does not exist, or a file of random bytes.
  static func directory(_ damage: Damage, in scratch: ScratchFolder) throws -> String {
    let path = scratch.url.appendingPathComponent("directory.sqlite").path
    if damage == .randomBytes {
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    return path
  }

  static let commands: [[String]] = [
    ["history"], ["history", "--format", "json"], ["show", "1"], ["revert", "1"],
    ["directory", "export", "--organizations", "orgs.csv", "--accounts", "accounts.csv"],
  ]

  @Test(arguments: Damage.allCases)
  func readingCommandsPrintOneLineAndExitFour(damage: Damage) throws {
    let scratch = try ScratchFolder()
    let directory = try Self.directory(damage, in: scratch)
    // The message every command gives: the one `directory export` gives too.
    var messages: Set<String> = []
    for command in Self.commands {
      let arguments = command.map { $0.hasSuffix(".csv") ? scratch.url.appendingPathComponent($0).path : $0 }
      let result = try SisSyncProcess.run(arguments + ["--directory", directory])
      #expect(result.status == 4, "\(command): \(result.stderr)")
      #expect(result.stdout.isEmpty, "\(command)")
      let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == 2 && lines[1].isEmpty, "\(command): one line expected, got \(result.stderr)")
      #expect(lines[0].hasPrefix("sis-sync: ") && lines[0].contains(directory), "\(command): \(result.stderr)")
      #expect(!result.stderr.contains("ExitCode"), "\(command): \(result.stderr)")
      messages.insert(result.stderr)
    }
    #expect(messages.count == 1, "every command words it the same: \(messages)")
  }
}
