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
    let demo = try SisSyncProcess.run(
      SisSyncProcess.binary, ["demo", "--no-review"], environment: ["SIS_SYNC_SHARE": nil], in: scratch.url)
    #expect(demo.status == 0, "\(demo.stderr)")
    let stdout = demo.stdout
    let export = checkoutFixtures.appendingPathComponent("exports/demo-district.csv").resolvingSymlinksInPath().path
    #expect(stdout.contains(export), "\(stdout)")
    #expect(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("sis-sync-demo.sqlite").path))
  }
}
