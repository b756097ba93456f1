import Foundation
import StoreKinds
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `apply --on-finish` and the setting `on_finish`: a small script written
/// by the test records what it was given (standard input, `SIS_SYNC_*`
/// variables, whether the directory's lock was free) for each outcome.
@Suite(.serialized) struct OnFinishCommandTests {
  /// A directory of three students (Setup of SyncCommandTests) and a script
  /// that records what it is given into files named after its argument.
  struct Notified {
    let setup: SyncCommandTests.Setup
    let script: String

    init(store: StoreKind = .sqlite, directoryURL: String? = nil) throws {
      setup = try SyncCommandTests.Setup(accounts: 3, creates: 2, store: store, directoryURL: directoryURL)
      script = try setup.scratch.write(
        "record.sh",
        """
        #!/bin/sh
        cat > "$1.json"
        env | grep '^SIS_SYNC_' | sort > "$1.env"
        if [ -f "$SIS_SYNC_DIRECTORY.lock" ]; then flock -n "$SIS_SYNC_DIRECTORY.lock" true; echo $? > "$1.lock"; fi
        echo "recorded $1"
        exit 0

        """)
      chmod(script, 0o700)
    }

    /// `apply ARGUMENTS --on-finish 'record.sh NAME'`.
    func apply(_ arguments: [String], recordingAs name: String) throws -> SisSyncProcess.Output {
      try setup.run(["apply"] + arguments + ["--on-finish", "\(script) \(path(name))"])
    }

    func path(_ name: String) -> String { setup.scratch.url.appendingPathComponent(name).path }

    /// What the script read on its standard input, as JSON.
    func summary(_ name: String) throws -> [String: Any] {
      let data = try Data(contentsOf: URL(fileURLWithPath: path(name) + ".json"))
      return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The SIS_SYNC_* variables the script saw.
    func environment(_ name: String) throws -> [String: String] {
      let text = try String(contentsOfFile: path(name) + ".env", encoding: .utf8)
      var variables: [String: String] = [:]
      for line in text.split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
      }
      return variables
    }

