import Foundation
import Testing

/// The command line around a run (issue 12, item 6): hints that work when
/// pasted, a plan or a revert done twice said plainly, and the demo found
/// from any folder once installed.
@Suite(.serialized) struct CommandLineHintTests {
  /// A directory in a folder whose name has a space, and an export that
  /// creates two students.
  struct Setup {
    let scratch: ScratchFolder
    let directory: String
    let export: String

    init() throws {
      scratch = try ScratchFolder()
      let folder = scratch.url.appendingPathComponent("district files")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      directory = folder.appendingPathComponent("directory.sqlite").path
      let organizations = try scratch.write(
        "orgs.csv", "external_id,name,kind\nD,District,district\nS1,Lincoln,school\n")
      let accounts = try scratch.write("accounts.csv", exportHeader + "\nAna,,Old,a@x.org,100,S1,Student,,3,Active\n")
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accounts,
      ])
      precondition(imported.status == 0, imported.stderr)
      export = try scratch.write(
        "export.csv",
        exportHeader + "\nAna,,Old,a@x.org,100,S1,Student,,4,Active\nBen,,New,b@x.org,101,S1,Student,,4,Active\n")
    }

    func run(_ arguments: [String]) throws -> SisSyncProcess.Output {
      try SisSyncProcess.run(arguments + ["--directory", directory])
    }

    func runCount() throws -> Int {
      try run(["history"]).stdout.split(separator: "\n").filter { $0.hasPrefix("run ") }.count
    }
  }

  /// The words of a printed command, read back as a POSIX shell would.
  static func shellWords(_ command: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "for word in " + command + "; do printf '%s\\n' \"$word\"; done"]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test func hintsAfterAnApplyNameTheDirectoryAndWorkWhenPasted() throws {
    let setup = try Setup()
    let applied = try setup.run(["apply", setup.export, "--yes"])
    #expect(applied.status == 0, "\(applied.stderr)")
    let hint = try #require(applied.stdout.split(separator: "\n").first { $0.hasPrefix("See it with: ") })
    let show = try #require(hint.dropFirst("See it with: ".count).split(separator: ";").first)
    let words = try Self.shellWords(String(show))
    #expect(words == ["sis-sync", "show", "2", "--directory", setup.directory])
    let shown = try SisSyncProcess.run(Array(words.dropFirst()))
    #expect(shown.status == 0, "\(shown.stderr)")
    // Human words, not action names, in the text outputs.
    #expect(shown.stdout.contains("counts: 1 created, 1 updated"))
    #expect(shown.stdout.contains("  created 101 (account #"))
    #expect(!shown.stdout.contains("create line"))
  }

  @Test func aPlanAppliedTwiceIsAlreadyAppliedNotStale() throws {
    let setup = try Setup()
    let plan = setup.scratch.url.appendingPathComponent("saved.plan").path
    let planned = try setup.run(["plan", setup.export, "--out", plan])
    #expect(planned.status == 0, "\(planned.stderr)")
    #expect(planned.stdout.contains("apply it with: sis-sync apply \(plan) --directory '\(setup.directory)'"))
    #expect(try setup.run(["apply", plan]).status == 0)
    let again = try setup.run(["apply", plan])
    #expect(again.status == 10, "\(again.stderr)")
    #expect(again.stdout.contains("already applied as run 2"))
    #expect(!again.stderr.contains("changed since the plan was made"))
    let json = try setup.run(["apply", plan, "--format", "json"])
    #expect(json.status == 10)
    #expect(json.stdout.contains("\"result\":\"already_applied\""))
    #expect(json.stdout.contains("\"run_id\":2"))
    #expect(try setup.runCount() == 2)  // the import and the one apply
  }

  @Test func aRunRevertedTwiceIsAlreadyRevertedAndRecordsNothing() throws {
    let setup = try Setup()
    #expect(try setup.run(["apply", setup.export, "--yes"]).status == 0)
    let reverted = try setup.run(["revert", "2"])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    let again = try setup.run(["revert", "2"])
    #expect(again.status == 10, "\(again.stderr)")
    #expect(again.stdout.contains("already reverted by run 3"))
    #expect(try setup.runCount() == 3)  // import, apply, one revert: nothing recorded for the second
    // Reverting the revert puts run 2's changes back: run 2 may be reverted again.
    #expect(try setup.run(["revert", "3"]).status == 0)
    #expect(try setup.run(["revert", "2"]).status == 0)
  }

  @Test func explainHasAShortGlossary() throws {
    let glossary = try SisSyncProcess.run(["explain", "glossary"])
    #expect(glossary.status == 0, "\(glossary.stderr)")
    for term in ["directory", "custom_id", "building ID", "managed account", "user type", "plan", "run"] {
      #expect(glossary.stdout.contains("\n  \(term)\n"), "\(term)")
    }
    #expect(glossary.stdout.contains("unmanaged"))
    #expect(!glossary.stdout.contains("E030"))
    let list = try SisSyncProcess.run(["explain"])
    #expect(list.stdout.contains("  managed account\n"))
    #expect(list.stdout.contains("E030  error"))
  }

  @Test func demoFindsItsDataWhenInstalledAndRunFromAnotherFolder() throws {
    let scratch = try ScratchFolder()
    let prefix = scratch.url.appendingPathComponent("prefix")
    let bin = prefix.appendingPathComponent("bin")
    let share = prefix.appendingPathComponent("share/sis-sync")
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures")
    let manager = FileManager.default
    for folder in [bin, share.appendingPathComponent("exports")] {
      try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    try manager.copyItem(at: SisSyncProcess.binary, to: bin.appendingPathComponent("sis-sync"))
    try manager.copyItem(at: fixtures.appendingPathComponent("demo"), to: share.appendingPathComponent("demo"))
    try manager.copyItem(
      at: fixtures.appendingPathComponent("exports/demo-district.csv"),
      to: share.appendingPathComponent("exports/demo-district.csv"))
    let elsewhere = scratch.url.appendingPathComponent("elsewhere")
    try manager.createDirectory(at: elsewhere, withIntermediateDirectories: true)

    let demo = try SisSyncProcess.run(
      bin.appendingPathComponent("sis-sync"), ["demo", "--no-review"], environment: ["SIS_SYNC_SHARE": nil],
      in: elsewhere)
    #expect(demo.status == 0, "\(demo.stderr)")
    let stdout = demo.stdout
    #expect(stdout.contains("Created the demo directory sis-sync-demo.sqlite"))
    #expect(stdout.contains(share.appendingPathComponent("exports/demo-district.csv").path))
    #expect(manager.fileExists(atPath: elsewhere.appendingPathComponent("sis-sync-demo.sqlite").path))
  }
}
