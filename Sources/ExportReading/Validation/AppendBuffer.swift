#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An append-only run of plain values in one `malloc` block, for the
/// million-entry columns of `DuplicateFinder`. Appending skips the
/// uniqueness check an array makes on every write, and growing uses
/// `realloc` (the kernel moves the pages of a large block: it is never
/// copied, nor held twice). Reserved room costs no memory until written.
final class AppendBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 16) {
    self.capacity = max(capacity, 16)
    base = Self.allocate(self.capacity)
  }

  deinit { free(base) }

  @inline(__always)
  func append(_ element: Element) {
    if count == capacity { grow(toFit: count + 1) }
    base[count] = element
    count += 1
  }

  @inline(__always)
  func append(contentsOf elements: UnsafeBufferPointer<Element>) {
    guard let source = elements.baseAddress else { return }
    if count + elements.count > capacity { grow(toFit: count + elements.count) }
    (base + count).update(from: source, count: elements.count)
    count += elements.count
  }

  @inline(__always)
  subscript(index: Int) -> Element { base[index] }

  var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  /// Empties the buffer and gives its memory back.
  func removeAll() {
    free(base)
    count = 0
    capacity = 16
    base = Self.allocate(capacity)
  }

  private func grow(toFit needed: Int) {
    var larger = capacity
    while larger < needed { larger *= 2 }
    guard let moved = realloc(base, larger * MemoryLayout<Element>.stride) else {
      fatalError("out of memory growing a buffer to \(larger) entries")
    }
    base = moved.assumingMemoryBound(to: Element.self)
    capacity = larger
  }

  private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Element> {
    guard let block = malloc(capacity * MemoryLayout<Element>.stride) else {
      fatalError("out of memory allocating a buffer of \(capacity) entries")
    }
    return block.assumingMemoryBound(to: Element.self)
  }
}
