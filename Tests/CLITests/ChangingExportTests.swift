import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// An export must be a regular file that stays the same while it is read:
/// a rewrite during `plan` is refused (exit 2), and a FIFO, a device or a
/// folder is refused at once instead of hanging.
@Suite struct ChangingExportTests {
  /// 300,000 valid rows (about 20 MB: read in two halves), written a block
  /// at a time (the test process stays small: `LimitTests` measures the
  /// peak memory of children, which starts at this process's).
  static func writeLargeExport(to path: String) throws {
    _ = FileManager.default.createFile(atPath: path, contents: Data((exportHeader + "\n").utf8))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    for block in 0..<30 {
      var text = ""
      for index in block * 10_000..<(block + 1) * 10_000 {
        text += "Ana\(index),,Lopez,ana\(index)@x.org,S\(index),HS,Student,,9,Active\n"
      }
      try handle.write(contentsOf: Data(text.utf8))
    }
  }

  /// Rewrites the file in place, a block at a time: every "Student" becomes
  /// "Teacher" (same size, other content).
  static func rewriteInPlace(_ path: String) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var offset: UInt64 = 0
    while true {
      try handle.seek(toOffset: offset)
      guard let block = try handle.read(upToCount: 1 << 20), !block.isEmpty else { return }
      let changed = Data(
        String(decoding: block, as: UTF8.self).replacingOccurrences(of: "Student", with: "Teacher").utf8)
      try handle.seek(toOffset: offset)
      try handle.write(contentsOf: changed)
      offset += UInt64(block.count)
    }
  }

  @Test func anExportRewrittenDuringPlanIsRefusedAndNoPlanIsSaved() throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("d.sqlite").path
    #expect(try SisSyncProcess.run(["demo", "--directory", directory]).status == 0)
    let export = scratch.url.appendingPathComponent("export.csv").path
    try Self.writeLargeExport(to: export)
    let planPath = scratch.url.appendingPathComponent("out.plan").path
    let marker = scratch.url.appendingPathComponent("reading").path

    let process = Process()
    process.executableURL = SisSyncProcess.binary
    process.arguments = ["plan", export, "--directory", directory, "--out", planPath]
    var environment = ProcessInfo.processInfo.environment
    environment["SIS_SYNC_TEST_PAUSE_READING"] = marker
    process.environment = environment
    let stderrPath = scratch.url.appendingPathComponent("stderr.txt").path
    _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: marker) {
      guard Date() < deadline, process.isRunning else {
        Issue.record("plan never reached the pause")
        process.terminate()
        return
      }
      usleep(10_000)
    }

    // The SIS rewrites the export in place, same size, other content, and
    // puts its modification time back: only the change time tells.
    var before = stat()
    #expect(stat(export, &before) == 0)
    try Self.rewriteInPlace(export)
    var times = [before.st_atim, before.st_mtim]
    #expect(utimensat(AT_FDCWD, export, &times, 0) == 0)
    var after = stat()
    #expect(stat(export, &after) == 0)
    #expect(after.st_size == before.st_size && after.st_ino == before.st_ino)
    #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)

    try FileManager.default.removeItem(atPath: marker)
    process.waitUntilExit()
    let stderr = try String(contentsOfFile: stderrPath, encoding: .utf8)
    #expect(process.terminationStatus == 2, "\(stderr)")
    #expect(stderr.contains("changed while it was being read (it was rewritten or replaced)"), "\(stderr)")
    #expect(stderr.contains("Run again once the SIS has finished writing it"))
    #expect(!FileManager.default.fileExists(atPath: planPath))
  }

  @Test func aNamedPipeExportIsRefusedAtOnceByEveryCommand() throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("d.sqlite").path
    #expect(try SisSyncProcess.run(["demo", "--directory", directory]).status == 0)
    let fifo = scratch.url.appendingPathComponent("export.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for arguments in [
      ["validate", fifo], ["validate", fifo, "--mapping", "auto"], ["plan", fifo, "--directory", directory],
      ["apply", fifo, "--yes", "--directory", directory],
    ] {
      let started = Date()
      let result = try runWithTimeout(arguments, seconds: 20)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("is a named pipe (FIFO), not a regular file"), "\(arguments): \(result.stderr)")
      #expect(Date().timeIntervalSince(started) < 10, "\(arguments)")
    }
  }

  @Test func aDeviceOrAFolderIsRefusedAsAnExport() throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("d.sqlite").path
    #expect(try SisSyncProcess.run(["demo", "--directory", directory]).status == 0)
    let folder = scratch.url.appendingPathComponent("folder").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (path, kind) in [("/dev/null", "a character device"), (folder, "a directory")] {
      for arguments in [["validate", path], ["plan", path, "--directory", directory]] {
        let result = try runWithTimeout(arguments, seconds: 20)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("is \(kind), not a regular file"), "\(arguments): \(result.stderr)")
      }
    }
  }
}

/// Runs the binary, killing it after `seconds` (a hang fails the test
/// instead of stalling the suite).
func runWithTimeout(_ arguments: [String], seconds: Double) throws -> SisSyncProcess.Output {
  let process = Process()
  process.executableURL = SisSyncProcess.binary
  process.arguments = arguments
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sis-sync-run-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let out = folder.appendingPathComponent("out").path
  let err = folder.appendingPathComponent("err").path
  _ = FileManager.default.createFile(atPath: out, contents: nil)
  _ = FileManager.default.createFile(atPath: err, contents: nil)
  process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
  process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let deadline = Date().addingTimeInterval(seconds)
  while process.isRunning, Date() < deadline { usleep(10_000) }
  if process.isRunning {
    process.terminate()
    process.waitUntilExit()
    Issue.record("\(arguments) still running after \(seconds) s")
  }
  process.waitUntilExit()
  return SisSyncProcess.Output(
    status: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
    stderr: try String(contentsOfFile: err, encoding: .utf8))
}
