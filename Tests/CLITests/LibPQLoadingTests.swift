import Foundation
import StoreKinds
import Testing

/// libpq is loaded at the first PostgreSQL connection, not at start: a
/// command that never talks to a server does not load it (or the twenty
/// libraries it needs), and without it a PostgreSQL directory is refused
/// with what to install.
@Suite struct LibPQLoadingTests {
  @Test func startingLoadsNoPostgreSQLLibrary() throws {
    // The dynamic loader lists every library it loads (on stderr).
    let result = try SisSyncProcess.run(["--version"], environment: ["LD_DEBUG": "libs"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("libsqlite3"), "LD_DEBUG listed nothing: \(result.stderr.prefix(300))")
    #expect(!result.stderr.contains("libpq"))
    #expect(!result.stderr.contains("libssl"))
  }

  @Test func aMissingLibpqIsNamedWithWhatToInstall() throws {
    let folder = try FixtureFolder.make("libpq")
    defer { try? FileManager.default.removeItem(at: folder) }
    let export = folder.appendingPathComponent("export.csv")
    try Data("custom_id,email\n".utf8).write(to: export)
    let result = try SisSyncProcess.run(
      ["plan", export.path, "--directory", "postgresql://127.0.0.1:1/sis?directory=main"],
      environment: ["SIS_SYNC_TEST_LIBPQ": folder.appendingPathComponent("no-libpq.so.5").path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("libpq5"), "\(result.stderr)")
    #expect(result.stderr.contains("no-libpq.so.5"), "\(result.stderr)")
    #expect(!result.stderr.contains("cannot connect"), "\(result.stderr)")
  }
}
