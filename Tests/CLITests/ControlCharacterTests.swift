import Foundation
import Testing

/// File names and values holding ESC, BEL, C1 controls or bidi overrides
/// never reach the terminal raw: every text output writes them visibly
/// (`<U+001B>`), while `directory export` stays byte-exact.
@Suite struct ControlCharacterTests {
  /// ESC starts a terminal escape sequence (here: clear the screen), BEL
  /// rings, U+009B is the one-byte CSI, U+202E reverses what follows.
  static let hostileName = "ex\u{1B}[2Jport\u{07}\u{9B}31m\u{202E}vsc.csv"

  /// Bytes a terminal would obey (C0 but line ends, DEL, C1) or that would
  /// reorder the line (bidi embeddings, overrides, isolates). CSV records
  /// end in CRLF.
  static func rawControls(in text: String) -> [Unicode.Scalar] {
    text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars.filter { scalar in
      switch scalar.value {
      case 0x0A: false
      case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
      default: false
      }
    }
  }

  static func expectVisible(_ output: SisSyncProcess.Output, _ context: String) {
    #expect(rawControls(in: output.stdout).isEmpty, "\(context) stdout: \(output.stdout)")
    #expect(rawControls(in: output.stderr).isEmpty, "\(context) stderr: \(output.stderr)")
  }

  /// A directory with one school and one account, made with `directory import`.
  static func makeDirectory(in scratch: ScratchFolder, accounts: [String] = []) throws -> String {
    let directory = scratch.url.appendingPathComponent("directory.sqlite").path
    let organizations = try scratch.write("orgs.csv", "external_id,name,kind\nD,District,district\nS,Lincoln,school\n")
    let rows = ["Old,,One,old@x.org,9,S,Student,,3,Active"] + accounts
    let accountsPath = try scratch.write("accounts.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
    let imported = try SisSyncProcess.run([
      "directory", "import", "--directory", directory, "--organizations", organizations, "--accounts", accountsPath,
    ])
    precondition(imported.status == 0, imported.stderr)
    return directory
  }

  @Test func anExportNamedWithControlCharactersIsShownEscapedByValidateAndPlan() throws {
    let scratch = try ScratchFolder()
    let directory = try Self.makeDirectory(in: scratch)
    let export = try scratch.write(
      Self.hostileName,
      exportHeader + "\nAna,,Ruiz,ana@x.org,1,S,Student,,1,Active\nBo,,Li,bad-email,2,S,Student,,1,Active\n")
    let escapedName = "ex<U+001B>[2Jport<U+0007><U+009B>31m<U+202E>vsc.csv"
    for format in ["text", "json", "csv"] {
      let validated = try SisSyncProcess.run(["validate", export, "--format", format])
      #expect(validated.status == 1, "\(validated.stderr)")
      Self.expectVisible(validated, "validate --format \(format)")
    }
    let validated = try SisSyncProcess.run(["validate", export])
    #expect(validated.stdout.contains(escapedName))
    let planned = try SisSyncProcess.run(["plan", export, "--directory", directory])
    #expect(planned.status == 1, "\(planned.stderr)")
    #expect(planned.stdout.contains(escapedName))
    Self.expectVisible(planned, "plan")
    let json = try SisSyncProcess.run(["plan", export, "--directory", directory, "--format", "json"])
    Self.expectVisible(json, "plan --format json")
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect((parsed["export"] as? String)?.hasSuffix("/" + Self.hostileName) == true, "JSON stays exact")
    // Messages naming the file: a missing export, an unknown option.
    let missing = try SisSyncProcess.run(["validate", export + ".missing"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains(escapedName))
    Self.expectVisible(missing, "validate (missing file)")
    let unknown = try SisSyncProcess.run(["validate", export, "--\u{1B}[2J"])
    #expect(unknown.status == 64)
    Self.expectVisible(unknown, "unknown option")
  }

  @Test func historyAndShowPrintAnExportPathWithESCEscaped() throws {
    let scratch = try ScratchFolder()
    let directory = try Self.makeDirectory(in: scratch)
    let export = try scratch.write(Self.hostileName, exportHeader + "\nAna,,Ruiz,ana@x.org,1,S,Student,,1,Active\n")
    let applied = try SisSyncProcess.run(["apply", export, "--yes", "--directory", directory])
    #expect(applied.status == 0, "\(applied.stderr)")
    Self.expectVisible(applied, "apply")
    let history = try SisSyncProcess.run(["history", "--directory", directory])
    #expect(history.stdout.contains("ex<U+001B>[2Jport<U+0007>"))
    Self.expectVisible(history, "history")
    let runID = try #require(history.stdout.split(separator: " ").dropFirst().first.map(String.init))
    let shown = try SisSyncProcess.run(["show", runID, "--directory", directory])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains("export: " + scratch.url.path + "/ex<U+001B>[2Jport<U+0007><U+009B>31m<U+202E>"))
    Self.expectVisible(shown, "show")
    for command in [["history"], ["show", runID]] {
      let json = try SisSyncProcess.run(command + ["--directory", directory, "--format", "json"])
      Self.expectVisible(json, "\(command) --format json")
      #expect(json.stdout.contains(#"\u001b[2Jport\u0007\u009b31m\u202evsc.csv"#))
    }
  }

  @Test func aC1ControlInAValueIsAnErrorShownEscapedInThePlan() throws {
    let scratch = try ScratchFolder()
    let directory = try Self.makeDirectory(in: scratch)
    let export = try scratch.write(
      "export.csv",
      exportHeader
        + "\nAna\u{9B}2J,,Ruiz,ana@x.org,1,S,Student,,1,Active\nBo,,Li\u{202E},bo@x.org,2,S,Student,,1,Active\n")
    let planned = try SisSyncProcess.run(["plan", export, "--directory", directory])
    #expect(planned.status == 1, "\(planned.stderr)")
    Self.expectVisible(planned, "plan")
    #expect(planned.stdout.contains("E016"))
    #expect(planned.stdout.contains("Ana<U+009B>2J"))
    #expect(planned.stdout.contains("W018"))
    #expect(planned.stdout.contains("+ line 3  2  Li<U+202E>, Bo"))
  }

  @Test func directoryExportKeepsDirectionMarksAndOverridesExact() throws {
    let scratch = try ScratchFolder()
    let hebrew = "שרה\u{200F},,כהן\u{202E},sara@x.org,1,S,Student,,1,Active"
    let directory = try Self.makeDirectory(in: scratch, accounts: [hebrew])
    let accounts = scratch.url.appendingPathComponent("out-accounts.csv").path
    let organizations = scratch.url.appendingPathComponent("out-orgs.csv").path
    let exported = try SisSyncProcess.run([
      "directory", "export", "--directory", directory, "--organizations", organizations, "--accounts", accounts,
    ])
    #expect(exported.status == 0, "\(exported.stderr)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: accounts))
    #expect(bytes.range(of: Data(hebrew.utf8)) != nil, "the row comes back byte for byte")
  }
}
