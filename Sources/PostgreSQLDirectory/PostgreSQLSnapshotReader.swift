import ExportReading
import SyncDirectory
import SyncModel

/// Reads every organization and account for planning, in one snapshot
/// transaction: the accounts come as one `COPY … TO STDOUT` stream, each
/// row's fields appended to the snapshot's column store as they arrive
/// (no string per value), then `DirectorySnapshot` builds its indexes as
/// for any store.
enum PostgreSQLSnapshotReader {
  static func read(_ connection: PostgreSQLConnection) throws -> DirectorySnapshot {
    let state = try PostgreSQLTransaction.state(connection)
    let organizations = try PostgreSQLTransaction.organizations(connection)
    let expected = Int(try connection.execute("SELECT count(*) FROM account").int64 ?? 0)
    let references = OrganizationReferences(organizations)
    // Accounts run about 90 bytes of values.
    var store = RowStore(expectedRows: expected, expectedBytes: expected * 96)
    var accountIDs: [Int64] = []
    var accountOrganizations: [Int32] = []
    accountIDs.reserveCapacity(expected)
    accountOrganizations.reserveCapacity(expected)
    // Fields 2 to 10 in ExportColumn order; the school (position 5) comes
    // from the organization.
    let row = RowBuilder()
    try PhaseTimer.measure("reading accounts") {
      try references.withReferences { reference in
        try connection.copyOut(
          """
          COPY (SELECT id, organization_id, first_name, middle_name, last_name, email, coalesce(custom_id, ''),
                       user_type, position, grade, status FROM account ORDER BY id) TO STDOUT
          """
        ) { line in
          var organization: Int32 = 0
          CopyText.forEachField(line) { index, value in
            switch index {
            case 0: accountIDs.append(Self.integer(value))
            case 1:
              organization = references.index(ofID: Self.integer(value))
              accountOrganizations.append(organization)
            case 6:
              row.add(value)
              row.add(reference(organization))
            default: row.add(value)
            }
          }
          store.append(row)
        }
      }
    }
    let pending = try PostgreSQLTransaction.pendingDisables(connection)
    let snapshot = PhaseTimer.measure("indexing accounts") {
      DirectorySnapshot(
        state: state, organizations: organizations, accounts: store, accountIDs: accountIDs,
        accountOrganizations: accountOrganizations)
    }
    snapshot.setPendingDisables(pending)
    return snapshot
  }

  /// A decimal integer as COPY writes it.
  private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int64 {
    var value: Int64 = 0
    var negative = false
    for digit in digits {
      if digit == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(digit &- 48) }
    }
    return negative ? -value : value
  }
}
