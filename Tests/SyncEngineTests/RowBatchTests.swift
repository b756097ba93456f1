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
      pointers.withUnsafeBufferPointer { batch.append(line: 10 + index, values: $0, hasError: index == 1) }
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
