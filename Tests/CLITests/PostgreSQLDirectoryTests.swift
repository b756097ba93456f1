import Foundation
import StoreKinds
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What only a directory on a PostgreSQL server has: its URL, the password
/// in it, the rights of the role, one lock per directory. (Everything else
/// runs on both stores from the same tests.)
@Suite(.serialized) struct PostgreSQLDirectoryTests {
  typealias Setup = SyncCommandTests.Setup

  /// Nothing listens on port 1: the connection is refused, said in clear
  /// words with exit 4, and the password written in the URL never shows.
  @Test func aRefusedConnectionIsSaidWithoutThePassword() throws {
    let url = "postgresql://sis:Pa55-w0rd-never-shown@127.0.0.1:1/postgres?directory=district_7"
    for arguments in [["history"], ["directory", "import", "--organizations", "/nonexistent", "--accounts", "/x"]] {
      let result = try SisSyncProcess.run(arguments + ["--directory", url])
      #expect(result.status == 4, "\(result.stderr)")
      #expect(result.stderr.contains("connection refused"), "\(result.stderr)")
      #expect(result.stderr.contains("postgresql://sis@127.0.0.1:1/postgres?directory=district_7"))
      #expect(!(result.stdout + result.stderr).contains("Pa55-w0rd-never-shown"))
    }
    // Without directory=, the directory is "main"; other parameters pass on.
    let unnamed = try SisSyncProcess.run([
      "history", "--directory", "postgres://sis:Pa55-w0rd-never-shown@127.0.0.1:1/postgres?connect_timeout=5",
    ])
    #expect(unnamed.status == 4)
    #expect(unnamed.stderr.contains("postgres://sis@127.0.0.1:1/postgres?directory=main"), "\(unnamed.stderr)")
    #expect(!unnamed.stderr.contains("Pa55-w0rd-never-shown"))
    // The same from SIS_SYNC_DIRECTORY.
    let fromEnvironment = try SisSyncProcess.run(["history"], environment: ["SIS_SYNC_DIRECTORY": url])
    #expect(fromEnvironment.status == 4)
    #expect(!fromEnvironment.stderr.contains("Pa55-w0rd-never-shown"))
  }

  @Test func aDirectoryNameOutsideLowerCaseLettersDigitsAndUnderscoresIsRefused() throws {
    for name in ["Main", "a-b", "", String(repeating: "x", count: 51)] {
      let result = try SisSyncProcess.run([
        "history", "--directory", "postgresql://sis@127.0.0.1:1/postgres?directory=\(name)",
      ])
      #expect(result.status == 4)
      #expect(result.stderr.contains("is not 1 to 50 lower-case letters, digits or underscores"), "\(result.stderr)")
    }
  }

  /// A password in the URL (the test server trusts loopback, so any
  /// works) is never printed, not even in the commands' hints.
  @Test func commandsNeverPrintThePassword() throws {
    let url = try StoreKind.newPostgreSQLDirectoryURL().replacingOccurrences(of: "://sis@", with: "://sis:Hunter2x@")
    let setup = try Setup(accounts: 3, creates: 2, store: .sqlite)
    var printed = ""
    for arguments in [
      [
        "directory", "import", "--organizations", setup.scratch.url.appendingPathComponent("orgs.csv").path,
        "--accounts", setup.scratch.url.appendingPathComponent("accounts.csv").path,
      ],
      ["plan", setup.export], ["apply", setup.export, "--yes"], ["history"], ["show", "2"], ["revert", "2"],
    ] {
      let result = try SisSyncProcess.run(arguments + ["--directory", url])
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      printed += result.stdout + result.stderr
    }
    #expect(printed.contains("postgresql://sis@127.0.0.1"))
    #expect(!printed.contains("Hunter2x"))
  }

  /// The URL's other parameters reach libpq: sslmode=require against the
  /// test server (no TLS) is refused in clear words, exit 4.
  @Test func sslmodeRequireAgainstAServerWithoutTLSIsSaidPlainly() throws {
    let url = try StoreKind.newPostgreSQLDirectoryURL() + "&sslmode=require"
    let result = try SisSyncProcess.run(["history", "--directory", url])
    #expect(result.status == 4)
    #expect(result.stderr.contains("TLS was required (sslmode) but the PostgreSQL server does not offer it"))
  }

  /// Reading a directory that was never made says how to make one.
  @Test func aMissingDirectoryIsNotCreatedByReading() throws {
    let url = try StoreKind.newPostgreSQLDirectoryURL()
    let result = try SisSyncProcess.run(["history", "--directory", url])
    #expect(result.status == 4)
    #expect(result.stderr.contains("no directory named"), "\(result.stderr)")
    #expect(try SisSyncProcess.run(["history", "--directory", url]).status == 4)
  }

  /// A role that may not create schemas, owning the one schema a DBA made
  /// for it: enough to create and use its directory; another directory
  /// is refused for want of the right.
  @Test func aRoleWithRightsOnItsOwnSchemaOnlyIsEnough() throws {
    let url = try StoreKind.newPostgreSQLDirectoryURL()
    let name = String(try #require(url.split(separator: "=").last))
    let role = "r_" + name
    try psql(url, "CREATE ROLE \(role) LOGIN; CREATE SCHEMA sis_sync_\(name) AUTHORIZATION \(role);")
    let roleURL = url.replacingOccurrences(of: "://sis@", with: "://\(role)@")
    let setup = try Setup(accounts: 3, creates: 2, store: .sqlite)
    let imported = try SisSyncProcess.run([
      "directory", "import", "--directory", roleURL, "--organizations",
      setup.scratch.url.appendingPathComponent("orgs.csv").path, "--accounts",
      setup.scratch.url.appendingPathComponent("accounts.csv").path,
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
    let applied = try SisSyncProcess.run(["apply", setup.export, "--yes", "--directory", roleURL])
    #expect(applied.status == 0, "\(applied.stderr)")
    let elsewhere = roleURL.replacingOccurrences(of: "directory=\(name)", with: "directory=\(name)_other")
    let refused = try SisSyncProcess.run([
      "directory", "import", "--directory", elsewhere, "--organizations",
      setup.scratch.url.appendingPathComponent("orgs.csv").path, "--accounts",
      setup.scratch.url.appendingPathComponent("accounts.csv").path,
    ])
    #expect(refused.status == 4)
    #expect(refused.stderr.contains("lacks a right"), "\(refused.stderr)")
  }

  /// One apply paused inside its transaction on one district: an apply to
  /// another district in the same database goes through at once.
  @Test func differentDirectoriesNeverWaitOnEachOther() throws {
    let first = try Setup(accounts: 20, creates: 200, store: .postgresql)
    let second = try Setup(accounts: 20, creates: 200, store: .postgresql)
    let plan = first.scratch.url.appendingPathComponent("first.plan").path
    #expect(try first.run(["plan", first.export, "--out", plan]).status == 0)
    let paused = try first.startPausedApply(plan: plan, afterChanges: 100, seconds: 5)
    let started = Date()
    let other = try second.run(["apply", second.export, "--yes"])
    #expect(other.status == 0, "\(other.stderr)")
    #expect(Date().timeIntervalSince(started) < 4)
    let refused = try first.run(["apply", first.export, "--yes"])
    #expect(refused.status == 13)
    paused.waitUntilExit()
    #expect(paused.terminationStatus == 0)
  }

  private func psql(_ url: String, _ sql: String) throws {
    let server = String(url.prefix { $0 != "?" })
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
    process.arguments = [server, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }
}
