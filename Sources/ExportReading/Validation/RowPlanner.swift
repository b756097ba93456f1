import SyncModel

/// What plans rows while they are read (`StreamingPlanner`, a layer up):
/// validation hands each row over with its final values, and renumbers a
/// later parts' lines when the parts are joined.
package protocol RowPlanner: AnyObject {
  /// `values` that lie in `lent` (the reader's chunk) stay valid until
  /// `lentBytesWillChange`, so a planner holding rows back need not copy
  /// them; any other value is valid only during the call.
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer)
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
}

/// The planner type of a validation that plans nothing (never made).
final class PlansNothing: RowPlanner {
  func process(
    line: Int, values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, hasError: Bool, lent: UnsafeRawBufferPointer
  ) {}
  func shiftLines(by delta: Int) {}
}
