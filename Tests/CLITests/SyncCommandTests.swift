import Foundation
import StoreKinds
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The sync commands as a scheduler and an admin use them: real binary, real
/// directory file, real signals.
@Suite(.serialized) struct SyncCommandTests {
  /// The stores the CLI tests below run against: the SQLite file and a
  /// PostgreSQL server's directory (skipped without a test server).
  static let stores: [StoreKind] = [.sqlite, .postgresql]

  /// A directory with two schools and `accounts` students, and an export
  /// that creates `creates` more: an SQLite file, or (`store`
  /// `.postgresql`) a new directory on the test server.
  struct Setup {
    let scratch: ScratchFolder
    let directory: String
    let export: String

    /// `directoryURL`: a directory on a server of the test's own, instead
    /// of one `store` makes.
    init(accounts: Int, creates: Int, store: StoreKind = .sqlite, directoryURL: String? = nil) throws {
      scratch = try ScratchFolder()
      directory =
        try directoryURL
        ?? (store == .postgresql
          ? StoreKind.newPostgreSQLDirectoryURL() : scratch.url.appendingPathComponent("directory.sqlite").path)
      let organizations = try scratch.write(
        "orgs.csv", "external_id,name,kind\nD,District,district\nS1,Lincoln,school\nS2,Roosevelt,school\n")
      let existing = (0..<accounts).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
      let accountsPath = try scratch.write("accounts.csv", ([exportHeader] + existing).joined(separator: "\n") + "\n")
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accountsPath,
      ])
      precondition(imported.status == 0, imported.stderr)
      let new = (0..<creates).map { "N\($0),,New,n\($0)@x.org,\(500_000 + $0),S2,Student,,4,Active" }
      export = try scratch.write("export.csv", ([exportHeader] + existing + new).joined(separator: "\n") + "\n")
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> SisSyncProcess.Output {
      try SisSyncProcess.run(arguments + ["--directory", directory], environment: environment)
    }

    func directoryState() throws -> String {
      let organizations = scratch.url.appendingPathComponent("state-orgs.csv").path
      let accounts = scratch.url.appendingPathComponent("state-accounts.csv").path
      let result = try run(["directory", "export", "--organizations", organizations, "--accounts", accounts])
      precondition(result.status == 0, result.stderr)
      return try String(contentsOfFile: organizations, encoding: .utf8)
        + String(contentsOfFile: accounts, encoding: .utf8)
    }

