import Foundation

/// Where the sample files are: this project's own (`Fixtures/presets`), and
/// the real files other projects publish (`../shared/testdata` beside the
/// checkout, or `$SIS_SYNC_TESTDATA`), which are read in place, never copied
/// into this repository. Tests of the latter are skipped, and say so, when
/// the folder is not on the machine.
public enum SampleFiles {
  public static let presets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/presets")

  public static let realWorld: URL? = {
    let checkout = presets.deletingLastPathComponent().deletingLastPathComponent()
    return [
      ProcessInfo.processInfo.environment["SIS_SYNC_TESTDATA"].map { URL(fileURLWithPath: $0) },
      checkout.deletingLastPathComponent().appendingPathComponent("shared/testdata"),
      URL(fileURLWithPath: "/work/shared/testdata"),
    ].compactMap { $0 }.first {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path)
    }
  }()

  public static var haveRealWorld: Bool { realWorld != nil }

  public static func preset(_ path: String) -> String { presets.appendingPathComponent(path).path }
  public static func real(_ path: String) -> String { realWorld!.appendingPathComponent(path).path }
}
