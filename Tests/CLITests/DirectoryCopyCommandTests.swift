import Foundation
import StoreKinds
import Testing

/// `sis-sync directory copy FROM TO` with the real binary: a file to a
/// server and back, the per-table check printed, a filled target refused.
@Suite(.serialized) struct DirectoryCopyCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// The table lines of a copy's report: name, rows and digest.
  static func tableLines(_ report: String) -> [String] {
    report.split(separator: "\n").filter { $0.hasPrefix("  ") }.map {
      $0.split(separator: " ").prefix(4).joined(separator: " ")
    }
  }

  @Test func aFileGoesToAServerAndBackWithEverything() throws {
    let setup = try Setup(accounts: 3, creates: 2)
    #expect(try setup.run(["apply", setup.export, "--yes"]).status == 0)
    #expect(try setup.run(["settings", "set", "threshold.disable", "500,20%"]).status == 0)
    // A held scheduled run, kept with its export: the copy carries it.
    let moved = try setup.scratch.write(
      "moved.csv", exportHeader + "\nA0,,Old,a0@x.org,100000,S1,Student,,4,Active\n")
    #expect(try setup.run(["apply", moved, "--yes", "--threshold", "update=0"]).status == 11)
    let history = try setup.run(["history"]).stdout
    let plan = setup.scratch.url.appendingPathComponent("later.plan").path
    #expect(try setup.run(["plan", setup.export, "--disable-missing", "--out", plan]).status == 0)

    let server = try StoreKind.newPostgreSQLDirectoryURL()
    let there = try SisSyncProcess.run(["directory", "copy", setup.directory, server])
    #expect(there.status == 0, "\(there.stderr)")
    #expect(there.stderr.isEmpty)
    let lines = Self.tableLines(there.stdout)
    #expect(
      lines.map { $0.split(separator: " ")[0] } == [
        "directory_info", "directory_state", "organization", "account", "run", "change", "setting",
        "pending_disable", "protection", "account_source", "local_field", "pending_run",
      ])
    #expect(lines.contains { $0.hasPrefix("pending_run 1 rows sha256") })
    #expect(there.stdout.contains("same in both"))
    #expect(lines.contains("account 5 rows sha256"))
    #expect(lines.contains("setting 1 rows sha256"))

    let back = setup.scratch.url.appendingPathComponent("back.sqlite").path
    let returned = try SisSyncProcess.run(["directory", "copy", server, back])
    #expect(returned.status == 0, "\(returned.stderr)")
    #expect(Self.tableLines(returned.stdout) == lines)
    let mode = try FileManager.default.attributesOfItem(atPath: back)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try SisSyncProcess.run(["history", "--directory", back]).stdout == history)
    // The settings went there and back.
    for copy in [server, back] {
      let settings = try SisSyncProcess.run(["settings", "--directory", copy]).stdout
      #expect(settings.contains("threshold.disable     500,20%  (stored)"), "\(settings)")
    }

    // A plan saved before the copies is the copy's plan too.
    let applied = try SisSyncProcess.run(["apply", plan, "--directory", back])
    #expect(applied.status == 0 || applied.status == 10, "\(applied.stderr)")

    // Neither copies over a directory with anything in it.
    let again = try SisSyncProcess.run(["directory", "copy", setup.directory, server])
    #expect(again.status == 4)
    #expect(again.stderr.contains("not empty"))
    let onFile = try SisSyncProcess.run(["directory", "copy", server, setup.directory])
    #expect(onFile.status == 4)
    #expect(try SisSyncProcess.run(["history", "--directory", setup.directory]).stdout == history)
  }

  @Test func aFailedCopyToANewFileLeavesNoFile() throws {
    let setup = try Setup(accounts: 1, creates: 0)
    let target = setup.scratch.url.appendingPathComponent("filled.sqlite").path
    #expect(try SisSyncProcess.run(["directory", "copy", setup.directory, target]).status == 0)
    // The source is now the filled target: copying onto it is refused, and
    // a copy from a missing directory writes nothing anywhere.
    let missing = setup.scratch.url.appendingPathComponent("missing.sqlite").path
    let fresh = setup.scratch.url.appendingPathComponent("fresh.sqlite").path
    let refused = try SisSyncProcess.run(["directory", "copy", missing, fresh])
    #expect(refused.status == 4)
    #expect(!FileManager.default.fileExists(atPath: fresh))
    let same = try SisSyncProcess.run(["directory", "copy", target, target])
    #expect(same.status == 64)
    // A copy that fails after making its new file removes it again, and
    // only what it made (here its lock file is a link it refuses).
    let elsewhere = setup.scratch.url.appendingPathComponent("elsewhere").path
    try FileManager.default.createSymbolicLink(atPath: fresh + ".lock", withDestinationPath: elsewhere)
    let failed = try SisSyncProcess.run(["directory", "copy", setup.directory, fresh])
    #expect(failed.status == 4)
    #expect(failed.stderr.contains("symbolic link"), "\(failed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: fresh))
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: fresh + ".lock")) == elsewhere)
  }
}
