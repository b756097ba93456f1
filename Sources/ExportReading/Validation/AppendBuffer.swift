import SyncModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An append-only run of plain values in one block, for the million-entry
/// columns of `DuplicateFinder`. Appending skips the uniqueness check an
/// array makes on every write. Reserved room costs no memory until written.
///
/// A small block is `malloc`'s, grown with `realloc`; a block of
/// `HugePages.smallestWorthwhile` or more is a `HugePageBlock` (the huge pages it fills whole
/// fault once per 2 MiB written, not per 4 KiB), grown mostly by moving its
/// pages. Blocks are sized from the file's size up front, so either seldom
/// grows.
final class AppendBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int
  /// The block when it is a mapping of its own (nil: `malloc`'s).
  private var mapped: HugePageBlock?

  init(capacity: Int = 16) {
    self.capacity = max(capacity, 16)
    (base, mapped) = Self.allocate(&self.capacity)
  }

  deinit { release() }

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
    release()
    count = 0
    capacity = 16
    (base, mapped) = Self.allocate(&capacity)
  }

  private static var stride: Int { MemoryLayout<Element>.stride }

  private func grow(toFit needed: Int) {
    var larger = capacity
    while larger < needed { larger *= 2 }
    if var block = mapped {
      guard block.grow(toAtLeast: larger * Self.stride) != nil else { Self.outOfMemory(larger) }
      mapped = block
      base = block.base.assumingMemoryBound(to: Element.self)
      capacity = block.byteCount / Self.stride
    } else if larger * Self.stride >= HugePages.smallestWorthwhile,
      let block = HugePageBlock.map(atLeast: larger * Self.stride)
    {
      // Out of `malloc`'s block into a mapping: the one copy, under 8 MiB.
      block.base.copyMemory(from: base, byteCount: count * Self.stride)
      free(base)
      mapped = block
      base = block.base.assumingMemoryBound(to: Element.self)
      capacity = block.byteCount / Self.stride
    } else {
      guard let moved = realloc(base, larger * Self.stride) else { Self.outOfMemory(larger) }
      base = moved.assumingMemoryBound(to: Element.self)
      capacity = larger
    }
  }

  private func release() {
    if let mapped { mapped.unmap() } else { free(base) }
    mapped = nil
  }

  /// A block for at least `capacity` entries; `capacity` becomes what it holds.
  private static func allocate(_ capacity: inout Int) -> (UnsafeMutablePointer<Element>, HugePageBlock?) {
    if capacity * stride >= HugePages.smallestWorthwhile, let block = HugePageBlock.map(atLeast: capacity * stride) {
      capacity = block.byteCount / stride
      return (block.base.assumingMemoryBound(to: Element.self), block)
    }
    guard let block = malloc(capacity * stride) else { outOfMemory(capacity) }
    return (block.assumingMemoryBound(to: Element.self), nil)
  }

  private static func outOfMemory(_ capacity: Int) -> Never {
    fatalError("out of memory allocating a buffer of \(capacity) entries")
  }
}
