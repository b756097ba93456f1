import Foundation
import Testing

/// Runs the built `sis-sync` binary as a user would and captures its output.
struct SisSyncProcess {
  /// The binary beside the test bundle: SwiftPM builds the executable of the
  /// package into the same products folder as the tests.
  static let binary: URL = {
    var candidates: [URL] = []
    for bundle in Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("sis-sync"))
      candidates.append(bundle.bundleURL.appendingPathComponent("sis-sync"))
    }
    candidates.append(
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sis-sync"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
      fatalError("sis-sync binary not found near the test bundle: \(candidates.map(\.path))")
    }
    return found
  }()

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
    try run(binary, arguments, environment: environment)
  }

  /// Runs `executable` (sis-sync, a copy of it, a shell) in `folder` (the
  /// tests' own by default) and captures its output. Variables set to nil
  /// in `environment` are removed.
  static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String?] = [:], in folder: URL? = nil
  ) throws -> Output {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    var env = ProcessInfo.processInfo.environment
    // The tester's own directory never leaks in: a test names its directory.
    env["SIS_SYNC_DIRECTORY"] = nil
    for (name, value) in environment { env[name] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a large report cannot fill the pipe and stall.
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }
}

/// A scratch folder for one test, removed afterwards.
final class ScratchFolder {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("sis-sync-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }

  func write(_ name: String, _ text: String) throws -> String {
    let path = url.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }
}

let exportHeader =
  "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
