import Dispatch
import Foundation
import SyncModel

/// Reads an export through its column mapping and checks every rule of
/// SPEC §3: syntax, headers, values, duplicates and, when a directory is
/// given, building IDs. One pass over the bytes; duplicates are resolved at
/// the end so that every line involved is named.
///
/// This file runs the passes (a large file in parts on two cores);
/// `ValidationRun` is one pass.
public enum ExportValidator {
  /// Validates a file. A large file is read in parts on two cores; the
  /// result is the same as reading it in one pass (tests compare the
  /// two). Refused when the file is not a regular file, or changed while it
  /// was read.
  public static func validate(
    file path: String, options: ValidationOptions = ValidationOptions()
  ) throws(FileAccessError) -> ValidationResult {
    let file = try RegularFile(path: path)
    let result = try validate(file: file, options: options)
    try file.checkUnchanged()
    return result
  }

  /// Validates an opened file; the caller checks it is unchanged once it
  /// has also hashed it.
  package static func validate(file: RegularFile, options: ValidationOptions) throws(FileAccessError)
    -> ValidationResult
  {
    try validate(file: file, options: options, planner: nil as (() -> PlansNothing)?).result
  }

  /// Validates, and with `planner` also plans every row as it is read (one
  /// planner per part read); returns the planners whose rows count, in
  /// file order, and the final error flag of each row. The caller checks
  /// the file is unchanged once it has also hashed it. `coreFreed` is
  /// called, on its thread, by the first of the two cores to find no part
  /// left to read (it is free from then on): not at all for a file read in
  /// one pass.
  package static func validate<Planning: RowPlanner>(
    file: RegularFile, options: ValidationOptions, planner makePlanner: (() -> Planning)?,
    coreFreed: @escaping @Sendable () -> Void = {}
  ) throws(FileAccessError) -> (result: ValidationResult, planners: [Planning], rowHasError: [Bool]) {
    let path = file.path
    do {
      let size = file.size
      // The first run absorbs the other parts' rows: size it for all.
      let firstPlanner = makePlanner?()
      let run = ValidationRun(
        source: PausingByteSource.wrap(file.bytes()), name: path, options: options, expectedBytes: size,
        planner: firstPlanner)
      guard try run.readHeader() else { return (run.finish(), [], []) }
      var planners = firstPlanner.map { [$0] } ?? []
      if let homeFilter = run.homeFilter, run.isUsable {
        // Which of a person's rows is kept must be known before any is
        // read: a first pass over the file learns it (staff files are
        // small), then one pass reads the rows.
        let learning = CSVReader(source: file.bytes(), limits: options.limits)
        while learning.line < run.headerLine, try learning.next() {}
        try homeFilter.learn(learning)
        try run.readRows()
      } else if size >= options.parallelThreshold, run.isUsable,
        case let starts = try partStarts(in: file, after: run.reader.recordOffset), !starts.isEmpty
      {
        let partPlanners = starts.map { _ in makePlanner?() }
        let joined = try readInParts(
          run, file: file, starts: starts, options: options, planners: partPlanners.map { $0 }, coreFreed: coreFreed)
        planners += partPlanners.prefix(joined).compactMap { $0 }
      } else {
        try run.readRows()
      }
      let result = run.finish()
      let rowHasError = run.finalRowErrors
      // The run's keys and line tables (tens of MB at a million rows) are
      // freed on the other core while this one goes on to the report.
      var finished: ValidationRun? = run
      releaseOnAnotherCore(&finished)
      return (result, planners, rowHasError)
    } catch let error as FileAccessError {
      throw error
    } catch {
      throw FileAccessError(path: path, reason: "\(error)")
    }
  }

  public static func validate(
    source: ByteSource, name: String, options: ValidationOptions = ValidationOptions()
  ) throws(FileAccessError) -> ValidationResult {
    do {
      return try ValidationRun(source: source, name: name, options: options).execute()
    } catch let error as FileAccessError {
      throw error
    } catch {
      throw FileAccessError(path: name, reason: "\(error)")
    }
  }

