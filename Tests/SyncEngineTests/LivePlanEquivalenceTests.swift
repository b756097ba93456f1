import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// The review screen's plan, updated decision by decision, must equal
/// planning from scratch with the same decisions: every change, every
/// finding, every count. Random directories and OneRoster exports through
/// the preset (skipped roles, lists of schools and grades, a school left
/// out), random decisions with undo; a seed names each case. Planning while
/// reading is held to the same plan. Rows re-number people (a new ID with
/// their email, or with a new email and their name): ID changes. Some
/// fields are local, for every account or for some (issue 15, item 5). Some
/// runs are one source's of two (`--source`).
@Suite struct LivePlanEquivalenceTests {
  /// SplitMix64 (`SeededGenerator`): the same seed gives the same case on
  /// every machine.
  struct Random {
    private var generator: SeededGenerator
    init(state: UInt64) { generator = SeededGenerator(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
  }

  static let schools = ["org-s1", "org-s2", "org-s3", "org-s4"]
  static let header =
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    + "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"

  /// One random case: the directory's accounts and the export's lines.
  /// The seed's directory (five organizations) and its export's rows,
  /// written as `users.csv` beside it.
  static func makeDirectoryAndExport(seed: UInt64) throws -> (SyncFixture, String, rows: [String], emptied: String?) {
    let (accounts, rows, emptied) = makeCase(seed: seed)
    let fixture = try SyncFixture(
      organizations: [
        "org-d1,District,district", "org-s1,Bayview,school", "org-s2,Cypress,school", "org-s3,Harbor,school",
        "org-s4,Inlet,school",
      ],
      accounts: accounts)
    let export = try SyncFixture.write(fixture.folder, "users.csv", [header] + rows)
    return (fixture, export, rows, emptied)
  }

  static func makeCase(seed: UInt64) -> (accounts: [String], rows: [String], emptied: String?) {
    var random = Random(state: seed)
    let names = ["Ana", "Bo", "Cy", "Di", "Ed", "Fay", "Gus", "Hal"]
    let grades = ["K", "1", "3", "5", "9", "12"]
    var accounts: [String] = []
    // Each account's first name, school, grade (students only) and status.
    var people: [(first: String, school: String, grade: String?, active: Bool)] = []
    for index in 0..<(8 + random.below(10)) {
      let managed = random.chance(85)
      let school = random.pick(schools)
      let type = random.chance(80) ? "Student" : "Teacher"
      let (first, grade, active) = (random.pick(names), random.pick(grades), random.chance(80))
      accounts.append(
        [
          first, "", "L\(index % 5)", "p\(index)@x.org", managed ? "u\(index)" : "", school, type,
          type == "Teacher" ? "Math" : "", type == "Student" ? grade : "", active ? "Active" : "Disabled",
        ].joined(separator: ","))
      people.append((first, school, type == "Student" ? grade : nil, active))
    }
    let emptied = random.chance(40) ? "org-s4" : nil
    var rows: [String] = []
    let ceds = ["KG", "01", "03", "05", "09", "12", "\"09,10\"", "TK"]
    for index in 0..<(6 + random.below(14)) {
      let person = random.below(accounts.count + 6)
      var id = person < accounts.count ? "u\(person)" : "n\(index)"
      var email = person < accounts.count ? "p\(person)@x.org" : "n\(index)@x.org"
      var schools = random.pick(Self.schools)
      if schools == emptied { schools = "org-s1" }
      var role = random.chance(10) ? "guardian" : random.chance(85) ? "student" : "teacher"
      var enabled = random.chance(90) ? "true" : "false"
      var grade = role == "student" ? random.pick(ceds) : ""
      var (given, family) = (random.pick(names), "L\(index % 5)")
      switch random.below(19) {
      case 8, 9:
        // The student as the directory has them but for the first name or
        // the email, or both: what local fields keep (maybe unchanged).
        guard person < accounts.count, let accountGrade = people[person].grade, people[person].school != emptied
        else { break }
        (schools, role, enabled) = (people[person].school, "student", people[person].active ? "true" : "false")
        grade = ceds[grades.firstIndex(of: accountGrade)!]
        (given, family) = (random.chance(50) ? people[person].first : given, "L\(person % 5)")
        if random.chance(50) { email = "m\(index)@x.org" }
      case 0: schools = "\"org-s1,org-s2\""  // I046
      case 1: schools = "org-s9"  // unknown building
      case 2: id = ""  // error: the person matcher's case
      case 3: email = "broken@"  // error
      case 4: id = "u\(random.below(accounts.count))"  // maybe a duplicate
      case 5, 6: id = "r\(index)"  // a new ID, the person's email: an ID change (or an email conflict)
      case 7: (id, email) = ("r\(index)", "q\(index)@x.org")  // matched by name, if at all
      default: break
      }
      rows.append(
        [
          id, "active", "2025-08-01T00:00:00.000Z", enabled, schools, role, "user\(index)", "",
          given, family, "", id, email, "", "", "", grade, "",
        ].joined(separator: ","))
    }
    return (accounts, rows, emptied)
  }

  static func randomDecision(_ random: inout Random, lines: ClosedRange<Int>) -> Decision {
    let line = lines.lowerBound + random.below(lines.count)
    switch random.below(10) {
    case 0, 1: return .exclude(line: line)
    case 2: return .include(line: line)
    case 3:
      return .editCustomID(
        line: line, customID: random.pick(["u\(random.below(8))", "e\(line)", "r\(random.below(12))", ""]))
    case 4: return .remapBuildingID(from: "org-s9", to: random.pick(schools))
    case 5: return .excludeLines([line, lines.lowerBound + random.below(lines.count)], reason: "a school")
    case 6: return .mapValue(column: .grade, from: "tk", to: random.pick(["K", "PK"]))
    case 7: return .assignID(line: line, accountID: Int64(1 + random.below(8)))
    case 8: return .setOrganizationExternalID(organizationID: 1, externalID: "org-s9")
    default: return .changeBuildingID(line: line, buildingID: random.pick(schools + ["org-s9"]))
    }
  }

  /// Records random accounts as pending disable, missing since 2 or 12
  /// days before the cases' time.
  static func recordPendingDisables(_ random: inout Random, accounts: Int, in directory: any DirectoryStore) throws {
    var records: [(Int64, String)] = []
    for id in 1...Int64(accounts) where random.chance(30) {
      records.append((id, random.chance(50) ? "2025-06-13T15:06:40Z" : "2025-06-03T15:06:40Z"))
    }
    guard !records.isEmpty else { return }
    try directory.write { transaction in
      let generation = try transaction.moveToNewState()
      let run = try transaction.insertRun(
        RunRecord(
          id: 0, kind: .apply, startedAt: "2025-06-03T15:06:40Z", finishedAt: "2025-06-03T15:06:40Z", user: "t",
          host: "h", exportPath: nil, exportSHA256: nil, revertsRun: nil, generation: generation, counts: [:]))
      try transaction.addPendingDisables(
        records.map { PendingDisableRecord(accountID: $0.0, missingSince: $0.1, runID: run) })
    }
  }

  @Test(
    arguments: 0..<10)
  func theLivePlanEqualsPlanningFromScratch(batch: Int) throws {
    let mapping = try #require(MappingPreset.named("oneroster-1.1")).mapping
    // The grace before disable must be exercised: pending, cleared, due.
    var seen: Set<String> = []
    defer {
      #expect(seen == ["pending", "cleared", "due"], "batch \(batch) saw only \(seen.sorted())")
    }
    for seed in UInt64(batch * 30)..<UInt64(batch * 30 + 30) {
      let (fixture, export, rows, emptied) = try Self.makeDirectoryAndExport(seed: seed)
      var random = Random(state: seed ^ 0xDEC1_5105)
      var options = PlanOptions(disableMissing: emptied != nil || random.chance(50))
      // Protections (issue 15): some accounts and schools, some expired.
      let snapshot = try fixture.directory.snapshot()
      var protections: [ProtectionRecord] = []
      for _ in 0..<random.below(4) where snapshot.accountCount > 0 {
        let account = snapshot.accountIDs[random.below(snapshot.accountCount)]
        guard !protections.contains(where: { $0.kind == .account && $0.targetID == account }) else { continue }
        protections.append(
          ProtectionRecord(
            kind: .account, targetID: account, reason: "on leave", until: random.chance(25) ? "2026-01-31" : nil,
            createdAt: "2026-01-01T00:00:00Z", createdBy: "test"))
      }
      if random.chance(30) {
        protections.append(
          ProtectionRecord(
            kind: .organization, targetID: random.pick(snapshot.organizations).id, reason: "pilot school",
            until: random.chance(25) ? "2026-01-31" : "2026-12-31", createdAt: "2026-01-01T00:00:00Z",
            createdBy: "test"))
      }
      options.protections = PlanProtections(records: protections, today: "2026-06-01")
      // Grace before disable: some accounts already pending (some past
      // their grace), some first found missing now.
      options.disableGrace = GraceDuration(random.pick(["0", "5d", "14d"]))!
      options.now = Date(timeIntervalSince1970: 1_750_000_000)
      try Self.recordPendingDisables(&random, accounts: snapshot.accountCount, in: fixture.directory)
      // Local fields (issue 15): for every account, and for some accounts.
      let localChoices: [[ExportColumn]] = [[.email], [.firstName], [.grade, .lastName], [.email, .firstName]]
      var localFields = PlanLocalFields()
      if random.chance(30) { localFields.everyAccount = random.pick(localChoices) }
      for _ in 0..<random.below(5) where snapshot.accountCount > 0 {
        localFields.accounts[snapshot.accountIDs[random.below(snapshot.accountCount)]] = random.pick(localChoices)
      }
      options.localFields = localFields
      // Several sources (issue 15): the run is the SIS's or HR's; some
      // accounts recorded as one's, some declared one by one. Drawn from a
      // stream of their own, so the other cases stay as they were.
      var sourceRandom = Random(state: seed ^ 0x5011_7CE5)
      if sourceRandom.chance(40) {
        var managers: [Int64: String] = [:]
        for _ in 0..<sourceRandom.below(4) where snapshot.accountCount > 0 {
          managers[snapshot.accountIDs[sourceRandom.below(snapshot.accountCount)]] = sourceRandom.pick(["sis", "hr"])
        }
        let oneByOne = sourceRandom.chance(50) ? ",id:u\(sourceRandom.below(8))" : ""
        let declared = try #require(SourceDeclarations(parsing: "sis=Student;hr=Teacher" + oneByOne))
        options.sources = PlanSources(declared: declared, managers: managers, source: sourceRandom.pick(["sis", "hr"]))
      }
      // The rollover profile and schools' own thresholds (issue 16), with
      // low limits so that what they leave out of the count decides holds.
      // A stream of their own too.
      var rolloverRandom = Random(state: seed ^ 0x2011_0FE2)
      if rolloverRandom.chance(50) {
        var ranges: [String: GradeRange] = [:]
        for school in ["org-s1", "org-s2", "org-s3", "org-s4"] where rolloverRandom.chance(70) {
          ranges[school] = GradeRange(rolloverRandom.pick(["K-5", "K-3", "3-5", "5-9", "9-12", "6-12"]))!
        }
        options.rollover = RolloverProfile(reason: .flag, gradeRanges: ranges)
      }
      if rolloverRandom.chance(40) {
        options.thresholds = [
          Threshold(action: .disable, maxCount: rolloverRandom.below(3), maxShare: nil),
          Threshold(action: .update, maxCount: rolloverRandom.below(4), maxShare: 0.2),
        ]
        for _ in 0..<rolloverRandom.below(3) {
          let entry = SchoolThreshold(
            school: rolloverRandom.pick(["org-s1", "org-s2", "org-s3", "org-x9"]),
            threshold: Threshold(
              action: rolloverRandom.pick([.disable, .update]), maxCount: rolloverRandom.below(2), maxShare: nil))
          // As in settings: one threshold per school and action.
          options.schoolThresholds.removeAll {
            $0.school == entry.school && $0.threshold.action == entry.threshold.action
          }
          options.schoolThresholds.append(entry)
        }
      }
      func fresh(_ decisions: ReviewDecisions) throws -> Plan {
        try PlanPipeline.run(
          PlanPipeline.Input(
            exportPath: export, mapping: mapping, decisions: decisions, options: options, keepsRows: true),
          directory: fixture.directory
        ).plan
      }
      let baseline = try PlanPipeline.run(
        PlanPipeline.Input(exportPath: export, mapping: mapping, options: options, keepsRows: true),
        directory: fixture.directory)
      guard baseline.validation.isUsable else { continue }
      if !baseline.plan.pendingDisables.isEmpty { seen.insert("pending") }
      if !baseline.plan.clearedPendingDisables.isEmpty { seen.insert("cleared") }
      if baseline.plan.changes.contains(where: {
        $0.line == nil && $0.accountID.map { baseline.directory.pendingDisables[$0] != nil } == true
      }) {
        seen.insert("due")
      }
      // Planning while reading (two halves) finishes the plan the same way.
      let streamed = try Planner.validateAndPlan(
        file: try RegularFile(path: export),
        validationOptions: ValidationOptions(
          mapping: mapping,
          directory: KnownOrganizations(organizationExternalIDs: baseline.directory.organizationExternalIDs),
          parallelThreshold: 0),
        directory: baseline.directory, options: options)
      #expect(streamed.plan.comparableLines == baseline.plan.comparableLines, "seed \(seed): planned while reading")
      let live = LivePlan(
        validation: baseline.validation, directory: baseline.directory, options: options,
        exportSHA256: baseline.plan.exportSHA256)
      #expect(live.plan().comparableLines == baseline.plan.comparableLines, "seed \(seed): no decisions")
      #expect(live.thresholdHolds() == baseline.plan.holds, "seed \(seed): the screen's holds")
      for step in 0..<(1 + random.below(5)) {
        if step > 0 && random.chance(20) {
          live.undo()
        } else {
          live.apply(Self.randomDecision(&random, lines: 2...(rows.count + 1)))
        }
        let freshPlan = try fresh(live.decisions)
        let expected = freshPlan.comparableLines
        let actual = live.plan().comparableLines
        let judged = live.thresholdJudgement()
        #expect(judged.holds == freshPlan.holds, "seed \(seed): the screen's holds after a decision")
        #expect(judged.rollover == freshPlan.rollover, "seed \(seed): the screen's rollover groups")
        if actual != expected {
          let differing = zip(actual, expected).filter { $0 != $1 }.prefix(3).map { "live: \($0)\nfresh: \($1)" }
          let report =
            "seed \(seed) after \(live.decisions.decisions):\n\(differing.joined(separator: "\n"))"
            + (actual.count != expected.count ? "\n(\(actual.count) lines vs \(expected.count))" : "")
          Issue.record(Comment(rawValue: report))
          break
        }
      }
    }
  }

  /// Undo restores what each decision overwrote (it does not replay the
  /// others): after a run of random decisions, taking them back one by one
  /// gives, at every step, the plan made from scratch with those left.
  @Test(arguments: 0..<4)
  func undoingDecisionsOneByOneEqualsPlanningFromScratch(batch: Int) throws {
    let mapping = try #require(MappingPreset.named("oneroster-1.1")).mapping
    for seed in UInt64(1000 + batch * 25)..<UInt64(1000 + batch * 25 + 25) {
      let (fixture, export, rows, emptied) = try Self.makeDirectoryAndExport(seed: seed)
      var random = Random(state: seed ^ 0x0DD0_0DD0)
      var options = PlanOptions(disableMissing: emptied != nil || random.chance(50))
      options.now = Date(timeIntervalSince1970: 1_750_000_000)
      func fresh(_ decisions: [Decision]) throws -> Plan {
        try PlanPipeline.run(
          PlanPipeline.Input(
            exportPath: export, mapping: mapping, decisions: ReviewDecisions(decisions), options: options,
            keepsRows: true),
          directory: fixture.directory
        ).plan
      }
      let baseline = try PlanPipeline.run(
        PlanPipeline.Input(exportPath: export, mapping: mapping, options: options, keepsRows: true),
        directory: fixture.directory)
      guard baseline.validation.isUsable else { continue }
      let live = LivePlan(
        validation: baseline.validation, directory: baseline.directory, options: options,
        exportSHA256: baseline.plan.exportSHA256)
      for _ in 0..<(3 + random.below(6)) {
        live.apply(Self.randomDecision(&random, lines: 2...(rows.count + 1)))
      }
      while live.undo() != nil {
        let left = live.decisions.decisions
        let freshPlan = try fresh(left)
        let actual = live.plan().comparableLines
        #expect(actual == freshPlan.comparableLines, "seed \(seed): undone to \(left)")
        #expect(live.thresholdHolds() == freshPlan.holds, "seed \(seed): the screen's holds")
        if actual != freshPlan.comparableLines { break }
      }
      #expect(live.plan().comparableLines == baseline.plan.comparableLines, "seed \(seed): every decision undone")
    }
  }
}
