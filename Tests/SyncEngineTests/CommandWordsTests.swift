import Testing

@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

/// The on-finish command (`--on-finish`, setting `on_finish`): split into
/// an argument list as a shell splits words, never handed to a shell, and
/// the outcome word each exit code gives it.
@Suite struct CommandWordsTests {
  @Test func wordsAreSplitAsAShellSplitsThem() throws {
    #expect(
      try CommandWords(parsing: "  mail-summary.sh  it@x.org\tproblems ").words == [
        "mail-summary.sh", "it@x.org", "problems",
      ])
    #expect(
      try CommandWords(parsing: #"notify 'two words' "say \"hi\"" a\ b ''"#).words == [
        "notify", "two words", #"say "hi""#, "a b", "",
      ])
    // What a shell would expand is passed as it is inside single quotes.
    #expect(try CommandWords(parsing: "logger '$HOME | x; y'").words == ["logger", "$HOME | x; y"])
    #expect(try CommandWords(parsing: "/usr/local/bin/notify x").programName == "notify")
  }

  @Test func whatOnlyAShellWouldDoIsRefusedWithItsColumn() {
    for (text, expected) in [
      ("mail x | logger", "'|' at column 8"), ("echo $HOME", "'$' at column 6"), ("a; b", "';' at column 2"),
      ("a > log", "'>' at column 3"), (#"say "$USER""#, "'$' at column 6"), ("run `id`", "'`' at column 5"),
    ] {
      #expect(throws: SettingError.self) { try CommandWords(parsing: text) }
      let message = Self.message(text)
      #expect(message.contains(expected), "\(text): \(message)")
      #expect(message.contains("never through a shell"))
    }
    #expect(Self.message("say 'unclosed").contains("' at column 5 that is not closed"))
    #expect(Self.message("trailing\\").contains("ends with a backslash"))
    #expect(Self.message("   ").contains("the command is empty"))
  }

  @Test func theSettingsCheckTheCommandAndItsTimeLimit() throws {
    let command = try SettingsRegistry.definition(SettingsRegistry.onFinishKey)
    #expect(try command.checked(" notify.sh  a ") == "notify.sh  a")
    #expect(try command.checked("none") == "none")
    #expect(throws: SettingError.self) { try command.checked("notify.sh | x") }
    let timeout = try SettingsRegistry.definition(SettingsRegistry.onFinishTimeoutKey)
    #expect(try timeout.checked("30") == "30")
    #expect(throws: SettingError.self) { try timeout.checked("0") }
    #expect(throws: SettingError.self) { try timeout.checked("1m") }
    let settings = DirectorySettings(stored: ["on_finish": "notify.sh 'a b'", "on_finish_timeout": "5"])
    #expect(settings.onFinish?.words == ["notify.sh", "a b"])
    #expect(settings.onFinishTimeout == 5)
    #expect(DirectorySettings().onFinish == nil)
    #expect(DirectorySettings().onFinishTimeout == 60)
  }

  @Test func eachExitCodeHasItsOutcomeWord() {
    #expect(RunOutcome(exitCode: 0, applied: true) == .applied)
    #expect(RunOutcome(exitCode: 1, applied: true) == .applied)
    #expect(RunOutcome(exitCode: 1, applied: false) == .nothing)
    #expect(RunOutcome(exitCode: 10, applied: false) == .nothing)
    #expect(RunOutcome(exitCode: 11, applied: false) == .held)
    #expect(RunOutcome(exitCode: 12, applied: false) == .refused)
    #expect(RunOutcome(exitCode: 13, applied: false) == .locked)
    #expect(RunOutcome(exitCode: 14, applied: false) == .unknown)
    for code: Int32 in [2, 3, 4, 5, 15, 64] { #expect(RunOutcome(exitCode: code, applied: false) == .failed) }
  }

  private static func message(_ text: String) -> String {
    do {
      _ = try CommandWords(parsing: text)
      return ""
    } catch { return error.message }
  }
}