  /// Reads the rest of the file in parts on two cores, each core taking
  /// the next part as soon as it is done with one: the cores of this
  /// machine kind run at uneven speeds, and with two fixed halves one of
  /// them idled for up to a fifth of the read. The parts shrink towards the
  /// end of the file (`ReadingParts`), so that both cores finish close
  /// together. Each part after the first starts at a guess, the start of a
  /// line, which is a record start unless a quoted value spans it. The run
  /// before it stops at the first record at or after that offset; if that
  /// record starts exactly there, the guess was right. At the first wrong
  /// guess, the run before it reads on to the end and the parts from there
  /// are dropped. Either way the result is that of one pass.
  /// `starts`: each part's first byte (after the first part's). Returns how
  /// many of those parts were joined (in file order).
  private static func readInParts(
    _ first: ValidationRun, file: RegularFile, starts: [Int], options: ValidationOptions,
    planners: [(any RowPlanner)?], coreFreed: @escaping @Sendable () -> Void
  ) throws -> Int {
    // Every part reads the one opened file (never the path again), and may
    // read on to its end.
    var runs = [first]
    for (index, start) in starts.enumerated() {
      let next = index + 1 < starts.count ? starts[index + 1] : file.size
      let run = ValidationRun(
        source: file.bytes(start..<file.size), name: file.path, options: options, startOffset: start,
        expectedBytes: next - start, planner: planners[index])
      run.adoptHeader(from: first)
      runs.append(run)
    }
    // Where each run should stop: the next part's start.
    for (index, start) in starts.enumerated() { runs[index].reader.stopOffset = start }
    let shared = UncheckedSendable(runs)
    let failures = UncheckedSendable(PartFailures(count: runs.count))
    let queue = PartQueue(count: runs.count)
    let firstCoreFree = OnceFlag()
    DispatchQueue.concurrentPerform(iterations: 2) { core in
      let started = Date()
      var partsRead = 0
      while let index = queue.next() {
        partsRead += 1
        let run = shared.value[index]
        do {
          try run.readRows()
          // A part that ended where the next starts sorts its duplicate
          // keys on the core that read it; one that must read on does not.
          if index == starts.count || run.reader.stoppedAt == starts[index] { run.sortDuplicateKeys() }
        } catch { failures.value.record(error, part: index) }
      }
      PhaseTimer.note(
        "core \(core) read \(partsRead) parts in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
      // The other core may still be reading: the caller's work that needs
      // no row gets this one at once.
      if firstCoreFree.claim() { coreFreed() }
    }
    // The first part whose start was a wrong guess (or that failed to
    // read) ends the parts joined; the run before it reads on.
    let wrongGuess = starts.indices.first { runs[$0].reader.stoppedAt != starts[$0] }
    let joinedRuns = wrongGuess.map { runs[...$0] } ?? runs[...]
    for index in joinedRuns.indices {
      runs[index].reader.stopOffset = nil
      if let error = failures.value.errors[index] { throw error }
    }
    if let wrongGuess { try runs[wrongGuess].readRows() }
    // Each part numbered its lines from 1: it starts on the line after the
    // last line of the parts before it.
    var delta = 0
    for index in joinedRuns.indices.dropFirst() {
      delta += runs[index - 1].reader.nextRecordLine - 1
      runs[index].planner?.shiftLines(by: delta)
      first.absorb(runs[index], shiftingLinesBy: delta)
    }
    return joinedRuns.count - 1
  }

  /// Where each part after the first starts (`ReadingParts.boundaries`):
  /// just after the first line feed at or after each boundary, past the
  /// header (`after`), each after the one before. Empty for a file too
  /// small to split.
  static func partStarts(in file: RegularFile, after headerEnd: Int) throws -> [Int] {
    var starts: [Int] = []
    for boundary in ReadingParts.boundaries(size: file.size) {
      guard let start = try firstLineStart(in: file, after: max(boundary, starts.last ?? 0)) else { break }
      let previous = starts.last ?? headerEnd
      if start > previous && start < file.size { starts.append(start) }
    }
    return starts
  }

  /// The offset just after the first line feed at or after `offset`.
  private static func firstLineStart(in file: RegularFile, after offset: Int) throws -> Int? {
    let source = file.bytes(offset..<file.size)
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var position = offset
    while true {
      let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
      if count == 0 { return nil }
      if let index = buffer[0..<count].firstIndex(of: Byte.lineFeed) { return position + index + 1 }
      position += count
    }
  }
}
