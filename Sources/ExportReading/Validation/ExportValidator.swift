import Dispatch
import Foundation
import SyncModel

/// Reads an export through its column mapping and checks every rule of
/// SPEC §3: syntax, headers, values, duplicates and, when a directory is
/// given, building IDs. One pass over the bytes; duplicates are resolved at
/// the end so that every line involved is named.
///
/// This file runs the passes (a large file in two halves on two cores);
/// `ValidationRun` is one pass.
public enum ExportValidator {
  /// Validates a file. A large file is read in two halves on two cores;
  /// the result is the same as reading it in one pass (tests compare the
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
  /// planner per reading thread); returns the planners whose rows count, in
  /// file order, and the final error flag of each row. The caller checks
  /// the file is unchanged once it has also hashed it. `halfRead` is
  /// called, on its thread, by the first of the two halves to be read (a
  /// core is free from then on): not at all for a file read in one pass.
  package static func validate<Planning: RowPlanner>(
    file: RegularFile, options: ValidationOptions, planner makePlanner: (() -> Planning)?,
    halfRead: @escaping @Sendable () -> Void = {}
  ) throws(FileAccessError) -> (result: ValidationResult, planners: [Planning], rowHasError: [Bool]) {
    let path = file.path
    do {
      let size = file.size
      // The first run absorbs the second half's rows: size it for all.
      let run = ValidationRun(
        source: PausingByteSource.wrap(file.bytes()), name: path, options: options, expectedBytes: size)
      let firstPlanner = makePlanner?()
      run.planner = firstPlanner
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
        let split = try firstLineStart(in: file, after: size / 2), split > run.reader.recordOffset
      {
        let secondPlanner = makePlanner?()
        if try readInTwoHalves(
          run, file: file, split: split, options: options, planner: secondPlanner, halfRead: halfRead) != nil,
          let secondPlanner
        {
          planners.append(secondPlanner)
        }
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

  /// Reads the rest of the file in two halves at once. The second half
  /// starts at `split`, a guess: the start of a line, which is a record start
  /// unless a quoted value spans it. The first reader stops at the first
  /// record at or after `split`; if that record starts exactly there, the
  /// guess was right and the halves are joined, else the second half's work
  /// is dropped and the first reader goes on to the end. Either way the
  /// result is that of one pass.
  /// Returns the second run when its rows were joined, nil otherwise.
  @discardableResult
  private static func readInTwoHalves(
    _ first: ValidationRun, file: RegularFile, split: Int, options: ValidationOptions,
    planner: (any RowPlanner)?, halfRead: @escaping @Sendable () -> Void
  ) throws -> ValidationRun? {
    // Both halves read the one opened file (never the path again).
    let second = ValidationRun(
      source: file.bytes(split..<file.size), name: file.path, options: options,
      startOffset: split, expectedBytes: file.size - split)
    second.planner = planner
    second.adoptHeader(from: first)
    first.reader.stopOffset = split
    let runs = UncheckedSendable([first, second])
    let failure = UncheckedSendable(ErrorSlot())
    let firstDone = OnceFlag()
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      do {
        let run = runs.value[index]
        try run.readRows()
        // Each half sorts its duplicate keys on its own core, unless the
        // first must read on (the split fell inside a quoted value).
        if index == 1 || run.reader.stoppedAt == split { run.sortDuplicateKeys() }
      } catch { failure.value.record(error) }
      // The halves seldom end together (on this machine kind the two cores
      // even run at uneven speeds): the caller's work that needs no row
      // gets the idle core at once.
      if firstDone.claim() { halfRead() }
    }
    first.reader.stopOffset = nil
    if first.reader.stoppedAt == split {
      if let error = failure.value.error { throw error }
      // The second half numbered its lines from 1; it starts on the line
      // after the first half's last line.
      let delta = first.reader.nextRecordLine - 1
      second.planner?.shiftLines(by: delta)
      first.absorb(second, shiftingLinesBy: delta)
      return second
    } else {
      // The guess fell inside a quoted value: whatever the second half
      // found (or failed on) does not count.
      try first.readRows()
      return nil
    }
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
