#if canImport(Glibc)
  import CMemoryMap
  import Glibc
#endif

/// Large blocks backed by 2 MiB pages where the kernel can.
///
/// A million-row plan writes some 300 MB of fresh memory; with 4 KiB pages
/// each first write of a page is a fault, and on this machine kind a fault
/// costs several microseconds: 84,000 of them took an eighth of a warm
/// plan's CPU samples. Linux gives a process transparent huge pages only in the
/// blocks it marks (`madvise`, the default setting of
/// /sys/kernel/mm/transparent_hugepage/enabled), and glibc's malloc marks
/// none unless told at start-up (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`).
/// So the blocks that take most of the writes, the million-entry columns,
/// are mapped (`HugePageBlock`) or marked (`advise`) here. Elsewhere
/// (macOS) both do nothing.
package enum HugePages {
  /// 2 MiB, the huge page size of x86-64 and of arm64 with 4 KiB pages.
  package static let size = 2 << 20

  /// The smallest block worth huge pages: four. A block's last huge page
  /// is seldom filled, yet taken whole at its first write; in a smaller
  /// block that waste outweighs the faults saved (a file read in ten
  /// parts took 20 MB more with every block of 1 MiB and up in huge pages),
  /// and 4 KiB faults cost little there: about 25 ms per 100 MB.
  package static let smallestWorthwhile = 4 * size

  /// Marks the huge pages that lie whole inside `byteCount` bytes from
  /// `start` (glibc serves blocks of 1 MiB and more with mappings of their
  /// own: `MemoryReturn`). The parts before the first boundary and after the
  /// last stay in small pages: a huge page is taken whole at its first
  /// write, and a block seldom fills its last one (a million rows' 2.01 MB
  /// column took 4 MB). Not for a block that `realloc` may grow: the mark
  /// splits its mapping in parts, which cannot be moved as one.
  package static func advise(_ start: UnsafeRawPointer?, byteCount: Int) {
    #if os(Linux)
      guard let start, byteCount >= size else { return }
      let first = (UInt(bitPattern: start) + UInt(size - 1)) & ~UInt(size - 1)
      let end = (UInt(bitPattern: start) + UInt(byteCount)) & ~UInt(size - 1)
      guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
      // Advice only: a kernel without huge pages says no, and nothing changes.
      _ = madvise(address, Int(end - first), MADV_HUGEPAGE)
    #endif
  }

  /// Takes the mark off the huge pages from the one `offset` falls in (a
  /// part-filled one) to `end`, both from `start`, a huge page boundary: the
  /// room past a grown block's asked-for size, which a grown mapping
  /// inherits marked.
  static func unadvise(_ start: UnsafeMutableRawPointer, from offset: Int, to end: Int) {
    #if os(Linux)
      let first = offset / size * size
      guard end > first else { return }
      _ = madvise(start + first, end - first, MADV_NOHUGEPAGE)
    #endif
  }

  /// `byteCount` rounded up to whole huge pages.
  static func roundedUp(_ byteCount: Int) -> Int { (byteCount + size - 1) / size * size }
}

/// A block of memory in a mapping of its own, starting on a huge page
/// boundary and marked for huge pages where it will be filled, which `grow`
/// extends, mostly without copying (the kernel moves its pages). Its room
/// costs no memory until written, as a large `malloc` block's. Linux only:
/// `map` is nil elsewhere.
package struct HugePageBlock {
  package private(set) var base: UnsafeMutableRawPointer
  /// A multiple of `HugePages.size`.
  package private(set) var byteCount: Int

  /// Nil when the system has no room (or is not Linux).
  package static func map(atLeast byteCount: Int) -> HugePageBlock? {
    #if os(Linux)
      let length = HugePages.roundedUp(max(byteCount, 1))
      // One huge page more than asked, so that a boundary falls inside;
      // the slack before and after it is given back at once.
      guard let mapped = mmap(nil, length + HugePages.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        mapped != MAP_FAILED
      else { return nil }
      let start = (UInt(bitPattern: mapped) + UInt(HugePages.size - 1)) & ~UInt(HugePages.size - 1)
      let before = Int(start - UInt(bitPattern: mapped))
      if before > 0 { munmap(mapped, before) }
      let base = mapped + before
      let after = HugePages.size - before
      if after > 0 { munmap(base + length, after) }
      if byteCount % HugePages.size != 0 {
        // Its end will not be marked, and the mark splits the mapping in
        // two. Written to first (one small page, in that end), the mapping
        // has the kernel's record of its memory (its anon_vma) before the
        // split, the two parts share it, and marked whole again (`grow`)
        // they merge back into one; parts that each made their own never
        // merge again, and then cannot be moved as one.
        base.storeBytes(of: 0, toByteOffset: length - 1, as: UInt8.self)
      }
      HugePages.advise(base, byteCount: byteCount)
      return HugePageBlock(base: base, byteCount: length)
    #else
      return nil
    #endif
  }

  /// How `grow` made room.
  package enum Growth: Equatable {
    /// Nothing copied: the kernel extended the mapping or moved its pages
    /// (or the block was large enough).
    case byMovingPages
    /// Into a new block, copied (when the kernel could not move the old one).
    case byCopying
  }

  /// At least `byteCount` bytes, the contents kept; nil when the system has
  /// no room (the block is then as it was).
  @discardableResult
  package mutating func grow(toAtLeast byteCount: Int) -> Growth? {
    #if os(Linux)
      let length = HugePages.roundedUp(byteCount)
      guard length > self.byteCount else { return .byMovingPages }
      // Marked only in part, the block is two mappings to the kernel, and
      // `mremap` moves one at a time: it refused, and the block was copied
      // (16 MB key arenas: a fifth of a plan's page-fault samples). A block
      // grows once it is full, its unmarked end written already: marked
      // too, it costs no more memory and the block is one mapping again.
      HugePages.advise(base, byteCount: self.byteCount)
      let growth: Growth
      if let moved = sis_grow_mapping(base, self.byteCount, length) {
        base = moved
        growth = .byMovingPages
      } else {
        guard let larger = HugePageBlock.map(atLeast: byteCount) else { return nil }
        larger.base.copyMemory(from: base, byteCount: self.byteCount)
        unmap()
        base = larger.base
        growth = .byCopying
      }
      self.byteCount = length
      // Marked whole just before, the grown mapping is marked throughout (a
      // new block only over the huge pages the asked-for size fills): the
      // room past those is unmarked again.
      HugePages.unadvise(base, from: byteCount, to: length)
      return growth
    #else
      return nil
    #endif
  }

  /// Gives the memory back; the block is not used again.
  package func unmap() {
    #if os(Linux)
      munmap(base, byteCount)
    #endif
  }
}

extension Array {
  /// `reserveCapacity`, then the room marked for huge pages
  /// (`HugePages.advise`): for arrays of a million rows' entries.
  package mutating func reserveCapacityInHugePages(_ minimumCapacity: Int) {
    reserveCapacity(minimumCapacity)
    let capacity = self.capacity
    guard capacity * MemoryLayout<Element>.stride >= HugePages.smallestWorthwhile else { return }
    withUnsafeMutableBufferPointer { elements in
      HugePages.advise(
        UnsafeRawPointer(elements.baseAddress), byteCount: capacity * MemoryLayout<Element>.stride)
    }
  }
}
