import Foundation
import Testing

/// `sis-sync demo` run from the checkout's build, in a folder of its own:
/// the data comes from the checkout's Fixtures, found from the binary's
/// place, not the current folder. (Installed, it comes from
/// PREFIX/share/sis-sync: `CommandLineHintTests`.)
@Suite struct DemoDataLocationTests {
  @Test func theCheckoutsBuildFindsTheCheckoutsFixturesFromAnyFolder() throws {
    let scratch = try ScratchFolder()
    let checkoutFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures")
    let process = Process()
    process.executableURL = SisSyncProcess.binary
    process.arguments = ["demo", "--no-review"]
    process.currentDirectoryURL = scratch.url
    var environment = ProcessInfo.processInfo.environment
    environment["SIS_SYNC_SHARE"] = nil
    environment["SIS_SYNC_DIRECTORY"] = nil
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(stderr)")
    let export = checkoutFixtures.appendingPathComponent("exports/demo-district.csv").resolvingSymlinksInPath().path
    #expect(stdout.contains(export), "\(stdout)")
    #expect(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("sis-sync-demo.sqlite").path))
  }
}
