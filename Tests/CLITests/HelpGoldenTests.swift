import Foundation
import Testing

/// Every command's `--help`, verbatim, against `Tests/Goldens/help/`: a
/// changed option, default or exit code shows up in review as a diff.
/// Re-record after a deliberate change with
/// `SIS_SYNC_RECORD_GOLDENS=1 swift test --filter HelpGolden`.
@Suite struct HelpGoldenTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Goldens/help")

  static let commands: [[String]] = [
    [], ["review"], ["validate"], ["plan"], ["apply"], ["history"], ["show"], ["person"], ["revert"], ["cleanup"],
    ["directory"],
    ["directory", "import"], ["directory", "export"], ["directory", "backup"], ["directory", "copy"], ["demo"],
    ["mapping"],
    ["mapping", "list"], ["mapping", "show"], ["mapping", "check"], ["explain"], ["organizations"],
    ["organizations", "match"], ["organizations", "list"], ["settings"], ["settings", "set"], ["settings", "unset"],
    ["protect"], ["protect", "add"], ["protect", "list"], ["unprotect"],
    ["local-fields"], ["local-fields", "set"], ["local-fields", "unset"], ["local-fields", "list"],
  ]

  @Test(arguments: commands)
  func helpIsAsRecorded(command: [String]) throws {
    let name = (["sis-sync"] + command).joined(separator: "-")
    // ArgumentParser wraps at COLUMNS (else the terminal's width, else 80).
    let result = try SisSyncProcess.run(command + ["--help"], environment: ["COLUMNS": "80", "LINES": "24"])
    #expect(result.status == 0, "\(result.stderr)")
    let path = Self.folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["SIS_SYNC_RECORD_GOLDENS"] == "1" {
      try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
      try Data(result.stdout.utf8).write(to: path)
      return
    }
    let expected = try String(contentsOf: path, encoding: .utf8)
    guard expected != result.stdout else { return }
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let differing = (0..<max(old.count, new.count)).filter { (index: Int) in
      (index < old.count ? old[index] : nil) != (index < new.count ? new[index] : nil)
    }
    let lines = differing.prefix(20).map { (index: Int) -> String in
      let was = index < old.count ? String(old[index]) : ""
      let now = index < new.count ? String(new[index]) : ""
      return "  line \(index + 1): expected |\(was)|\n           got |\(now)|"
    }
    let report = "\(name) --help differs from Tests/Goldens/help/\(name).txt:\n" + lines.joined(separator: "\n")
    Issue.record(Comment(rawValue: report))
  }
}
