import Testing

@testable import SyncModel

/// `memcmpEqual` compares words, then the last bytes as one overlapping
/// load: it must say what a byte-by-byte compare says for every length
/// and wherever the one differing byte is.
@Suite struct ByteCompareTests {
  @Test func agreesWithAByteByByteCompareAtEveryLengthAndPosition() {
    var generator = SystemRandomNumberGenerator()
    for length in 0...40 {
      let left = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      #expect(left.withUnsafeBufferPointer { a in left.withUnsafeBufferPointer { b in bytesEqual(a, b) } })
      for position in 0..<length {
        var right = left
        right[position] ^= 1 << UInt8(position % 8)
        let equal = left.withUnsafeBufferPointer { a in
          right.withUnsafeBufferPointer { b in memcmpEqual(a.baseAddress!, b.baseAddress!, length) }
        }
        #expect(!equal, "length \(length), byte \(position)")
      }
    }
    // Different lengths are never equal.
    let short: [UInt8] = [1, 2, 3]
    let long: [UInt8] = [1, 2, 3, 4]
    #expect(!short.withUnsafeBufferPointer { a in long.withUnsafeBufferPointer { b in bytesEqual(a, b) } })
  }
}
