import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The support call, at a real terminal: decisions made on one export
/// follow their people to the next export, past a nightly run, and a
/// review killed outright loses none of its decisions.
@Suite(.serialized) struct ReviewSessionTmuxTests {
  static let header =
    "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
  static let firstExport = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",  // 2 update
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",  // 3 unchanged
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",  // 4 assign ID: A, kept (untouched)
    "Far,,Away,far@x.org,2004,S9,Student,,2,Active",  // 5 unknown building: b, then fixed in the SIS
    "Gus,,Gone,gus@x.org,2005,S1,Student,,3,Active",  // 6 create: x, then removed
    "New,,Kid,new@x.org,2001,S2,Student,,K,Active",  // 7 create: e 2010, which a nightly run gives another
    "Kim,,Lee,kim@x.org,2008,S2,Student,,TK,Active",  // 8 unknown grade: m, kept
  ]
  static let secondExport = [
    "Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active",
    "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
    "Ed,,Ox,ed@x.org,1005,S1,Teacher,Coach,,Active",
    "Far,,Away,far@x.org,2004,S2,Student,,2,Active",  // fixed at the source
    "Zed,,Other,zed@x.org,2099,S1,Student,,3,Active",  // unrelated, at Gus's old line
    "New,,Kid,new@x.org,2001,S2,Student,,K,Active",
    "Kim,,Lee,kim@x.org,2008,S2,Student,,TK,Active",
  ]

  struct Setup {
    let scratch = try! ScratchFolder()
    var folder: URL { scratch.url }
    var directory: String { folder.appendingPathComponent("d.sqlite").path }
    var export: String { folder.appendingPathComponent("export.csv").path }
    var session: String { folder.appendingPathComponent("support.session").path }

    init() throws {
      let organizations = folder.appendingPathComponent("orgs.csv").path
      try "external_id,name,kind\nDIST,District,district\nS1,Lincoln,school\nS2,Roosevelt,school\n"
        .write(toFile: organizations, atomically: true, encoding: .utf8)
      let accounts = folder.appendingPathComponent("accounts.csv").path
      try
        ([ReviewSessionTmuxTests.header] + [
          "Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active", "Bo,,Li,bo@x.org,1002,S1,Student,,4,Active",
          "Ed,,Ox,ed@x.org,,S1,Teacher,Coach,,Active",
        ]).joined(separator: "\n").appending("\n").write(toFile: accounts, atomically: true, encoding: .utf8)
      let imported = try SisSyncProcess.run([
        "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accounts,
      ])
      try #require(imported.status == 0, "\(imported.stderr)")
    }

    func write(_ rows: [String], to path: String? = nil) throws {
      try ([ReviewSessionTmuxTests.header] + rows).joined(separator: "\n").appending("\n")
        .write(toFile: path ?? export, atomically: true, encoding: .utf8)
    }

    /// A review in a fresh pane (the files of an earlier pane removed).
    func openReview(_ extra: [String] = []) throws -> TmuxSession {
      for name in ["pid.txt", "exit.txt", "before.txt", "after.txt"] {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
      }
      return try TmuxSession(
        scratch: scratch, columns: 120, rows: 40,
        arguments: [ReviewTmuxTests.binary, "review", export, "--directory", directory] + extra)
    }

    func plan(session: String) throws -> [String: Any] {
      let planned = try SisSyncProcess.run([
        "plan", export, "--directory", directory, "--session", session, "--format", "json",
      ])
      return try #require(try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any])
    }
  }

  /// Finds a row by a word in a category and selects it.
  private func select(_ word: String, category: String, in tmux: TmuxSession) throws {
    try tmux.press("F", category)
    try tmux.waitForScreen("the filter cleared") { !$0.contains("(filtered from") }
    try tmux.press("f", "C-u")
    try tmux.type(word)
    try tmux.press("Enter")
    try tmux.waitFor("· 1 row (filtered from")
  }

  @Test func theSupportLoop() throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let setup = try Setup()
    try setup.write(Self.firstExport)
    var tmux = try setup.openReview(["--session", setup.session])
    try tmux.waitFor("export.csv → d.sqlite")

    // Five decisions of five kinds.
    try select("Far", category: "1", in: tmux)
    try tmux.press("b", "C-u")
    try tmux.type("S2")
    try tmux.press("Enter")
    try tmux.waitFor("Line 5: building ID → S2 (u undoes)")
    try select("Kim", category: "1", in: tmux)
    try tmux.press("m")
    try tmux.waitFor("grade 'TK' (1 row) means")
    try tmux.type("K")
    try tmux.press("Enter")
    try tmux.waitFor("Grade 'TK' → K for all rows (u undoes)")
    try select("Gus", category: "2", in: tmux)
    try tmux.press("x")
    try tmux.waitFor("Exclude line 6 (u undoes)")
    try select("Kid", category: "2", in: tmux)
    try tmux.press("e", "C-u")
    try tmux.type("2010")
    try tmux.press("Enter")
    try tmux.waitFor("Line 7: custom_id → 2010 (u undoes)")
    try select("Ox", category: "8", in: tmux)
    try tmux.press("A")
    try tmux.type("3")
    try tmux.press("Enter")
    try tmux.waitFor("Line 4: assign its ID to account #3 (u undoes)")
    try tmux.press("s", "Enter")
    try tmux.waitFor("(5 decisions)")
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)
    tmux.close()

    // The SIS is fixed and exported again; a nightly run gives 2010 to
    // another account in between.
    try setup.write(Self.secondExport)
    let nightlyExport = setup.folder.appendingPathComponent("nightly.csv").path
    try setup.write(["Zoe,,Nu,zoe@x.org,2010,S2,Student,,1,Active"], to: nightlyExport)
    let nightlyPlan = setup.folder.appendingPathComponent("nightly.plan").path
    _ = try SisSyncProcess.run(["plan", nightlyExport, "--directory", setup.directory, "--out", nightlyPlan])
    let applied = try SisSyncProcess.run(["apply", nightlyPlan, "--directory", setup.directory])
    try #require(applied.status == 0, "\(applied.stderr)")

    // Headless, the same session is re-anchored too: the decisions that fit
    // apply, the others are said on stderr by line and reason, no names.
    let headless = try SisSyncProcess.run([
      "plan", setup.export, "--directory", setup.directory, "--session", setup.session, "--format", "json",
    ])
    #expect(headless.status != 5, "\(headless.stderr)")
    #expect(headless.stderr.contains("3 saved decisions were not applied"))
    #expect(headless.stderr.contains("line 6: exclude line 6 — not applied: the row is gone from the export"))
    #expect(!headless.stderr.contains("Gus") && !headless.stderr.contains("Far Away"))
    let headlessPlan = try #require(
      try JSONSerialization.jsonObject(with: Data(headless.stdout.utf8)) as? [String: Any])

    tmux = try setup.openReview(["--session", setup.session])
    defer { tmux.close() }
    let screen = try tmux.waitFor("3 saved decisions were not applied")
    #expect(screen.contains("Far Away (2004), line 5"))
    #expect(screen.contains("Gus Gone (2005), line 6"))
    #expect(screen.contains("New Kid (2001), line 7"))
    #expect(screen.contains("2 decisions applied"))
    try tmux.press("Space", "w", "C-u")
    let report = setup.folder.appendingPathComponent("support-report").path
    try tmux.type(report)
    try tmux.press("Enter")
    try tmux.waitFor("Report written")
    let text = try String(contentsOfFile: report + ".txt", encoding: .utf8)
    #expect(text.contains("Saved decisions not applied (3):"))
    #expect(text.contains("line 5: building ID → S2 — not needed: already fixed in the SIS"))
    #expect(text.contains("line 6: exclude line 6 — not applied: the row is gone from the export"))
    #expect(text.contains("line 7: custom_id → 2010 — not applied: now conflicting (custom_id 2010 now belongs to"))
    try tmux.press("s", "Enter")
    try tmux.waitFor("(2 decisions)")
    try tmux.press("q")
    #expect(try tmux.waitForExit() == 0)

    // The plan of the resumed session is the plan of the two kept
    // decisions made from scratch, and nobody else is touched.
    let resumed = try setup.plan(session: setup.session)
    let handMade = setup.folder.appendingPathComponent("kept.session").path
    let sha = try #require(resumed["export_sha256"] as? String)
    let kept = """
      {"format":"sis-sync session 1","export":"export.csv","export_sha256":"\(sha)","mapping":"none",
       "saved_at":"x","decisions":[{"mapValue":{"column":"grade","from":"TK","to":"K"}},
       {"assignID":{"line":4,"accountID":3}}]}
      """
    try kept.write(toFile: handMade, atomically: true, encoding: .utf8)
    let expected = try setup.plan(session: handMade)
    #expect(
      try JSONSerialization.data(withJSONObject: headlessPlan["changes"] ?? [], options: .sortedKeys)
        == JSONSerialization.data(withJSONObject: expected["changes"] ?? [], options: .sortedKeys))
    #expect((resumed["changes"] as? [[String: Any]])?.count == (expected["changes"] as? [[String: Any]])?.count)
    #expect(
      try JSONSerialization.data(withJSONObject: resumed["changes"] ?? [], options: .sortedKeys)
        == JSONSerialization.data(withJSONObject: expected["changes"] ?? [], options: .sortedKeys))
    #expect(
      try JSONSerialization.data(withJSONObject: resumed["summary"] ?? [:], options: .sortedKeys)
        == JSONSerialization.data(withJSONObject: expected["summary"] ?? [:], options: .sortedKeys))
    let changes = try #require(resumed["changes"] as? [[String: Any]])
    // Zed, at Gus's old line, is created; New Kid keeps his own ID.
    #expect(changes.contains { $0["line"] as? Int == 6 && $0["action"] as? String == "create" })
    #expect(changes.contains { $0["line"] as? Int == 7 && $0["custom_id"] as? String == "2001" })
  }

  @Test(arguments: [1, 3]) func aKilledReviewOffersItsDecisions(count: Int) throws {
    guard ReviewTmuxTests.tmuxIsInstalled() else { return }
    let setup = try Setup()
    try setup.write(Self.firstExport)
    var tmux = try setup.openReview()
    try tmux.waitFor("export.csv → d.sqlite")
    // Rows excluded one by one: two creates, then an error row.
    for (index, category) in ["2", "2", "1"].prefix(count).enumerated() {
      try tmux.press(category, "x")
      try tmux.waitForScreen("\(index + 1) excluded") { PaneText.count(of: "Excluded", in: $0) == index + 1 }
    }
    kill(try tmux.programPID(), SIGKILL)
    #expect(try tmux.waitForExit() == 128 + SIGKILL)
    tmux.close()

    let journal = setup.folder.appendingPathComponent("export.session.journal").path
    let permissions = try FileManager.default.attributesOfItem(atPath: journal)[.posixPermissions] as? Int
    #expect(permissions.map { $0 & 0o777 } == 0o600)
    tmux = try setup.openReview()
    defer { tmux.close() }
    try tmux.waitFor("A recovered session with \(count == 1 ? "1 decision" : "\(count) decisions"): restore? (y/n)")
    try tmux.press("y")
    let screen = try tmux.waitFor("Restored \(count) of \(count) recovered decisions")
    #expect(PaneText.count(of: "Excluded", in: screen) == count)
  }
}
