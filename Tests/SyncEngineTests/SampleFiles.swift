import Foundation

/// Where the sample files are: this project's own (`Fixtures/presets`), and
/// the real files other projects publish (`../shared/testdata` beside the
/// checkout, or `$SIS_SYNC_TESTDATA`), which are read in place, never copied
/// into this repository. Tests of the latter are skipped, and say so, when
/// the folder is not on the machine.
enum SampleFiles {
  static let presets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/presets")

  static let realWorld: URL? = {
    let root = presets.deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
      ProcessInfo.processInfo.environment["SIS_SYNC_TESTDATA"].map { URL(fileURLWithPath: $0) },
      root.deletingLastPathComponent().appendingPathComponent("shared/testdata"),
      URL(fileURLWithPath: "/work/shared/testdata"),
    ].compactMap { $0 }
    return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) }
  }()

  static var haveRealWorld: Bool { realWorld != nil }

  static func preset(_ path: String) -> String { presets.appendingPathComponent(path).path }
  static func real(_ path: String) -> String { realWorld!.appendingPathComponent(path).path }
}
