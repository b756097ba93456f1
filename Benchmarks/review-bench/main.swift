// Measures the review screen without a terminal, in a release build:
// the time from starting to the first interactive frame, then, for a
// fixed script of keys, the time from a key to a finished frame (the
// review loop's step as the terminal runner takes it: update, render, and
// finding the changed rows, which is what the terminal draws).
//
// Usage: review-bench EXPORT DIRECTORY [--rounds N] [--decisions N] [--columns C] [--rows R]
//                     [--no-preview] [--each]
import Dispatch
import Foundation
import ReviewUI
import SyncEngine
import TextScreen

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(Data("usage: review-bench EXPORT DIRECTORY [--rounds N]\n".utf8))
  exit(64)
}
func option(_ name: String, _ fallback: Int) -> Int {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
  return Int(arguments[index + 1]) ?? fallback
}
let rounds = option("--rounds", 20)
let rows = option("--rows", 24)
let columns = option("--columns", 80)

// As `sis-sync review` opens: a large export's first rows' errors while
// the directory is read, then their plan, while the whole is planned on
// another thread (`--no-preview`: the whole plan first, as before the preview).
let started = Date()
let directory = try SQLiteDirectory(path: arguments[2], access: .write)
let input = ReviewLoader.Input(exportPath: arguments[1])
let progress = LoadProgress(totalBytes: 0)
var opened: (model: ReviewModel, loop: ReviewLoop)?
var previous = Screen(rows: 0, columns: 0)
var firstFrame = 0.0
/// The screen opens on `plan`, as the terminal runner opens it.
@MainActor func open(_ plan: LivePlan, planning: Bool) {
  let model = ReviewModel(plan: plan, exportPath: arguments[1], directoryLocation: arguments[2])
  if planning { model.planning = progress }
  let loop = ReviewLoop(model: model, rows: rows, columns: columns)
  previous = loop.render()
  firstFrame = Date().timeIntervalSince(started)
  opened = (model, loop)
}
let preview =
  arguments.contains("--no-preview")
  ? nil
  : try ReviewPreview.load(
    input, directory: directory,
    awaitingDirectory: { preview in MainActor.assumeIsolated { open(preview.plan, planning: true) } })
var firstRowsPlanned: Double?
if let preview {
  if let (_, loop) = opened { loop.directoryRead(preview.plan) } else { open(preview.plan, planning: true) }
  previous = opened!.loop.render()
  firstRowsPlanned = Date().timeIntervalSince(started)
}
let whole = UncheckedBox<Result<ReviewLoader.Loaded, Error>>()
let loading = DispatchGroup()
let wholeLoad = UncheckedSendable((input, directory, preview?.snapshot, whole))
DispatchQueue.global().async(group: loading) {
  let (input, directory, snapshot, whole) = wholeLoad.value
  whole.value = Result { try ReviewLoader.loadSession(input, directory: directory, snapshot: snapshot) }
}
loading.wait()
if preview == nil {
  open(try whole.value!.get().plan, planning: false)
} else {
  opened!.loop.planningFinished(try whole.value!.get().plan)
}
let (model, loop) = opened!
let services = EngineReviewServices(directory: directory)
previous = loop.render()
let wholePlan = Date().timeIntervalSince(started)
let previewRows = preview?.plan.rowCount

/// Navigation and search keys a reviewer presses; each round visits every
/// category, pages, jumps to the ends and moves the panes.
let script: [Key] =
  Array(repeating: .character("j"), count: 10) + Array(repeating: .pageDown, count: 5)
  + [.character("G"), .character("k"), .character("g")] + (1...8).map { .character(Character("\($0)")) }
  + [.character("7"), .pageDown, .pageDown, .end, .pageUp, .tab, .down, .down, .tab, .down, .backTab, .backTab]
  + [.enter, .tab, .tab, .character("j"), .character("?"), .escape]

/// This thread's CPU time, in nanoseconds: a press whose wall time is far
/// above it waited for a core (the machine was busy), it did not work more.
func threadCPUNanoseconds() -> UInt64 {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
var cpuTimes: [Double] = []

@MainActor func timeKey(_ key: Key) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  let cpuStart = threadCPUNanoseconds()
  loop.press(key, services: services) { frame in
    _ = frame.changedRows(since: previous)
    previous = frame
  }
  cpuTimes.append(Double(threadCPUNanoseconds() - cpuStart) / 1e6)
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

var navigation: [Double] = []
for _ in 0..<rounds { for key in script { navigation.append(timeKey(key)) } }

// Decisions: exclude a row and take it back, on the unchanged rows.
var decisions: [Double] = []
loop.press(.character("7"), services: services)
cpuTimes = []
for _ in 0..<option("--decisions", max(1, rounds / 4)) {
  decisions.append(timeKey(.character("x")))
  decisions.append(timeKey(.character("u")))
}

func percentile(_ values: [Double], _ share: Double) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * share))]
}
let summary = model.livePlan.summary
print(
  "rows \(model.livePlan.rowCount) accounts \(model.livePlan.directory.accountCount) unchanged \(summary.unchanged)")
print(
  String(format: "first interactive frame: %.3f s", firstFrame)
    + (previewRows.map { " (preview of the first \($0) rows)" } ?? " (whole plan)"))
if let firstRowsPlanned {
  print(String(format: "first rows planned on screen: %.3f s", firstRowsPlanned))
}
print(String(format: "whole plan on screen: %.3f s", wholePlan))
print(
  String(
    format: "navigation keys (%d): median %.3f ms, p95 %.3f ms, max %.3f ms", navigation.count,
    percentile(navigation, 0.5), percentile(navigation, 0.95), navigation.max() ?? 0))
print(
  String(
    format: "exclude/undo keys (%d): median %.3f ms, p95 %.3f ms, max %.3f ms", decisions.count,
    percentile(decisions, 0.5), percentile(decisions, 0.95), decisions.max() ?? 0))
print(
  String(
    format: "exclude/undo keys, CPU time: median %.3f ms, p95 %.3f ms, max %.3f ms",
    percentile(cpuTimes, 0.5), percentile(cpuTimes, 0.95), cpuTimes.max() ?? 0))
if arguments.contains("--each") {
  // Every decision's time, in order (x, u, x, u…): which presses are slow.
  print("each x/u (ms): " + decisions.map { String(format: "%.3f", $0) }.joined(separator: " "))
  print("each x/u, CPU time of the thread (ms): " + cpuTimes.map { String(format: "%.3f", $0) }.joined(separator: " "))
}

/// A value handed from the loading thread.
final class UncheckedBox<Value>: @unchecked Sendable {
  var value: Value?
}
