import Foundation
import Testing

/// `sis-sync --version` names the release and the commit the binary was
/// built from (Plugins/BuildCommit), and the man page names the same release.
@Suite struct VersionTests {
  static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The checkout's commit as the plugin abbreviates it; nil without git.
  static func headCommit() -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", checkout.path, "rev-parse", "--short=12", "HEAD"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
  }

  @Test func versionNamesTheReleaseAndTheCommit() throws {
    let result = try SisSyncProcess.run(["--version"])
    #expect(result.status == 0, "\(result.stderr)")
    let line = result.stdout
    let pattern =
      #/sis-sync (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(-modified)?|unknown: built outside a git checkout)\)\n/#
    let match = try #require(line.wholeMatch(of: pattern), "\(line)")
    if let head = Self.headCommit() {
      #expect(match.2.hasPrefix(head), "built from \(match.2), the checkout is at \(head)")
    }
    let manPage = try String(contentsOf: Self.checkout.appendingPathComponent("man/sis-sync.1"), encoding: .utf8)
    #expect(manPage.contains("\"sis-sync \(match.1)\""), "man/sis-sync.1's .TH names another release")
  }
}