    func ran(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name) + ".json") }
  }

  @Test func anAppliedRunSendsItsCountsAndRunAfterTheLockIsReleased() throws {
    let notified = try Notified()
    let applied = try notified.apply([notified.setup.export, "--yes"], recordingAs: "applied")
    #expect(applied.status == 0, "\(applied.stderr)")
    // The command's stdout goes to stderr: the apply's stdout stays its report.
    #expect(!applied.stdout.contains("recorded"))
    #expect(applied.stderr.contains("recorded"))
    let summary = try notified.summary("applied")
    #expect(summary["outcome"] as? String == "applied")
    #expect(summary["exit_code"] as? Int == 0)
    #expect(summary["run_id"] as? Int == 2)
    #expect(summary["export"] as? String == notified.setup.export)
    #expect(summary["rows"] as? Int == 5)
    #expect((summary["planned"] as? [String: Any])?["create"] as? Int == 2)
    #expect((summary["applied"] as? [String: Any])?["create"] as? Int == 2)
    // Counts, never names or emails.
    let text = try String(contentsOfFile: notified.path("applied") + ".json", encoding: .utf8)
    #expect(!text.contains("@x.org") && !text.contains("New"))
    let environment = try notified.environment("applied")
    #expect(environment["SIS_SYNC_OUTCOME"] == "applied")
    #expect(environment["SIS_SYNC_EXIT_CODE"] == "0")
    #expect(environment["SIS_SYNC_RUN_ID"] == "2")
    #expect(environment["SIS_SYNC_DIRECTORY"] == notified.setup.directory)
    #expect(environment["SIS_SYNC_EXPORT"] == notified.setup.export)
    #expect(environment["SIS_SYNC_COMMAND"] == "apply")
    // flock -n on the directory's lock file succeeded: the apply had let it go.
    #expect(try String(contentsOfFile: notified.path("applied") + ".lock", encoding: .utf8) == "0\n")
  }

  @Test func aHeldRunSendsWhatHeldIt() throws {
    let notified = try Notified()
    let other = try notified.setup.scratch.write(
      "other.csv", exportHeader + "\nZ,,Z,z@x.org,900000,S1,Student,,3,Active\n")
    let held = try notified.apply(
      [other, "--yes", "--disable-missing", "--threshold", "disable=1"], recordingAs: "held")
    #expect(held.status == 11)
    let summary = try notified.summary("held")
    #expect(summary["outcome"] as? String == "held")
    #expect(summary["exit_code"] as? Int == 11)
    #expect(summary["run_id"] is NSNull)
    #expect((summary["planned"] as? [String: Any])?["disable"] as? Int == 3)
    let hold = try #require((summary["holds"] as? [[String: Any]])?.first)
    #expect(hold["action"] as? String == "disable")
    #expect(hold["count"] as? Int == 3)
    #expect(hold["max_count"] as? Int == 1)
    #expect(hold["origin"] as? String == "flag")
    let messages = try #require(summary["messages"] as? [String])
    #expect(messages.contains { $0.contains("held by a threshold") })
    // The held run waits for a person as a pending run: the command is told which.
    let pendingRun = try #require(summary["pending_run"] as? Int)
    #expect(messages.contains { $0.contains("kept as pending run \(pendingRun)") })
    let environment = try notified.environment("held")
    #expect(environment["SIS_SYNC_OUTCOME"] == "held")
    #expect(environment["SIS_SYNC_EXIT_CODE"] == "11")
    #expect(environment["SIS_SYNC_RUN_ID"] == "")
    #expect(environment["SIS_SYNC_PENDING_RUN"] == String(pendingRun))
  }

  @Test func nothingToDoAndFailedRunsAreSentToo() throws {
    let notified = try Notified()
    #expect(try notified.setup.run(["apply", notified.setup.export, "--yes"]).status == 0)
    let nothing = try notified.apply([notified.setup.export, "--yes"], recordingAs: "nothing")
    #expect(nothing.status == 10)
    #expect(try notified.summary("nothing")["outcome"] as? String == "nothing")
    #expect(try notified.environment("nothing")["SIS_SYNC_EXIT_CODE"] == "10")

    // An export without the required headers: exit 2, failed.
    let broken = try notified.setup.scratch.write("broken.csv", "name,mail\nA,a@x.org\n")
    let failed = try notified.apply([broken, "--yes"], recordingAs: "failed")
    #expect(failed.status == 2)
    let summary = try notified.summary("failed")
    #expect(summary["outcome"] as? String == "failed")
    #expect(summary["exit_code"] as? Int == 2)
    #expect(try notified.environment("failed")["SIS_SYNC_OUTCOME"] == "failed")

    // A directory that cannot be opened (exit 4): only the flag's command
    // can run, and it does.
    let notADirectory = try notified.setup.scratch.write("not-a-directory.sqlite", "plain text\n")
    let unopened = try SisSyncProcess.run([
      "apply", notified.setup.export, "--yes", "--directory", notADirectory, "--on-finish",
      "\(notified.script) \(notified.path("unopened"))",
    ])
    #expect(unopened.status == 4)
    #expect(try notified.summary("unopened")["outcome"] as? String == "failed")
    let messages = try #require(try notified.summary("unopened")["messages"] as? [String])
    #expect(!messages.isEmpty)

    // A saved plan refused as stale: exit 12, refused, SIS_SYNC_PLAN set.
    let plan = notified.path("saved.plan")
    let moved = try notified.setup.scratch.write(
      "moved.csv", exportHeader + "\nA1,,Old,a1@x.org,100001,S1,Student,,5,Active\n")
    #expect(try notified.setup.run(["plan", moved, "--out", plan]).status == 0)
    let mover = try notified.setup.scratch.write(
      "mover.csv", exportHeader + "\nA1,,Old,a1@x.org,100001,S1,Student,,6,Active\n")
    #expect(try notified.setup.run(["apply", mover, "--yes"]).status == 0)
    let refused = try notified.apply([plan], recordingAs: "refused")
    #expect(refused.status == 12)
    #expect(try notified.summary("refused")["outcome"] as? String == "refused")
    #expect(try notified.summary("refused")["plan"] as? String == plan)
    let environment = try notified.environment("refused")
    #expect(environment["SIS_SYNC_PLAN"] == plan)
    #expect(environment["SIS_SYNC_EXPORT"] == nil)
  }

  /// The command's failure is said on stderr; the apply's exit code stays.
  @Test func aFailingCommandDoesNotChangeTheExitCode() throws {
    let notified = try Notified()
    let failing = try notified.setup.scratch.write("fail.sh", "#!/bin/sh\ncat >/dev/null\nexit 3\n")
    chmod(failing, 0o700)
    let applied = try notified.setup.run(["apply", notified.setup.export, "--yes", "--on-finish", failing])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(applied.stderr.contains("the on-finish command fail.sh exited with code 3; the run's exit code stays 0"))
    let missing = try notified.setup.run([
      "apply", notified.setup.export, "--yes", "--on-finish", notified.path("no-such-program"),
    ])
    #expect(missing.status == 10)
    #expect(missing.stderr.contains("the on-finish command no-such-program could not be started"))
  }

  /// Past its time limit the command's whole process group is stopped: the
  /// apply returns, and what the script started in the background is gone.
  @Test func aCommandPastItsTimeLimitIsStoppedWithWhatItStarted() throws {
    let notified = try Notified()
    let pidFile = notified.path("sleeper.pid")
    let slow = try notified.setup.scratch.write(
      "slow.sh", "#!/bin/sh\nsleep 60 &\necho $! > \(pidFile)\nwait\n")
    chmod(slow, 0o700)
    let started = Date()
    let applied = try notified.setup.run([
      "apply", notified.setup.export, "--yes", "--on-finish", slow, "--on-finish-timeout", "1",
    ])
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(applied.stderr.contains("the on-finish command slow.sh did not finish within 1 seconds and was stopped"))
    let text = try String(contentsOfFile: pidFile, encoding: .utf8)
    let sleeper = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    // Reparented and reaped once killed; give init a moment.
    let deadline = Date().addingTimeInterval(5)
    while kill(sleeper, 0) == 0, Date() < deadline { usleep(50_000) }
    #expect(kill(sleeper, 0) != 0)
  }

  /// The setting runs for every apply without the flag; the flag's `none`
  /// runs none; a command a shell would be needed for is refused.
  @Test func theStoredSettingRunsUnlessTheFlagSaysNone() throws {
    let notified = try Notified()
    let set = try notified.setup.run(["settings", "set", "on_finish", "\(notified.script) \(notified.path("stored"))"])
    #expect(set.status == 0, "\(set.stderr)")
    #expect(try notified.setup.run(["settings", "set", "on_finish_timeout", "30"]).status == 0)
    let skipped = try notified.setup.run(["apply", notified.setup.export, "--yes", "--on-finish", "none"])
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(!notified.ran("stored"))
    let nothing = try notified.setup.run(["apply", notified.setup.export, "--yes"])
    #expect(nothing.status == 10)
    #expect(try notified.summary("stored")["outcome"] as? String == "nothing")

    let piped = try notified.setup.run(["settings", "set", "on_finish", "mail-summary.sh x | logger"])
    #expect(piped.status != 0)
    #expect(piped.stderr.contains("never through a shell"))
    let flag = try notified.setup.run(["apply", notified.setup.export, "--yes", "--on-finish", "echo $HOME"])
    #expect(flag.status == 64)
    #expect(flag.stderr.contains("'$' at column 6"))
  }

  /// A directory on a server: the command sees its URL without the password
  /// (the test server trusts its user, so a password in the URL is unused).
  @Test func theDirectoryURLReachesTheCommandWithoutItsPassword() throws {
    let url = try StoreKind.newPostgreSQLDirectoryURL()
    let withPassword = url.replacingOccurrences(of: "://sis@", with: "://sis:s3cret-word@")
    try #require(withPassword != url, "the test server's URL is not postgresql://sis@…: \(url)")
    let notified = try Notified(store: .postgresql, directoryURL: withPassword)
    let applied = try notified.apply([notified.setup.export, "--yes"], recordingAs: "server")
    #expect(applied.status == 0, "\(applied.stderr)")
    let directory = try #require(try notified.environment("server")["SIS_SYNC_DIRECTORY"])
    #expect(directory == url)
    #expect(try notified.summary("server")["directory"] as? String == url)
    let recorded = try String(contentsOfFile: notified.path("server") + ".json", encoding: .utf8)
    #expect(!recorded.contains("s3cret-word"))
  }

  /// The documented example mails the summary through the sendmail it finds.
  @Test func theExampleScriptMailsTheSummaryThroughSendmail() throws {
    let notified = try Notified()
    let bin = notified.setup.scratch.url.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let mailed = notified.path("mailed.txt")
    let sendmail = try notified.setup.scratch.write(
      "bin/sendmail", "#!/bin/sh\necho \"$@\" > \(mailed).args\ncat > \(mailed)\n")
    chmod(sendmail, 0o700)
    let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/examples/mail-summary.sh").path
    let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let applied = try notified.setup.run(
      ["apply", notified.setup.export, "--yes", "--on-finish", "\(example) it@district.example"],
      environment: ["PATH": path])
    #expect(applied.status == 0, "\(applied.stderr)")
    let mail = try String(contentsOfFile: mailed, encoding: .utf8)
    #expect(mail.contains("To: it@district.example"))
    #expect(mail.contains("Subject: sis-sync on "))
    #expect(mail.contains(": applied (exit 0)"))
    #expect(mail.contains("\"outcome\":\"applied\""))
    #expect(try String(contentsOfFile: mailed + ".args", encoding: .utf8) == "-t -i\n")
    // "problems": a clean run mails nothing.
    try FileManager.default.removeItem(atPath: mailed)
    let nothing = try notified.setup.run(
      ["apply", notified.setup.export, "--yes", "--on-finish", "\(example) it@district.example problems"],
      environment: ["PATH": path])
    #expect(nothing.status == 10)
    #expect(!FileManager.default.fileExists(atPath: mailed))
  }
}
