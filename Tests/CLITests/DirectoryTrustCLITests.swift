import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The trust holes of SECURITY.md through the real binary: a restored
/// backup, files sis-sync does not own, output targets that are not files.
@Suite struct DirectoryTrustCLITests {
  /// The outside review's sequence: back up, move on and save a plan, put
  /// the backup back (as a raw copy, the hazard), commit until the
  /// generation is the plan's again, then `apply PLAN`. It used to write
  /// the lost state's changes over other people's accounts.
  @Test func aRestoredBackupNeverTakesAPlanForAStateItNeverHad() throws {
    let setup = try SyncCommandTests.Setup(accounts: 6, creates: 0)
    let backup = setup.scratch.url.appendingPathComponent("backup.sqlite").path
    let backedUp = try setup.run(["directory", "backup", backup])
    #expect(backedUp.status == 0, "\(backedUp.stderr)")
    #expect(backedUp.stdout.contains("to \(backup)"))
    let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // The live directory: student A1 moves to grade 4, then a plan for A2.
    let moved = try setup.scratch.write(
      "moved.csv", exportHeader + "\nA1,,Old,a1@x.org,100001,S1,Student,,4,Active\n")
    #expect(try setup.run(["apply", moved, "--yes"]).status == 0)
    let lostPlan = setup.scratch.url.appendingPathComponent("lost.plan").path
    let lost = try setup.scratch.write(
      "lost.csv", exportHeader + "\nA2,,Old,a2@x.org,100002,S1,Student,,9,Active\n")
    #expect(try setup.run(["plan", lost, "--out", lostPlan]).status == 0)
    // Restored by copying the backup over the file.
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: setup.directory + suffix) }
    try FileManager.default.removeItem(atPath: setup.directory)
    try FileManager.default.copyItem(atPath: backup, toPath: setup.directory)
    // Another commit: the same generation as the lost state, other data.
    let other = try setup.scratch.write(
      "other.csv", exportHeader + "\nA3,,Old,a3@x.org,100003,S1,Student,,7,Active\n")
    #expect(try setup.run(["apply", other, "--yes"]).status == 0)
    let before = try setup.directoryState()
    let applied = try setup.run(["apply", lostPlan])
    #expect(applied.status == 12)
    #expect(applied.stderr.contains("the directory was replaced or restored since the plan was made"))
    #expect(try setup.directoryState() == before)
    // Planning again works against the restored directory as it is.
    let replanned = try setup.run(["plan", lost, "--format", "json"])
    #expect(replanned.stdout.contains("\"update\":1"), "\(replanned.stderr)")
  }

  @Test func readingCommandsRefuseAForeignFileAndLeaveItAlone() throws {
    let scratch = try ScratchFolder()
    let foreign = scratch.url.appendingPathComponent("app.sqlite").path
    let made = Process()
    made.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    made.arguments = [
      "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()", foreign,
    ]
    try made.run()
    made.waitUntilExit()
    chmod(foreign, 0o600)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: foreign))
    for command in [["history"], ["show", "1"], ["directory", "export", "--organizations", "o", "--accounts", "a"]] {
      let result = try SisSyncProcess.run(command + ["--directory", foreign])
      #expect(result.status == 4)
      #expect(
        result.stderr.hasPrefix(
          "sis-sync: directory \(foreign): an SQLite database that is not a sis-sync directory; "
            + "sis-sync will not change it\n"))
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == bytes)
    #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
  }

  @Test func aDirectoryReadableByAllIsRefusedWithTheChmodThatFixesIt() throws {
    let setup = try SyncCommandTests.Setup(accounts: 2, creates: 0)
    chmod(setup.directory, 0o644)
    let result = try setup.run(["history"])
    #expect(result.status == 4)
    #expect(result.stderr.contains("chmod o-rwx \(setup.directory)"))
    chmod(setup.directory, 0o640)
    #expect(try setup.run(["history"]).status == 0)
  }

  /// As root, `-o /dev/null` used to rename a regular file over the
  /// system's /dev/null. Devices and FIFOs are written through.
  /// `demo --replace` removed whatever its path named: as root, `--directory
  /// /dev/stdout` took the system's /dev/stdout with it. Only a directory
  /// file is started again now.
  @Test func demoReplaceStartsOnlyADirectoryFileAgain() throws {
    let scratch = try ScratchFolder()
    let fifo = scratch.url.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let notes = try scratch.write("notes.txt", "keep me\n")
    let link = scratch.url.appendingPathComponent("link.sqlite").path
    let demo = scratch.url.appendingPathComponent("demo.sqlite").path
    #expect(try SisSyncProcess.run(["demo", "--directory", demo, "--no-review"]).status == 0)
    #expect(symlink(demo, link) == 0)
    for path in [fifo, notes, link] {
      let refused = try SisSyncProcess.run(["demo", "--directory", path, "--replace", "--no-review"])
      #expect(refused.status == 64, "\(path): \(refused.stderr)")
      #expect(refused.stderr.contains("is not a directory file"))
    }
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "keep me\n")
    #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
    // A demo directory itself is started again.
    let replaced = try SisSyncProcess.run(["demo", "--directory", demo, "--replace", "--no-review"])
    #expect(replaced.status == 0, "\(replaced.stderr)")
    #expect(DemoFile.isSQLite(demo))
  }

  /// `-o /dev/stdout >> log` (a scheduled job's log) wrote from the log's
  /// start, over what it held: the report now goes through the shell's own
  /// descriptor, appended like any output of the command.
  @Test func aReportToStandardOutputAppendsWhereTheShellAppends() throws {
    let scratch = try ScratchFolder()
    let export = try scratch.write("e.csv", exportHeader + "\nAna,,Ruiz,ana@x.org,1,S1,Student,,5,Active\n")
    for (target, redirect) in [("/dev/stdout", ">>"), ("/dev/fd/1", ">>"), ("/dev/stderr", "2>>")] {
      let log = try scratch.write("log.txt", "KEEP THIS LINE\n")
      let script = "\"$0\" validate \"$1\" --format json -o \(target) \(redirect) \"$2\""
      let result = try SisSyncProcess.run(
        URL(fileURLWithPath: "/bin/sh"), ["-c", script, SisSyncProcess.binary.path, export, log])
      #expect(result.status == 0, "\(target): \(result.stderr)")
      let written = try String(contentsOfFile: log, encoding: .utf8)
      #expect(written.hasPrefix("KEEP THIS LINE\n{\""), "\(target): \(written.prefix(80))")
      #expect(written.contains("\"rows\":1"))
    }
  }

  @Test func reportsToAFIFOOrADeviceAreWrittenThroughNotReplaced() throws {
    let scratch = try ScratchFolder()
    let export = try scratch.write("e.csv", exportHeader + "\nAna,,Ruiz,ana@x.org,1,S1,Student,,5,Active\n")
    let fifo = scratch.url.appendingPathComponent("report.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [fifo]
    let pipe = Pipe()
    reader.standardOutput = pipe
    try reader.run()
    let result = try SisSyncProcess.run(["validate", export, "--format", "json", "-o", fifo])
    let received = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    reader.waitUntilExit()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(received.contains("\"rows\":1"))
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    // /dev/stdout: the report arrives on standard output.
    let toStdout = try SisSyncProcess.run(["validate", export, "--format", "json", "-o", "/dev/stdout"])
    #expect(toStdout.stdout.contains("\"findings\""))
    // A character device stays one (a scratch copy of /dev/null's node).
    let device = scratch.url.appendingPathComponent("null").path
    #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)  // major 1, minor 3
    #expect(try SisSyncProcess.run(["validate", export, "-o", device]).status == 0)
    #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
  }

  /// `directory import` read its organizations file with a blocking open: a
  /// FIFO there hung it. Refused at once now, as exports are.
  @Test func importRefusesAFIFOAtOnce() throws {
    let scratch = try ScratchFolder()
    let organizations = scratch.url.appendingPathComponent("orgs.csv").path
    #expect(mkfifo(organizations, 0o600) == 0)
    let accounts = try scratch.write("accounts.csv", exportHeader + "\n")
    let result = try runWithTimeout(
      [
        "directory", "import", "--directory", scratch.url.appendingPathComponent("d.sqlite").path,
        "--organizations", organizations, "--accounts", accounts,
      ], seconds: 20)
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a named pipe (FIFO), not a regular file"))
  }
}

/// What a demo directory file starts with.
private enum DemoFile {
  static func isSQLite(_ path: String) -> Bool {
    guard let file = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? file.close() }
    return (try? file.read(upToCount: 16)) == Data("SQLite format 3\u{0}".utf8)
  }
}
