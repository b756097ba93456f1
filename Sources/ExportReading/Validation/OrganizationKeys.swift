import SyncModel

/// The building IDs validation checks rows against, found from bytes
/// without making a string per row. When the planner's map holds exactly
/// those IDs it is used itself (`isPlanners`): what a row's ID finds is
/// then the planner's organization, handed on in `RowLookups` instead of
/// looked up again. Otherwise validation numbers the IDs its own way.
struct OrganizationKeys {
  let map: SmallKeyMap
  let isPlanners: Bool

  /// Nil when validation has no directory to check buildings against.
  init?(known: Set<String>?, planner: (any RowPlanner)?) {
    guard let known else { return nil }
    if let keys = planner?.organizationKeys, Self.holdsExactly(known, keys) {
      map = keys
      isPlanners = true
    } else {
      map = SmallKeyMap(Dictionary(uniqueKeysWithValues: known.enumerated().map { ($0.element, $0.offset) }))
      isPlanners = false
    }
  }

  /// Whether `keys` holds the IDs of `known`, and no others.
  private static func holdsExactly(_ known: Set<String>, _ keys: SmallKeyMap) -> Bool {
    keys.count == known.count
      && known.allSatisfy { id in
        var id = id
        return id.withUTF8 { keys.find($0) != nil }
      }
  }
}