    /// Starts `sis-sync apply PLAN` paused mid-transaction; returns once the
    /// pause is reached.
    func startPausedApply(plan: String, afterChanges: Int, seconds: Int, arguments: [String] = []) throws -> Process {
      let marker = scratch.url.appendingPathComponent("paused-\(UUID().uuidString)").path
      let process = Process()
      process.executableURL = SisSyncProcess.binary
      process.arguments = ["apply", plan, "--directory", directory] + arguments
      var environment = ProcessInfo.processInfo.environment
      environment["SIS_SYNC_TEST_PAUSE_AFTER"] = String(afterChanges)
      environment["SIS_SYNC_TEST_PAUSE_MARKER"] = marker
      environment["SIS_SYNC_TEST_PAUSE_SECONDS"] = String(seconds)
      process.environment = environment
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(60)
      while !FileManager.default.fileExists(atPath: marker) {
        guard Date() < deadline, process.isRunning else { throw CocoaError(.fileNoSuchFile) }
        usleep(20_000)
      }
      return process
    }
  }

  @Test func demoPlanApplyHistoryShowRevert() throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("demo.sqlite").path
    let demo = try SisSyncProcess.run(["demo", "--directory", directory])
    #expect(demo.status == 0, "\(demo.stderr)")
    #expect(demo.stdout.contains("Created the demo directory"))
    let plan = scratch.url.appendingPathComponent("demo.plan").path
    let export = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/exports/demo-district.csv").path
    let planned = try SisSyncProcess.run(["plan", export, "--directory", directory, "--out", plan, "--format", "json"])
    #expect(planned.status == 1)  // the demo export has rows with errors
    let json = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
    let summary = try #require(json["summary"] as? [String: Any])
    for key in ["create", "update", "disable", "reactivate", "unchanged", "assign_id", "skipped"] {
      #expect(summary[key] is Int, "summary.\(key)")
    }
    #expect(summary["create"] as? Int == 10)
    #expect(summary["assign_id"] as? Int == 3)
    let changes = try #require(json["changes"] as? [[String: Any]])
    let update = try #require(changes.first { $0["action"] as? String == "update" })
    let fields = try #require(update["fields"] as? [String: [String: Any]])
    #expect(fields.values.allSatisfy { $0["before"] != nil && $0["after"] != nil })

    let applied = try SisSyncProcess.run(["apply", plan, "--directory", directory, "--format", "json"])
    #expect(applied.status == 0, "\(applied.stderr)")
    let run = try #require(try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
    let runID = try #require(run["run_id"] as? Int)
    #expect((run["summary"] as? [String: Any])?["create"] as? Int == 10)
    // The run counts the rows it left alone as the plan did (SPEC §7).
    for key in ["unchanged", "skipped"] {
      #expect((run["summary"] as? [String: Any])?[key] as? Int == summary[key] as? Int, "apply summary.\(key)")
    }
    #expect((summary["unchanged"] as? Int ?? 0) > 0)

    let history = try SisSyncProcess.run(["history", "--directory", directory])
    #expect(history.stdout.contains("run \(runID)  apply"))
    let shown = try SisSyncProcess.run(["show", String(runID), "--directory", directory])
    #expect(shown.stdout.contains("counts: 10 created, 10 updated, 5 disabled, 3 reactivated, 3 given an ID"))
    let shownJSON = try SisSyncProcess.run(["show", String(runID), "--directory", directory, "--format", "json"])
    let shownRun = try #require(try JSONSerialization.jsonObject(with: Data(shownJSON.stdout.utf8)) as? [String: Any])
    #expect((shownRun["summary"] as? [String: Any])?["unchanged"] as? Int == summary["unchanged"] as? Int)
    let historyJSON = try SisSyncProcess.run(["history", "--directory", directory, "--format", "json"])
    #expect(historyJSON.stdout.contains("\"unchanged\""))
    let again = try SisSyncProcess.run(["apply", plan, "--directory", directory])
    #expect(again.status == 10)  // the plan was applied: nothing to do, not a stale plan
    #expect(again.stdout.contains("already applied as run \(runID)"))
    let reverted = try SisSyncProcess.run(["revert", String(runID), "--directory", directory])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(reverted.stdout.contains("31 reverted, 0 kept (changed since), 0 failed"))
  }

  @Test(arguments: stores) func scheduledApplyExitCodes(store: StoreKind) throws {
    let setup = try Setup(accounts: 3, creates: 2, store: store)
    let first = try setup.run(["apply", setup.export, "--yes"])
    #expect(first.status == 0, "\(first.stderr)")
    let second = try setup.run(["apply", setup.export, "--yes"])
    #expect(second.status == 10)  // nothing to apply
    let withoutYes = try setup.run(["apply", setup.export])
    #expect(withoutYes.status == 64)
    #expect(withoutYes.stderr.contains("make a plan first"))
    // Everyone absent from a new export: a disable-missing plan over the limit is held.
    let other = try setup.scratch.write("other.csv", exportHeader + "\nZ,,Z,z@x.org,900000,S1,Student,,3,Active\n")
    let held = try setup.run(["apply", other, "--yes", "--disable-missing", "--threshold", "disable=1"])
    #expect(held.status == 11)
    #expect(held.stderr.contains("more than 1 by 2"))
  }

  /// A plan made before another commit is refused as stale (exit 12,
  /// naming what changed) and writes nothing; planning again works, the
  /// history lists every commit, and a revert undoes one.
  @Test(arguments: stores) func aStalePlanIsRefusedThenHistoryAndRevert(store: StoreKind) throws {
    let setup = try Setup(accounts: 3, creates: 2, store: store)
    let plan = setup.scratch.url.appendingPathComponent("stale.plan").path
    #expect(try setup.run(["plan", setup.export, "--out", plan]).status == 0)
    let moved = try setup.scratch.write("moved.csv", exportHeader + "\nA1,,Old,a1@x.org,100001,S1,Student,,4,Active\n")
    #expect(try setup.run(["apply", moved, "--yes"]).status == 0)
    let before = try setup.directoryState()
    let stale = try setup.run(["apply", plan])
    #expect(stale.status == 12)
    #expect(stale.stderr.contains("the directory changed since the plan was made"), "\(stale.stderr)")
    #expect(try setup.directoryState() == before)
    let applied = try setup.run(["apply", setup.export, "--yes"])
    #expect(applied.status == 0, "\(applied.stderr)")
    let history = try setup.run(["history"])
    #expect(history.stdout.contains("run 3  apply"))
    #expect(history.stdout.contains("run 2  apply"))
    #expect(history.stdout.contains("run 1  import"))
    let reverted = try setup.run(["revert", "3"])
    #expect(reverted.status == 0, "\(reverted.stderr)")
    #expect(reverted.stdout.contains("reverted, 0 kept (changed since), 0 failed"))
  }

  /// A person whose row has errors is still in the district: disable-missing
  /// keeps their account, and the JSON plan says which row kept which.
  @Test(arguments: stores) func disableMissingKeepsThePersonOfARowWithErrors(store: StoreKind) throws {
    let setup = try Setup(accounts: 3, creates: 0, store: store)
    // A1's custom_id is missing (an error); its email still names A1. A2 is absent.
    let export = try setup.scratch.write(
      "errors.csv",
      [exportHeader, "A0,,Old,a0@x.org,100000,S1,Student,,3,Active", "A1,,Old,a1@x.org,,S1,Student,,3,Active"]
        .joined(separator: "\n") + "\n")
    let planned = try setup.run(["plan", export, "--disable-missing", "--format", "json"])
    #expect(planned.status == 1, "\(planned.stderr)")  // rows with errors
    let json = try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
    #expect((json["summary"] as? [String: Any])?["disable"] as? Int == 1)
    let changes = try #require(json["changes"] as? [[String: Any]])
    let disabled = changes.filter { $0["action"] as? String == "disable" }.compactMap { $0["custom_id"] as? String }
    #expect(disabled == ["100002"])
    let findings = try #require(json["findings"] as? [[String: Any]])
    let kept = try #require(findings.first { $0["code"] as? String == "W051" })
    #expect(kept["line"] as? Int == 3)
    #expect(kept["severity"] as? String == "warning")
    let message = try #require(kept["message"] as? String)
    #expect(message.contains("(custom_id 100001) is not disabled: line 3 is that person (same email)"))
    #expect(!planned.stderr.contains("a1@x.org"))
  }

  /// SIGKILL in the middle of applying a large plan: afterwards the
  /// directory is exactly as before, and the next apply works.
  @Test(arguments: stores) func killedMidApplyLeavesTheDirectoryAsBefore(store: StoreKind) throws {
    let setup = try Setup(accounts: 200, creates: 5_000, store: store)
    let plan = setup.scratch.url.appendingPathComponent("big.plan").path
    #expect(try setup.run(["plan", setup.export, "--out", plan, "--format", "json"]).status == 0)
    let before = try setup.directoryState()
    let apply = try setup.startPausedApply(plan: plan, afterChanges: 2_500, seconds: 60)
    kill(apply.processIdentifier, SIGKILL)
    apply.waitUntilExit()
    #expect(apply.terminationReason == .uncaughtSignal)
    #expect(try setup.directoryState() == before)
    #expect(try setup.run(["history", "--format", "json"]).stdout.contains("\"kind\":\"apply\"") == false)
    let retried = try setup.run(["apply", plan])
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(try setup.directoryState() != before)
  }

  /// Two applies at once: the second is refused with a clear message (or
  /// waits, with --wait), and nothing is corrupted.
  @Test(arguments: stores) func concurrentAppliesDoNotInterleave(store: StoreKind) throws {
    let setup = try Setup(accounts: 50, creates: 400, store: store)
    let plan = setup.scratch.url.appendingPathComponent("one.plan").path
    #expect(try setup.run(["plan", setup.export, "--out", plan]).status == 0)
    let first = try setup.startPausedApply(plan: plan, afterChanges: 200, seconds: 3)
    let refused = try setup.run(["apply", plan])
    #expect(refused.status == 13)
    #expect(refused.stderr.contains("another apply is writing to this directory (pid \(first.processIdentifier)"))
    // With --wait, the second waits for the first, then finds the same plan
    // already applied: nothing to do, nothing written.
    let waited = try setup.run(["apply", plan, "--wait", "30"])
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(waited.status == 10)
    #expect(waited.stdout.contains("already applied as run 2"))
    let history = try setup.run(["history", "--format", "json"])
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 2)  // import + one apply: no half-applied second run
    #expect((runs.first?["summary"] as? [String: Any])?["create"] as? Int == 400)
  }

  /// A scheduled run that waits (--wait) for another apply planned before
  /// waiting: once the other has committed, its plan is stale. It plans
  /// again and applies what is left, instead of refusing itself (exit 12).
  @Test(arguments: stores) func aWaitingScheduledRunPlansAgainAfterTheOtherCommits(store: StoreKind) throws {
    let setup = try Setup(accounts: 50, creates: 400, store: store)
    let exportText = try String(contentsOfFile: setup.export, encoding: .utf8)
    let later = try setup.scratch.write("later.csv", exportText + "L,,Late,late@x.org,700000,S2,Student,,4,Active\n")
    let first = try setup.startPausedApply(plan: setup.export, afterChanges: 200, seconds: 3, arguments: ["--yes"])
    let waited = try setup.run(["apply", later, "--yes", "--wait", "60"])
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(waited.status == 0, "\(waited.stderr)")
    #expect(waited.stderr.contains("the directory changed while this run waited to write; planning again"))
    #expect(waited.stdout.contains("Applied as run 3: 1 created"), "\(waited.stdout)")
    let history = try setup.run(["history", "--format", "json"])
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 3)
  }

  /// An export whose every row has an error applies nothing, not even
  /// disable-missing, and says so with its own exit code (15), not "the
  /// directory already matches" (10).
  @Test(arguments: stores) func anExportWhoseEveryRowHasAnErrorSaysSo(store: StoreKind) throws {
    let setup = try Setup(accounts: 3, creates: 0, store: store)
    let broken = try setup.scratch.write(
      "broken.csv",
      [exportHeader, "A0,,Old,a0@x.org,,S1,Student,,3,Active", "A1,,Old,not-an-email,100001,S1,Student,,3,Active"]
        .joined(separator: "\n") + "\n")
    let before = try setup.directoryState()
    let applied = try setup.run(["apply", broken, "--yes"])
    #expect(applied.status == 15, "\(applied.stdout) \(applied.stderr)")
    #expect(!applied.stdout.contains("already matches"))
    #expect(applied.stderr.contains("nothing applied: every row of the export (2) has an error"))
    #expect(!applied.stderr.contains("a0@x.org"))
    // With disable-missing, A2 (absent) would otherwise be disabled.
    let json = try setup.run(["apply", broken, "--yes", "--disable-missing", "--format", "json"])
    #expect(json.status == 15)
    #expect(json.stdout.contains("\"result\":\"every_row_failed\""))
    #expect(try setup.directoryState() == before)
  }
}
