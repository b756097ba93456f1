import Foundation

/// Prints how long each phase took to standard error when SIS_SYNC_TIMING
/// is set: for benchmarks and profiling, silent otherwise.
public enum PhaseTimer {
  static let enabled = ProcessInfo.processInfo.environment["SIS_SYNC_TIMING"] != nil

  @discardableResult
  public static func measure<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
    guard enabled else { return try body() }
    let start = Date()
    let result = try body()
    FileHandle.standardError.write(
      Data("timing: \(phase) \(String(format: "%.3f", Date().timeIntervalSince(start))) s\n".utf8))
    return result
  }

  /// A line about the run, when timing is on (which way a read went).
  public static func note(_ text: @autoclosure () -> String) {
    guard enabled else { return }
    FileHandle.standardError.write(Data("timing: \(text())\n".utf8))
  }

  /// The process's peak resident memory so far, when timing is on (limit
  /// tests and benchmarks read it).
  public static func reportPeakMemory() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("timing: peak memory \(peakMemoryKiB() / 1024) MB\n".utf8))
  }

  /// The high-water mark of this program's memory (`VmHWM`). Not
  /// `getrusage`: Linux keeps `ru_maxrss` across `exec`, so a process
  /// started by a large one (a test runner) would report its parent's peak.
  static func peakMemoryKiB() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kib = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    {
      return kib
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
  }
}
