import Testing

@testable import SyncPlanning

/// The rows a streaming planner holds back come out as they went in, also
/// when a batch outgrows the room it started with (long values, many).
@Suite struct RowBatchTests {
  @Test func rowsComeBackAsTheyWentInWhateverTheirSize() {
    let batch = RowBatch(capacity: 4)
    let rows: [[String]] = [
      ["Ana", "", "Ruiz", "ana@x.org"],
      [String(repeating: "x", count: 5000), "é", ""],  // past the bytes reserved for the batch
      Array(repeating: "v", count: 70),  // past the value ends reserved
      [],
    ]
    for (index, row) in rows.enumerated() {
      let bytes = row.map { Array($0.utf8) }
      let pointers = bytes.map { value in value.withUnsafeBufferPointer { copy($0) } }
      defer { for pointer in pointers { pointer.deallocate() } }
      pointers.withUnsafeBufferPointer {
        batch.append(
          line: 10 + index, values: $0, hasError: index == 1, lent: UnsafeRawBufferPointer(start: nil, count: 0))
      }
    }
    #expect(batch.isFull)
    var seen: [[String]] = []
    batch.withValues { values in
      seen = values.map { row in row.map { String(decoding: $0, as: UTF8.self) } }
    }
    #expect(seen == rows)
    #expect((0..<4).map(batch.line(ofRow:)) == [10, 11, 12, 13])
    #expect((0..<4).map { batch.hasError(row: $0) } == [false, true, false, false])
    batch.removeAll()
    #expect(batch.count == 0 && !batch.isFull)
  }

  /// Values in the lent bytes (a reader's chunk) are kept where they are;
  /// the others are copied, and stay right when the copies outgrow their
  /// room and move (the lent ones do not move with them).
  @Test func lentValuesAreKeptByPointerAndOthersCopied() {
    let batch = RowBatch(capacity: 3)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)
    defer { chunk.deallocate() }
    _ = chunk.initializeMemory(
      as: UInt8.self, from: Array("Ana,Ruiz,ana@x.org,Bo,Li".utf8) + Array(repeating: 0, count: 39))
    let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
    func lentValue(_ start: Int, _ count: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(start: base + start, count: count)
    }
    let long = String(repeating: "é", count: 3000)  // past the batch's byte room: its copies move
    let rows: [[UnsafeBufferPointer<UInt8>]] = [
      [lentValue(0, 3), copy(Array("José".utf8)), lentValue(9, 9)],
      [copy(Array("Zoë".utf8)), copy(Array(long.utf8)), lentValue(19, 2)],  // moves the copy before it too
      [lentValue(22, 2), copy(Array("x".utf8)), UnsafeBufferPointer(start: nil, count: 0)],
    ]
    for (index, row) in rows.enumerated() {
      row.withUnsafeBufferPointer {
        batch.append(line: index + 2, values: $0, hasError: false, lent: UnsafeRawBufferPointer(chunk))
      }
    }
    // The copied sources are overwritten and freed, as validation reuses them.
    for row in rows {
      for value in row where !value.isEmpty && !(value.baseAddress! >= base && value.baseAddress! < base + 64) {
        UnsafeMutableBufferPointer(mutating: value).update(repeating: 0x3F)
        value.deallocate()
      }
    }
    var seen: [[String]] = []
    var keptInPlace: [Bool] = []
    batch.withValues { values in
      seen = values.map { row in row.map { String(decoding: $0, as: UTF8.self) } }
      keptInPlace = values.flatMap { row in row.map { $0.baseAddress.map { $0 >= base && $0 < base + 64 } ?? false } }
    }
    #expect(seen == [["Ana", "José", "ana@x.org"], ["Zoë", long, "Bo"], ["Li", "x", ""]])
    #expect(keptInPlace == [true, false, true, false, false, true, true, false, false])
  }

  private func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
    bytes.withUnsafeBufferPointer { copy($0) }
  }

  /// A value's own copy, so that the batch's copy is what is checked.
  private func copy(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(value.count, 1))
    _ = storage.initialize(from: value)
    return UnsafeBufferPointer(rebasing: storage[0..<value.count])
  }
}

extension UnsafeBufferPointer {
  fileprivate func deallocate() { UnsafeMutableRawPointer(mutating: baseAddress)?.deallocate() }
}
