/// A value that owns (next to) nothing, to stand in the slot of an array
/// about to be dropped whose value was moved out (`take`).
@usableFromInline
package protocol Vacatable {
  static var vacated: Self { get }
}

extension UnsafeMutableBufferPointer where Element: Vacatable {
  /// Moves the element at `index` out, leaving `Element.vacated` in its
  /// place. Joining or reordering many changes or findings into a new array
  /// by copy retained each one's strings and lists, then released them all
  /// with the old array; a move costs one count of the placeholder's.
  @inlinable
  package func take(_ index: Int) -> Element {
    var taken = Element.vacated
    swap(&taken, &self[index])
    return taken
  }
}
