/// What an account reader needs of each account's organization: its index
/// in the snapshot (from the organization's database id) and its reference,
/// the school column's value. Both are asked for once per account, so ids
/// are looked up in a table indexed by id when they are dense (as databases
/// number them), not hashed; and references are lent by pointer, where an
/// array of arrays was retained and released once per account.
package struct OrganizationReferences: Sendable {
  /// Snapshot index by id, when the ids are dense; otherwise `indexByID`.
  private let indexByDenseID: [Int32]?
  private let indexByID: [Int64: Int32]
  private let bytes: [UInt8]
  /// Where each organization's reference starts in `bytes` (one more: the end).
  private let starts: [Int]

  package init(_ organizations: [Organization]) {
    let ids = organizations.map(\.id)
    if let largest = ids.max(), ids.allSatisfy({ $0 >= 0 }), largest < 4 * Int64(ids.count) + 1024 {
      var table = [Int32](repeating: 0, count: Int(largest) + 1)
      for (index, id) in ids.enumerated() { table[Int(id)] = Int32(index) }
      indexByDenseID = table
      indexByID = [:]
    } else {
      indexByDenseID = nil
      indexByID = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
    }
    var bytes: [UInt8] = []
    var starts = [0]
    for organization in organizations {
      bytes += Array(organization.reference.utf8)
      starts.append(bytes.count)
    }
    self.bytes = bytes
    self.starts = starts
  }

  /// The snapshot index of the organization with this database id; 0 for
  /// an id no organization has (the schema's foreign key rules it out).
  package func index(ofID id: Int64) -> Int32 {
    guard let table = indexByDenseID else { return indexByID[id] ?? 0 }
    return id >= 0 && id < table.count ? table[Int(id)] : 0
  }

  /// Calls `body` with a lookup of each organization's reference by index,
  /// valid only inside `body`.
  package func withReferences<Result>(
    _ body: ((_ organization: Int32) -> UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    try bytes.withUnsafeBufferPointer { bytes in
      try starts.withUnsafeBufferPointer { starts in
        try body { organization in
          UnsafeBufferPointer(rebasing: bytes[starts[Int(organization)]..<starts[Int(organization) + 1]])
        }
      }
    }
  }
}
