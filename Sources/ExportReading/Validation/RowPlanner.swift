import SyncModel

/// What plans rows while they are read (`StreamingPlanner`, a layer up):
/// validation hands each row over with its final values, and renumbers a
/// later parts' lines when the parts are joined.
package protocol RowPlanner: AnyObject {
  /// `values` that lie in `lent` (the reader's chunk) stay valid until
  /// `lentBytesWillChange`, so a planner holding rows back need not copy
  /// them; any other value is valid only during the call. `lookups`: what
  /// validation looked up for the row that planning needs too.
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer,
    lookups: RowLookups)
  /// Building IDs to the planner's organizations: when they are exactly
  /// the IDs validation checks buildings against, validation looks each
  /// row's building up here (once, not once to check it and once to plan).
  var organizationKeys: SmallKeyMap? { get }
  /// The bytes lent so far are about to be overwritten: rows still held
  /// must be done with them now.
  func lentBytesWillChange()
  /// A later part numbered its lines from 1.
  func shiftLines(by delta: Int)
  /// About how many rows it will be handed (room reserved up front is not
  /// grown, that is copied, again and again).
  func expectRows(_ count: Int)
}

extension RowPlanner {
  package func expectRows(_ count: Int) {}
  package func lentBytesWillChange() {}
  package var organizationKeys: SmallKeyMap? { nil }
}

/// What validation looked up for a row that planning needs too, handed on
/// so that it is not looked up twice (nil: validation did not look).
package struct RowLookups {
  /// The row's building ID in the planner's `organizationKeys` (-1: none).
  package var organization: Int?
  /// The row's custom_id hashed as the directory's custom_id index hashes
  /// it (`KeyHash`, case kept: the duplicate finder's hash).
  package var customIDHash: UInt32?

  package init(organization: Int? = nil, customIDHash: UInt32? = nil) {
    self.organization = organization
    self.customIDHash = customIDHash
  }
}

/// The planner type of a validation that plans nothing (never made).
final class PlansNothing: RowPlanner {
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer,
    lookups: RowLookups
  ) {}
  func shiftLines(by delta: Int) {}
}
