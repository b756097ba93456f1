import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Faults while applying (issue 6): the directory is exactly as before or
/// exactly as after, and the user is told what happened.
@Suite(.serialized) struct ApplyFaultTests {
  /// A directory, a saved plan of creates and updates, and the directory's
  /// state before and after applying it whole.
  struct Fixture {
    let setup: SyncCommandTests.Setup
    let plan: String
    let pristine: String
    let before: String
    let after: String
    let applySeconds: Double

    init() throws {
      setup = try SyncCommandTests.Setup(accounts: 400, creates: 3_000)
      // Every existing student moves up a grade: updates as well as creates.
      let rows = try String(contentsOfFile: setup.export, encoding: .utf8)
        .replacingOccurrences(of: ",Student,,3,Active", with: ",Student,,4,Active")
      try rows.write(toFile: setup.export, atomically: true, encoding: .utf8)
      plan = setup.scratch.url.appendingPathComponent("faults.plan").path
      let planned = try setup.run(["plan", setup.export, "--out", plan])
      precondition(planned.status == 0, planned.stderr)
      pristine = setup.scratch.url.appendingPathComponent("pristine.sqlite").path
      try FileManager.default.copyItem(atPath: setup.directory, toPath: pristine)
      before = try setup.directoryState()
      let started = Date()
      let applied = try setup.run(["apply", plan])
      precondition(applied.status == 0, applied.stderr)
      applySeconds = Date().timeIntervalSince(started)
      after = try setup.directoryState()
      try restore()
    }

    /// Puts the directory back as it was before the plan.
    func restore() throws {
      for suffix in ["", "-wal", "-shm", ".snapshot"] {
        try? FileManager.default.removeItem(atPath: setup.directory + suffix)
      }
      try FileManager.default.copyItem(atPath: pristine, toPath: setup.directory)
    }

    func startApply(_ shellPrefix: String = "") throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = [
        "-c", shellPrefix + " exec \"$0\" apply \"$1\" --directory \"$2\"", SisSyncProcess.binary.path, plan,
        setup.directory,
      ]
      process.standardOutput = Pipe()
      process.standardError = Pipe()
      try process.run()
      return process
    }
  }

  @Test func sigkillAtRandomPointsNeverLeavesAHalfAppliedDirectory() throws {
    let fixture = try Fixture()
    var outcomes = (before: 0, after: 0)
    var generator = SystemRandomNumberGenerator()
    for kill in 1...50 {
      try fixture.restore()
      let apply = try fixture.startApply()
      // Somewhere between the start and a little after the usual end.
      usleep(UInt32.random(in: 0...UInt32(fixture.applySeconds * 1.1 * 1_000_000), using: &generator))
      Glibc.kill(apply.processIdentifier, SIGKILL)
      apply.waitUntilExit()
      let state = try fixture.setup.directoryState()
      #expect(state == fixture.before || state == fixture.after, "kill \(kill): half-applied directory")
      if state == fixture.before { outcomes.before += 1 } else if state == fixture.after { outcomes.after += 1 }
    }
    // Most kills land inside the transaction; some after its commit.
    #expect(outcomes.before > 0, "\(outcomes)")
    // After all that, the plan still applies.
    try fixture.restore()
    #expect(try fixture.setup.run(["apply", fixture.plan]).status == 0)
    #expect(try fixture.setup.directoryState() == fixture.after)
  }

  @Test func aFullDiskFailsTheApplyWithAClearMessageAndChangesNothing() throws {
    let fixture = try Fixture()
    let size = try FileManager.default.attributesOfItem(atPath: fixture.setup.directory)[.size] as! Int
    // The shell's file size limit (512-byte blocks in sh) acts as a disk
    // that fills up: writes past it fail with EFBIG (SIGXFSZ ignored).
    let apply = try fixture.startApply("trap '' XFSZ; ulimit -f \((size + 64 * 1024) / 512);")
    apply.waitUntilExit()
    let stderr = String(
      decoding: (apply.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(apply.terminationStatus == 4, "\(stderr)")
    #expect(stderr.contains("nothing was changed"), "\(stderr)")
    #expect(try fixture.setup.directoryState() == fixture.before)
  }

  @Test func aReadOnlyDirectoryFailsTheApplyWithAClearMessage() throws {
    let fixture = try Fixture()
    // Tests run as root, for whom file modes do not stop writes: the
    // immutable attribute does (ext4, as on the CI machine).
    let folder = fixture.setup.scratch.url.path
    let files = [fixture.setup.directory, folder]
    func chattr(_ flag: String) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["chattr", flag] + files
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.setup.directory + suffix) }
    guard try chattr("+i") == 0 else {
      Issue.record("chattr +i is not supported here: the read-only disk case was not tested")
      return
    }
    defer { _ = try? chattr("-i") }
    let applied = try fixture.setup.run(["apply", fixture.plan])
    #expect(applied.status == 4, "\(applied.stderr)")
    #expect(
      applied.stderr.contains("readonly") || applied.stderr.contains("read-only") || applied.stderr.contains("open"),
      "\(applied.stderr)")
    #expect(applied.stderr.contains(fixture.setup.directory), "the message names the file: \(applied.stderr)")
    #expect(try chattr("-i") == 0)
    #expect(try fixture.setup.directoryState() == fixture.before)
  }

  @Test func aDatabaseLockedByAnotherProgramIsReportedAndNothingChanges() throws {
    let fixture = try Fixture()
    // Another program holds SQLite's write lock for longer than sis-sync waits.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    holder.arguments = [
      "python3", "-c",
      "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
        + "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)",
      fixture.setup.directory,
    ]
    let output = Pipe()
    holder.standardOutput = output
    try holder.run()
    // SIGKILL: processes started from test threads may block SIGTERM.
    defer {
      if holder.isRunning { Glibc.kill(holder.processIdentifier, SIGKILL) }
      holder.waitUntilExit()
    }
    _ = output.fileHandleForReading.availableData  // "locked"
    let started = Date()
    let applied = try fixture.setup.run(["apply", fixture.plan])
    #expect(applied.status == 4, "\(applied.stderr)")
    #expect(applied.stderr.contains("locked"), "\(applied.stderr)")
    #expect(applied.stderr.contains("nothing was changed"), "\(applied.stderr)")
    #expect(Date().timeIntervalSince(started) < 25)
    Glibc.kill(holder.processIdentifier, SIGKILL)
    holder.waitUntilExit()
    #expect(try fixture.setup.directoryState() == fixture.before)
  }
}
