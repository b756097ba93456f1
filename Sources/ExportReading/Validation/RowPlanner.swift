import SyncModel

/// What plans rows while they are read (`StreamingPlanner`, a layer up):
/// validation hands each row over with its final values, and renumbers a
/// later parts' lines when the parts are joined.
package protocol RowPlanner: AnyObject {
  /// `values` that lie in `lent` (the reader's chunk) stay valid until
  /// `lentBytesWillChange`, so a planner holding rows back need not copy
  /// them; any other value is valid only during the call. `organization`:
  /// what validation found for the row's building ID in `organizationKeys`
  /// (-1: none), or nil when it did not look.
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer,
    organization: Int?)
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

/// The planner type of a validation that plans nothing (never made).
final class PlansNothing: RowPlanner {
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer,
    organization: Int?
  ) {}
  func shiftLines(by delta: Int) {}
}
