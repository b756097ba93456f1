import Foundation
import Testing
import TextScreen

/// Whole-frame golden tests, in the spirit of ratatui's buffer assertions:
/// the expected screen is a picture, its text and its styles, kept in
/// `Tests/Goldens/frames/NAME.txt`. A difference names the cells that
/// differ. Re-record after a deliberate change with
///
///     SIS_SYNC_RECORD_GOLDENS=1 swift test --filter Golden
///
/// and read the diff of the golden files before committing them.
enum GoldenFrame {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Goldens/frames")

  static var recording: Bool { ProcessInfo.processInfo.environment["SIS_SYNC_RECORD_GOLDENS"] == "1" }

  /// The frame as text: each row's characters between bars (trailing
  /// spaces visible), then one letter per column naming its style, then
  /// the letters' legend.
  static func picture(of screen: Screen) -> String {
    var legend: [Style: Character] = [:]
    var order: [Style] = []
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    var text = "size \(screen.columns)x\(screen.rows)\n"
    for row in 0..<screen.rows { text += "|" + screen.text(row: row) + "|\n" }
    text += "styles\n"
    for row in 0..<screen.rows {
      var line = "|"
      for column in 0..<screen.columns {
        let style = screen[row, column].style
        if legend[style] == nil {
          legend[style] = order.count < letters.count ? letters[order.count] : "?"
          order.append(style)
        }
        line.append(legend[style]!)
      }
      text += line + "|\n"
    }
    text += "legend\n"
    for style in order { text += "\(legend[style]!) = \(describe(style))\n" }
    return text
  }

  static func describe(_ style: Style) -> String {
    var words = ["\(style.tone)"]
    if style.attributes.contains(.bold) { words.append("bold") }
    if style.attributes.contains(.reverse) { words.append("reverse") }
    if style.attributes.contains(.underline) { words.append("underline") }
    return words.joined(separator: " ")
  }

  /// Compares `screen` with the golden `name` (records it when recording).
  static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = folder.appendingPathComponent(name + ".txt")
    let actual = picture(of: screen)
    if recording {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try? Data(actual.utf8).write(to: path)
      return
    }
    guard let expected = try? String(contentsOf: path, encoding: .utf8) else {
      let report = "no golden frame \(name); record it with SIS_SYNC_RECORD_GOLDENS=1 swift test --filter Golden"
      Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
      return
    }
    guard expected != actual else { return }
    let report =
      "frame \(name) differs from Tests/Goldens/frames/\(name).txt:\n" + differences(expected, actual)
      + "\nthe frame now:\n" + actual
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
  }

  /// The cells that differ, by row and column, text and style.
  static func differences(_ expected: String, _ actual: String) -> String {
    func grid(_ picture: String) -> (text: [[Character]], styles: [[Character]], legend: [Character: String]) {
      let lines = picture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let stylesAt = lines.firstIndex(of: "styles") ?? lines.count
      let legendAt = lines.firstIndex(of: "legend") ?? lines.count
      let rows = { (range: Range<Int>) in lines[range].map { Array($0.dropFirst().dropLast()) } }
      var legend: [Character: String] = [:]
      for line in lines[min(legendAt + 1, lines.count)...] where line.count > 4 {
        legend[line.first!] = String(line.dropFirst(4))
      }
      return (rows(1..<stylesAt), rows(min(stylesAt + 1, legendAt)..<legendAt), legend)
    }
    let (old, new) = (grid(expected), grid(actual))
    var found: [String] = []
    for row in 0..<max(old.text.count, new.text.count) {
      let oldText = row < old.text.count ? old.text[row] : []
      let newText = row < new.text.count ? new.text[row] : []
      if oldText != newText {
        found.append("  row \(row) text: expected |\(String(oldText))|\n                got |\(String(newText))|")
      }
      let oldStyles = row < old.styles.count ? old.styles[row] : []
      let newStyles = row < new.styles.count ? new.styles[row] : []
      for column in 0..<max(oldStyles.count, newStyles.count) {
        let was = column < oldStyles.count ? old.legend[oldStyles[column]] ?? "-" : "-"
        let now = column < newStyles.count ? new.legend[newStyles[column]] ?? "-" : "-"
        if was != now {
          found.append("  row \(row) column \(column) style: expected \(was), got \(now)")
          break
        }
      }
    }
    return found.prefix(30).joined(separator: "\n") + (found.count > 30 ? "\n  … \(found.count - 30) more" : "")
  }
}
