import CNcurses
import Testing
import TextScreen

@testable import Terminal

extension CursesSuite {
  @Test func injectedKeysComeBackDecodedInOrder() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    let keys: [Key] = [
      .up, .down, .left, .right, .tab, .backTab, .enter, .control("c"), .character("é"), .character("王"),
      .character("a"), .character(" "), .backspace, .delete, .pageUp, .pageDown, .home, .end, .escape,
    ]
    terminal.inject(keys)
    var read: [Key] = []
    while let key = terminal.readKey(timeoutMilliseconds: 0) { read.append(key) }
    #expect(read == keys)
  }

  @Test func rawBytesAndCodesDecodeAsTheTerminalSendsThem() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    // F1 (unused) is skipped; Ctrl-C is byte 3 in raw mode, not a signal.
    let codes: [Int32] = [13, 10, KEY_ENTER, 127, 8, KEY_BACKSPACE, 3, 26, 9, KEY_BTAB, KEY_F0 + 1, 0x78]
    for code in codes.reversed() { ungetch(code) }
    var read: [Key] = []
    while let key = terminal.readKey(timeoutMilliseconds: 0) { read.append(key) }
    #expect(
      read == [
        .enter, .enter, .enter, .backspace, .backspace, .backspace, .control("c"), .control("z"), .tab, .backTab,
        .character("x"),
      ])
  }

  @Test func readKeyTimesOutWithNothingQueued() throws {
    let terminal = try CursesTerminal.headless(rows: 24, columns: 80)
    defer { terminal.close() }
    let clock = ContinuousClock()
    let elapsed = clock.measure { #expect(terminal.readKey(timeoutMilliseconds: 50) == nil) }
    #expect(elapsed < .seconds(2))
  }
}

@Suite struct KeyDecodingTests {
  @Test func controlBytesDecode() {
    #expect(KeyDecoding.key(character: 3) == .control("c"))
    #expect(KeyDecoding.key(character: 1) == .control("a"))
    #expect(KeyDecoding.key(character: 26) == .control("z"))
    #expect(KeyDecoding.key(character: 9) == .tab)
    #expect(KeyDecoding.key(character: 13) == .enter)
    #expect(KeyDecoding.key(character: 27) == .escape)
    #expect(KeyDecoding.key(character: 127) == .backspace)
    #expect(KeyDecoding.key(character: 0) == nil)
    #expect(KeyDecoding.key(character: 28) == nil)
    #expect(KeyDecoding.key(character: 0x9B) == nil)  // C1 CSI
    #expect(KeyDecoding.key(character: 0xE9) == .character("é"))
    #expect(KeyDecoding.key(character: 0x1F600) == .character("😀"))
    #expect(KeyDecoding.key(code: KEY_F0 + 1) == nil)
  }

  @Test func everyKeyCanBeInjected() {
    let keys: [Key] = [
      .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape, .backspace,
      .delete, .resize, .control("q"), .character("q"), .character("王"),
    ]
    for key in keys {
      let inputs = KeyDecoding.inputs(for: key)
      #expect(inputs.count == 1, "\(key)")
      let decoded: Key? =
        switch inputs.first {
        case .code(let code) where code >= KEY_MIN: KeyDecoding.key(code: code)
        case .code(let code): KeyDecoding.key(character: UInt32(code))
        case .wide(let character): KeyDecoding.key(character: UInt32(bitPattern: character))
        case nil: nil
        }
      #expect(decoded == key)
    }
  }
}
