import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A mapping's companion files stay inside the export's folder, are regular
/// files of bounded size, and their content is never repeated in messages;
/// `--companion NAME=PATH` reads one kept elsewhere.
@Suite struct CompanionFileTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/presets/oneroster-1.2")

  /// A folder holding the OneRoster 1.2 users.csv (no roles.csv) and a
  /// mapping file whose `[file roles]` path is `path` (line 3).
  struct Setup {
    let scratch: ScratchFolder
    let users: String
    let mapping: String

    init(rolesPath path: String) throws {
      scratch = try ScratchFolder()
      let folder = scratch.url.appendingPathComponent("export")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      users = folder.appendingPathComponent("users.csv").path
      try FileManager.default.copyItem(atPath: fixture.appendingPathComponent("users.csv").path, toPath: users)
      mapping = try scratch.write(
        "or.map",
        "extends = oneroster-1.2\n[file roles]\npath = \(path)\nkey = userSourcedId\nmatches = sourcedId\n"
          + "prefer roleType = primary\n")
    }

    /// `validate`, `plan` (text and JSON) and `validate --format csv`.
    func outputs(_ extra: [String] = []) throws -> [SisSyncProcess.Output] {
      let directory = scratch.url.appendingPathComponent("d.sqlite").path
      _ = try SisSyncProcess.run(["demo", "--directory", directory])
      return try [
        runWithTimeout(["validate", users, "--mapping", mapping] + extra, seconds: 20),
        runWithTimeout(["validate", users, "--mapping", mapping, "--format", "json"] + extra, seconds: 20),
        runWithTimeout(["validate", users, "--mapping", mapping, "--format", "csv"] + extra, seconds: 20),
        runWithTimeout(["plan", users, "--mapping", mapping, "--directory", directory] + extra, seconds: 20),
      ]
    }
  }

  static func expectRefused(_ outputs: [SisSyncProcess.Output], saying words: String) {
    for output in outputs {
      #expect(output.status == 2, "\(output.stderr)")
      let text = output.stdout + output.stderr
      #expect(text.contains("E047"), "\(text)")
      #expect(text.contains(words), "\(text)")
    }
  }

  @Test func anAbsolutePathIsRefusedAndTheFileIsNotRepeated() throws {
    let setup = try Setup(rolesPath: "/etc/passwd")
    let outputs = try setup.outputs()
    Self.expectRefused(outputs, saying: "is an absolute path")
    #expect(outputs[0].stdout.contains("line 3"), "\(outputs[0].stdout)")
    #expect(outputs[0].stdout.contains("--companion roles=PATH"), "\(outputs[0].stdout)")
    for output in outputs { #expect(!(output.stdout + output.stderr).contains("root:")) }
  }

  @Test func aPathLeadingOutOfTheExportsFolderIsRefused() throws {
    let setup = try Setup(rolesPath: "../../secret.txt")
    try "userSourcedId,role\nroot:x:0:0:secret,teacher\n".write(
      toFile: setup.scratch.url.appendingPathComponent("secret.txt").path, atomically: true, encoding: .utf8)
    let outputs = try setup.outputs()
    Self.expectRefused(outputs, saying: "leads out of the export's folder")
    for output in outputs { #expect(!(output.stdout + output.stderr).contains("root:x")) }
  }

  @Test func aLinkInsideTheFolderToAFileOutsideIsRefused() throws {
    let setup = try Setup(rolesPath: "roles.csv")
    let outside = setup.scratch.url.appendingPathComponent("passwd-copy").path
    try "root:x:0:0:root:/root:/bin/bash\n".write(toFile: outside, atomically: true, encoding: .utf8)
    let link = URL(fileURLWithPath: setup.users).deletingLastPathComponent().appendingPathComponent("roles.csv")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: outside)
    let outputs = try setup.outputs()
    Self.expectRefused(outputs, saying: "is a link to a file outside the export's folder")
    for output in outputs { #expect(!(output.stdout + output.stderr).contains("root:")) }
  }

  @Test func aLinkInsideTheFolderToAFileInsideIsRead() throws {
    let setup = try Setup(rolesPath: "roles.csv")
    let folder = URL(fileURLWithPath: setup.users).deletingLastPathComponent()
    try FileManager.default.copyItem(
      atPath: Self.fixture.appendingPathComponent("roles.csv").path,
      toPath: folder.appendingPathComponent("all-roles.csv").path)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("roles.csv").path, withDestinationPath: "all-roles.csv")
    let result = try runWithTimeout(["validate", setup.users, "--mapping", setup.mapping], seconds: 20)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  @Test func aDeviceOrANamedPipeIsRefusedAtOnce() throws {
    let fifoSetup = try Setup(rolesPath: "roles.csv")
    let fifo = URL(fileURLWithPath: fifoSetup.users).deletingLastPathComponent().appendingPathComponent("roles.csv")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let started = Date()
    Self.expectRefused(try fifoSetup.outputs(), saying: "is a named pipe (FIFO), not a regular file")
    // /dev/zero only by an explicit choice, and still refused.
    Self.expectRefused(
      try fifoSetup.outputs(["--companion", "roles=/dev/zero"]), saying: "is a character device, not a regular file")
    #expect(Date().timeIntervalSince(started) < 30)
    // And /dev/zero in a mapping is an absolute path.
    Self.expectRefused(try Setup(rolesPath: "/dev/zero").outputs(), saying: "is an absolute path")
  }

  @Test func aCompanionKeptElsewhereIsNamedOnTheCommandLine() throws {
    let setup = try Setup(rolesPath: "roles.csv")
    let elsewhere = setup.scratch.url.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    let roles = elsewhere.appendingPathComponent("roles.csv").path
    try FileManager.default.copyItem(atPath: Self.fixture.appendingPathComponent("roles.csv").path, toPath: roles)
    // Without the option the file is missing beside the export.
    let missing = try runWithTimeout(["validate", setup.users, "--mapping", setup.mapping], seconds: 20)
    #expect(missing.status == 2)
    #expect(missing.stdout.contains("E047"))
    for mapping in [setup.mapping, "oneroster-1.2"] {
      let found = try runWithTimeout(
        ["validate", setup.users, "--mapping", mapping, "--companion", "roles=\(roles)"], seconds: 20)
      #expect(found.status == 0, "\(found.stdout)\(found.stderr)")
    }
    let unknown = try runWithTimeout(
      ["validate", setup.users, "--mapping", "oneroster-1.2", "--companion", "orgs=\(roles)"], seconds: 20)
    #expect(unknown.status == 3)
    #expect(unknown.stderr.contains("has no [file orgs] section (its companion files: roles)"), "\(unknown.stderr)")
    let malformed = try runWithTimeout(
      ["validate", setup.users, "--mapping", "oneroster-1.2", "--companion", "roles"], seconds: 20)
    #expect(malformed.status == 64)
  }

  @Test func aCompanionOverTheSizeCapIsRefusedWithoutReadingIt() throws {
    let setup = try Setup(rolesPath: "roles.csv")
    let roles = URL(fileURLWithPath: setup.users).deletingLastPathComponent().appendingPathComponent("roles.csv")
    _ = FileManager.default.createFile(atPath: roles.path, contents: nil)
    // Sparse: 300 MiB long, no disk used.
    #expect(truncate(roles.path, 300 << 20) == 0)
    let result = try runWithTimeout(["validate", setup.users, "--mapping", setup.mapping], seconds: 20)
    #expect(result.status == 2)
    #expect(result.stdout.contains("is larger than 256 MiB"), "\(result.stdout)")
  }

  @Test func aWrongFilesFirstLineIsNotRepeated() throws {
    let setup = try Setup(rolesPath: "roles.csv")
    let roles = URL(fileURLWithPath: setup.users).deletingLastPathComponent().appendingPathComponent("roles.csv")
    try "ana.lopez@x.org:Ana Lopez:secret/1\nsecond line\n".write(toFile: roles.path, atomically: true, encoding: .utf8)
    let result = try runWithTimeout(["validate", setup.users, "--mapping", setup.mapping], seconds: 20)
    #expect(result.status == 2)
    #expect(result.stdout.contains("its first line is not a header row"), "\(result.stdout)")
    #expect(!result.stdout.contains("ana.lopez") && !result.stderr.contains("ana.lopez"))
  }
}
