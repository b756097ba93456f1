import Foundation

/// How a large export is cut for reading on two cores, and the queue the
/// cores take the parts from (`ExportValidator.readInParts`).
///
/// Two fixed halves left a core idle whenever one ran slower, as the
/// cores of this machine kind often do (halves of one file read in 0.43
/// and 0.65 s). Taking parts from a queue, each core reads on while there
/// are parts left; the parts shrink towards the end of the file (five
/// sixteenths twice, two eighths, two sixteenths), so the core that
/// finishes last has at most a sixteenth of the file left when the other
/// runs out. Few parts: each has its own run, planner and sorted duplicate
/// keys, joined at the end on one core: on a host whose cores ran evenly,
/// ten parts took 20 ms and 6 MB more than two halves to validate a
/// million rows, six about the same time and 4 MB more
/// (Benchmarks/README.md).
enum ReadingParts {
  /// Each part's share of the file, in thirty-seconds.
  static let shares = [10, 10, 4, 4, 2, 2]

  /// The offsets where parts after the first begin, before they are moved
  /// to line starts: increasing, inside the file.
  static func boundaries(size: Int) -> [Int] {
    var boundaries: [Int] = []
    var sum = 0
    for share in shares.dropLast() {
      sum += share
      boundaries.append(size / 32 * sum + size % 32 * sum / 32)
    }
    return boundaries
  }
}

/// Hands out part numbers in file order, each once, to whichever core asks.
final class PartQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var nextPart = 0
  private let count: Int

  init(count: Int) { self.count = count }

  /// The next part to read; nil once every part is taken.
  func next() -> Int? {
    lock.withLock {
      guard nextPart < count else { return nil }
      defer { nextPart += 1 }
      return nextPart
    }
  }
}

/// The error each part's read ended with, if any (parts are read on two
/// threads; each writes only its own slot).
final class PartFailures: @unchecked Sendable {
  private(set) var errors: [Error?]
  private let lock = NSLock()

  init(count: Int) { errors = Array(repeating: nil, count: count) }

  func record(_ error: Error, part: Int) {
    lock.withLock { errors[part] = error }
  }
}
