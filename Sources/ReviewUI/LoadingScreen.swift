import Foundation
import SyncEngine
import TextScreen

/// The frame shown while a large export loads and plans: what is being
/// done, how far reading has come, and how long it has taken.
public enum LoadingScreen {
  public static func render(
    exportPath: String, phase: LoadProgress.Phase, fractionRead: Double, elapsed: TimeInterval, rows: Int,
    columns: Int
  ) -> Screen {
    var screen = Screen(rows: rows, columns: columns)
    let name = (exportPath as NSString).lastPathComponent
    let barWidth = max(10, min(50, columns - 20))
    let filled = Int((Double(barWidth) * min(1, max(0, fractionRead))).rounded(.down))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
    let lines: [(String, Style)] = [
      ("sis-sync review · loading \(name)", .accent),
      ("", .plain),
      ("\(bar) \(Int(fractionRead * 100))%", Style(.addition)),
      ("", .plain),
      ("\(phase.rawValue)… \(String(format: "%.1f", elapsed)) s", .plain),
      ("Ctrl-C stops", .muted),
    ]
    let top = max(0, rows / 2 - 3)
    for (index, line) in lines.enumerated() {
      let column = max(0, (columns - DisplayWidth.of(line.0)) / 2)
      screen.put(line.0, row: top + index, column: column, style: line.1)
    }
    return screen
  }
}
