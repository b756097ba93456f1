#if os(Linux)
  import CMalloc
#endif

/// Large buffers go back to the system when freed, for the whole run.
///
/// glibc serves blocks of 128 KiB and more with their own mappings and
/// unmaps them on free, but each such free raises that threshold (up to
/// 32 MiB): once the directory read frees its two ~20 MB halves, the
/// buffers validation and planning grow afterwards stay in the heap, and
/// a million-row plan peaks 15–35 MB higher (Benchmarks/README.md, issue
/// 17 item 1). A fixed threshold keeps returning them.
enum MemoryReturn {
  static let threshold: Int32 = 1 << 20

  static func fixThreshold() {
    #if os(Linux)
      _ = mallopt(M_MMAP_THRESHOLD, threshold)
    #endif
  }
}
