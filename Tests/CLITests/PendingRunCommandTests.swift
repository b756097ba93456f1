import Foundation
import StoreKinds
import Testing

/// Scheduled runs with a person in the loop, through the commands: a held
/// `apply EXPORT --yes` is kept as a pending run (exit 11, its number on
/// stderr), listed by `pending`, approved or rejected headless, refused
/// when stale (exit 12), and shown in `history`.
@Suite(.serialized) struct PendingRunCommandTests {
  typealias Setup = SyncCommandTests.Setup

  /// Ten of the setup's 50 students: with --disable-missing, 40 disables,
  /// over the default 10% share.
  func shortExport(_ setup: Setup, grade: Int = 3) throws -> String {
    let rows = (0..<10).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,\(grade),Active" }
    return try setup.scratch.write("nightly.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
  }

  func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

  @Test(arguments: SyncCommandTests.stores) func aHeldRunIsListedApprovedRejectedAndInHistory(store: StoreKind) throws {
    let setup = try Setup(accounts: 50, creates: 0, store: store)
    let before = try setup.directoryState()
    let export = try shortExport(setup)
    let held = try setup.run(["apply", export, "--yes", "--disable-missing", "--format", "json"])
    #expect(held.status == 11, "\(held.stderr)")
    #expect(held.stderr.contains("kept as pending run 1"))
    #expect(held.stderr.contains("sis-sync review --pending 1"))
    #expect(!held.stderr.contains("a0@x.org"))
    let heldJSON = try #require(try json(held.stdout) as? [String: Any])
    #expect(heldJSON["result"] as? String == "held" && heldJSON["pending_run"] as? Int == 1)
    #expect(try setup.directoryState() == before)
    // The nightly file is replaced: the pending run keeps its own copy.
    _ = try setup.scratch.write("nightly.csv", "replaced\n")

    let listed = try setup.run(["pending", "--format", "json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let runs = try #require(try json(listed.stdout) as? [[String: Any]])
    #expect(runs.count == 1)
    #expect(runs.first?["pending_run"] as? Int == 1 && runs.first?["status"] as? String == "pending")
    #expect(runs.first?["fresh"] as? Bool == true)
    let holds = try #require(runs.first?["holds"] as? [String: Any])
    let threshold = try #require((holds["thresholds"] as? [[String: Any]])?.first)
    #expect(threshold["action"] as? String == "disable" && threshold["count"] as? Int == 40)
    let text = try setup.run(["pending"])
    #expect(text.stdout.contains("pending run 1  pending"))
    #expect(text.stdout.contains("held: 40 disable of 50"))

    #expect(try setup.run(["approve", "1"]).status == 64)
    // review --pending takes the run's own export and options.
    let mixed = try setup.run(["review", "--pending", "1", export])
    #expect(mixed.status == 64 && mixed.stderr.contains("give no export"))
    #expect(try setup.run(["review", "--pending", "1", "--threshold", "disable=none"]).status == 64)
    #expect(try setup.run(["review", "--pending", "9"]).status == 64)
    let approved = try setup.run(["approve", "1", "--reason", "the term ended", "--format", "json"])
    #expect(approved.status == 0, "\(approved.stderr)")
    let run = try #require(try json(approved.stdout) as? [String: Any])
    #expect((run["summary"] as? [String: Any])?["disable"] as? Int == 40)
    let runID = try #require(run["run_id"] as? Int)
    let again = try setup.run(["approve", "1", "--reason", "again"])
    #expect(again.status == 64 && again.stderr.contains("approved already"))

    // Another held run, rejected headless: nothing applied.
    let next = try shortExport(setup, grade: 4)
    let heldAgain = try setup.run(["apply", next, "--yes", "--threshold", "update=5"])
    #expect(heldAgain.status == 11, "\(heldAgain.stderr)")
    #expect(heldAgain.stderr.contains("kept as pending run 2"))
    let afterApproval = try setup.directoryState()
    let rejected = try setup.run(["reject", "2", "--reason", "grades look wrong"])
    #expect(rejected.status == 0, "\(rejected.stderr)")
    #expect(try setup.directoryState() == afterApproval)
    #expect(try setup.run(["pending"]).stdout.contains("No runs are waiting"))

    let history = try setup.run(["history"])
    #expect(history.stdout.contains("(approves pending run 1)"))
    #expect(history.stdout.contains("approved by"))
    #expect(history.stdout.contains("as run \(runID): the term ended"))
    #expect(history.stdout.contains("rejected by"))
    #expect(history.stdout.contains(": grades look wrong"))
    let historyJSON = try #require(try json(try setup.run(["history", "--format", "json"]).stdout) as? [[String: Any]])
    let heldEntries = historyJSON.filter { $0["kind"] as? String == "held" }
    #expect(Set(heldEntries.compactMap { $0["status"] as? String }) == ["approved", "rejected"])
    #expect(heldEntries.contains { $0["reason"] as? String == "grades look wrong" && $0["decided_by"] != nil })
    #expect(historyJSON.contains { $0["run_id"] as? Int == runID && $0["approves_pending_run"] as? Int == 1 })
  }

  @Test(arguments: SyncCommandTests.stores) func aStaleHeldRunIsRefusedWithWhatChanged(store: StoreKind) throws {
    let setup = try Setup(accounts: 50, creates: 0, store: store)
    let held = try setup.run(["apply", try shortExport(setup), "--yes", "--disable-missing"])
    #expect(held.status == 11, "\(held.stderr)")
    // A newer held run of the same source supersedes it.
    let newer = try setup.run(["apply", try shortExport(setup), "--yes", "--disable-missing"])
    #expect(newer.stderr.contains("kept as pending run 2") && newer.stderr.contains("supersedes pending run 1"))
    let superseded = try setup.run(["approve", "1", "--reason", "ok"])
    #expect(superseded.status == 64 && superseded.stderr.contains("superseded by pending run 2"))
    // Someone changes the directory since.
    var rows = (0..<50).map { "A\($0),,Old,a\($0)@x.org,\(100_000 + $0),S1,Student,,3,Active" }
    rows[0] = rows[0].replacingOccurrences(of: ",3,Active", with: ",4,Active")
    let change = try setup.scratch.write("change.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
    #expect(try setup.run(["apply", change, "--yes"]).status == 0)
    #expect(try setup.run(["pending"]).stdout.contains("stale"))
    let stale = try setup.run(["approve", "2", "--reason", "ok"])
    #expect(stale.status == 12, "\(stale.stderr)")
    #expect(stale.stderr.contains("custom_id 100000"))
    let listed = try #require(try json(try setup.run(["pending", "--format", "json"]).stdout) as? [[String: Any]])
    #expect(listed.first?["status"] as? String == "pending" && listed.first?["fresh"] as? Bool == false)
  }

  /// A review killed outright (SIGKILL) leaves its folder with the held
  /// run's export; the next `review --pending` removes it once its process
  /// is gone, and never a live review's folder or anything unmarked.
  @Test func aKilledReviewsFolderIsRemovedByTheNext() throws {
    let setup = try Setup(accounts: 5, creates: 0, store: .sqlite)
    let temporary = setup.scratch.url.appendingPathComponent("tmp")
    func folder(_ name: String, owner: pid_t?) throws -> URL {
      let url = temporary.appendingPathComponent("sis-sync-pending-" + name)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try Data("Ann,,Lee,ann@x.org".utf8).write(to: url.appendingPathComponent("export.csv"))
      if let owner { try Data("\(owner)\n".utf8).write(to: url.appendingPathComponent("owner.pid")) }
      return url
    }
    // A process that has ended: its id names no process now.
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let abandoned = try folder("abandoned", owner: ended.processIdentifier)
    let live = try folder("live", owner: getpid())
    let unmarked = try folder("unmarked", owner: nil)

    let result = try setup.run(["review", "--pending", "9"], environment: ["TMPDIR": temporary.path + "/"])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: abandoned.path))
    #expect(FileManager.default.fileExists(atPath: live.path))
    #expect(FileManager.default.fileExists(atPath: unmarked.path))
  }
}
