import Foundation

/// Reading the review screen's text back from a tmux capture.
enum PaneText {
  static func lines(_ screen: String) -> [String] {
    var lines = screen.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// The count beside a category in the categories pane (` 1 Errors   12 │`).
  static func count(of category: String, in screen: String) -> Int? {
    for line in lines(screen) {
      let words = (line.components(separatedBy: "│").first ?? "").split(separator: " ")
      guard words.count >= 3, words.dropFirst().dropLast().joined(separator: " ") == category else { continue }
      return Int(words.last!)
    }
    return nil
  }

  /// Line number and custom_id of the rows pane's selected row, found from
  /// the pane title's "k/N" (the short lists here never scroll).
  static func selectedRow(in screen: String) -> (line: Int, customID: String)? {
    let lines = lines(screen)
    let positions = lines.map { line -> Int? in
      // The rows pane title, right of the categories' rule: "Creates · 10 rows · 2/10".
      guard line.contains("│"), line.contains(" rows"), let last = line.split(separator: " ").last else { return nil }
      let parts = last.split(separator: "/")
      return parts.count == 2 && Int(parts[1]) != nil ? Int(parts[0]) : nil
    }
    guard let titleIndex = positions.firstIndex(where: { $0 != nil }), let cursor = positions[titleIndex],
      titleIndex + cursor < lines.count,
      let pane = lines[titleIndex + cursor].components(separatedBy: "│").dropFirst().first
    else { return nil }
    // A leading x or ! marks excluded rows and warnings.
    let words = pane.split(separator: " ").drop { Int($0) == nil }
    guard let line = words.first.flatMap({ Int($0) }), words.count >= 2 else { return nil }
    return (line, String(words[words.startIndex + 1]))
  }
}
