/// A school's own threshold on one action (setting
/// `threshold.ACTION.SCHOOL`): that school's changes of the kind are
/// judged by it alone, against that school's managed accounts, and are left
/// out of the district-wide threshold (whose scope then leaves the school
/// out too). A threshold with no limits (`off`) lets the school's changes
/// of that kind through.
public struct SchoolThreshold: Sendable, Equatable {
  /// The school's external ID.
  public var school: String
  public var threshold: Threshold

  public init(school: String, threshold: Threshold) {
    self.school = school
    self.threshold = threshold
  }
}
